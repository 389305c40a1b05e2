/* uapi.h — system-call ABI shared by the kernel and user/. */
#ifndef KERNEL_PROC_UAPI_H
#define KERNEL_PROC_UAPI_H

/*
 * Calling convention (both entries): `syscall` or `int 0x80` with the number
 * in RAX and arguments in RDI, RSI, RDX, R10, R8, R9; the result comes back
 * in RAX, a negative value being -errno. `syscall` clobbers RCX and R11.
 */
#define SYS_write 0	/* (fd, buf, len) -> bytes written */
#define SYS_read 1	/* (fd, buf, len) -> bytes read, 0 at end of file */
#define SYS_open 2	/* (path) -> fd of an initrd file, read-only */
#define SYS_close 3	/* (fd) -> 0 */
#define SYS_exit 4	/* (status) -> does not return */
#define SYS_getpid 5	/* () -> pid */
#define SYS_yield 6	/* () -> 0; let another process run */
#define SYS_uptime 7	/* () -> milliseconds since boot */
#define SYS_listdir 8	/* (index, struct ustat *) -> 0, -ENOENT past the end */
#define SYS_spawn 9	/* (path) -> pid of a new process running that file */
#define SYS_wait 10	/* (int *status or 0) -> pid of an exited child */
#define SYS_fork 11	/* () -> child's pid in the parent, 0 in the child */
#define SYS_exec 12	/* (path, argv) -> only returns on error */
#define SYS_sbrk 13	/* (increment) -> the old break, -ENOMEM */
#define SYS_sleep 14	/* (milliseconds) -> 0 */
#define SYS_procinfo 15 /* (index, struct uproc *) -> 0, -ENOENT past end */
#define SYS_memstat 16	/* (struct umemstat *) -> 0 */
#define SYS_kill 17	/* (pid) -> 0, -ESRCH; the process ends with SIGKILL */
#define SYS_COUNT 18

#define SYSCALL_VECTOR 0x80 /* the int 0x80 entry */

/* Error numbers (Linux's values, so strace-minded people recognise them). */
#define ENOENT 2
#define ESRCH 3
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22
#define EMFILE 24
#define ENAMETOOLONG 36
#define ENOSYS 38

/* Signals a user fault is reported as (Linux's numbers). */
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11

/* Wait status: exited with code c = c << 8; killed by signal s = s. */
#define W_EXITED(st) (((st)&0x7f) == 0)
#define W_EXITCODE(st) (((st) >> 8) & 0xff)
#define W_TERMSIG(st) ((st)&0x7f)
#define W_MAKE_EXIT(c) (((c)&0xff) << 8)

#define FD_STDIN 0
#define FD_STDOUT 1
#define FD_STDERR 2

#define USTAT_NAME_MAX 100
/* One initrd file, as SYS_listdir reports it. */
struct ustat {
	char name[USTAT_NAME_MAX];
	unsigned long size;
};

/* Limits of exec's argument vector. */
#define EXEC_ARGV_MAX 16 /* arguments, the program name included */
#define EXEC_ARG_LEN 128 /* bytes of one argument, its NUL included */

#define UPROC_NAME_MAX 16
/* One process-table slot, as SYS_procinfo reports it. */
struct uproc {
	int pid, ppid;	/* ppid 0: no parent */
	char state[12]; /* "runnable", "running", "blocked", "zombie" */
	char name[UPROC_NAME_MAX];
	unsigned long cr3, rip;
};

/* Memory counters (SYS_memstat): usertests compares them before/after. */
struct umemstat {
	unsigned long free_pages; /* the page allocator's free pages */
	unsigned long user_pages; /* frames + page tables of user spaces */
};

/* User space: the lowest and one past the highest user address. */
#define USER_BASE 0x400000ULL
#define USER_END 0x800000000000ULL

#endif
