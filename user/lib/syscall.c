/* syscall.c — system-call wrappers (syscall and int 0x80). */
#include "user/lib/ulib.h"

long syscall6(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

long int80_6(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "memory");
	return ret;
}

long write(int fd, const void *buf, size_t len)
{
	return syscall6(SYS_write, fd, (long)buf, (long)len, 0, 0);
}

long read(int fd, void *buf, size_t len)
{
	return syscall6(SYS_read, fd, (long)buf, (long)len, 0, 0);
}

int open(const char *path)
{
	return (int)syscall6(SYS_open, (long)path, 0, 0, 0, 0);
}

int close(int fd)
{
	return (int)syscall6(SYS_close, fd, 0, 0, 0, 0);
}

void exit(int status)
{
	syscall6(SYS_exit, status, 0, 0, 0, 0);
	for (;;)
		;
}

int getpid(void)
{
	return (int)syscall6(SYS_getpid, 0, 0, 0, 0, 0);
}

int yield(void)
{
	return (int)syscall6(SYS_yield, 0, 0, 0, 0, 0);
}

long uptime(void)
{
	return syscall6(SYS_uptime, 0, 0, 0, 0, 0);
}

int listdir(unsigned long index, struct ustat *st)
{
	return (int)syscall6(SYS_listdir, (long)index, (long)st, 0, 0, 0);
}

int spawn(const char *path)
{
	return (int)syscall6(SYS_spawn, (long)path, 0, 0, 0, 0);
}

int wait(int *status)
{
	return (int)syscall6(SYS_wait, (long)status, 0, 0, 0, 0);
}
