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

int open(const char *path, int flags, ...)
{
	long mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return (int)syscall6(SYS_open, (long)path, flags, mode, 0, 0);
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

long lseek(int fd, long offset, int whence)
{
	return syscall6(SYS_lseek, fd, offset, whence, 0, 0);
}

int fstat(int fd, struct stat *st)
{
	return (int)syscall6(SYS_fstat, fd, (long)st, 0, 0, 0);
}

int stat(const char *path, struct stat *st)
{
	return (int)syscall6(SYS_stat, (long)path, (long)st, 0, 0, 0);
}

int lstat(const char *path, struct stat *st)
{
	return (int)syscall6(SYS_lstat, (long)path, (long)st, 0, 0, 0);
}

long getdents(int fd, void *buf, size_t len)
{
	return syscall6(SYS_getdents, fd, (long)buf, (long)len, 0, 0);
}

int mkdir(const char *path, unsigned mode)
{
	return (int)syscall6(SYS_mkdir, (long)path, mode, 0, 0, 0);
}

int rmdir(const char *path)
{
	return (int)syscall6(SYS_rmdir, (long)path, 0, 0, 0, 0);
}

int unlink(const char *path)
{
	return (int)syscall6(SYS_unlink, (long)path, 0, 0, 0, 0);
}

int rename(const char *from, const char *to)
{
	return (int)syscall6(SYS_rename, (long)from, (long)to, 0, 0, 0);
}

int dup(int fd)
{
	return (int)syscall6(SYS_dup, fd, 0, 0, 0, 0);
}

int dup2(int fd, int newfd)
{
	return (int)syscall6(SYS_dup2, fd, newfd, 0, 0, 0);
}

int chdir(const char *path)
{
	return (int)syscall6(SYS_chdir, (long)path, 0, 0, 0, 0);
}

long getcwd(char *buf, size_t size)
{
	return syscall6(SYS_getcwd, (long)buf, (long)size, 0, 0, 0);
}

int sync(void)
{
	return (int)syscall6(SYS_sync, 0, 0, 0, 0, 0);
}

int ftruncate(int fd, long size)
{
	return (int)syscall6(SYS_ftruncate, fd, size, 0, 0, 0);
}

int statfs(const char *path, struct ustatfs *st)
{
	return (int)syscall6(SYS_statfs, (long)path, (long)st, 0, 0, 0);
}

long readlink(const char *path, char *buf, size_t size)
{
	return syscall6(SYS_readlink, (long)path, (long)buf, (long)size, 0, 0);
}
