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

int fork(void)
{
	return (int)syscall6(SYS_fork, 0, 0, 0, 0, 0);
}

int exec(const char *path, char *const argv[])
{
	return (int)syscall6(SYS_exec, (long)path, (long)argv, 0, 0, 0);
}

/* The kernel returns the old break or -errno; user addresses are never
 * negative, so any negative value is an error. */
void *sbrk(long incr)
{
	long r = syscall6(SYS_sbrk, incr, 0, 0, 0, 0);
	return r < 0 ? (void *)-1 : (void *)r;
}

int sleep(unsigned long ms)
{
	return (int)syscall6(SYS_sleep, (long)ms, 0, 0, 0, 0);
}

int procinfo(unsigned long index, struct uproc *p)
{
	return (int)syscall6(SYS_procinfo, (long)index, (long)p, 0, 0, 0);
}

int memstat(struct umemstat *m)
{
	return (int)syscall6(SYS_memstat, (long)m, 0, 0, 0, 0);
}

int kill(int pid)
{
	return (int)syscall6(SYS_kill, pid, 0, 0, 0, 0);
}
