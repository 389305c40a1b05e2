/* uapi.h — system-call ABI shared by the kernel and user/. */
#ifndef KERNEL_PROC_UAPI_H
#define KERNEL_PROC_UAPI_H

/*
 * Calling convention (both entries): `syscall` or `int 0x80` with the number
 * in RAX and arguments in RDI, RSI, RDX, R10, R8, R9; the result comes back
 * in RAX, a negative value being -errno. `syscall` clobbers RCX and R11.
 */
#define SYS_write 0  /* (fd, buf, len) -> bytes written */
#define SYS_read 1   /* (fd, buf, len) -> bytes read, 0 at end of file */
#define SYS_open 2   /* (path, flags O_*, mode) -> fd */
#define SYS_close 3  /* (fd) -> 0 */
#define SYS_exit 4   /* (status) -> does not return */
#define SYS_getpid 5 /* () -> pid */
#define SYS_yield 6  /* () -> 0; let another process run */
#define SYS_uptime 7 /* () -> milliseconds since boot */
#define SYS_listdir                                                            \
	8		/* (index, struct ustat *) -> 0, -ENOENT past the end  \
			   of the initrd's files */
#define SYS_spawn 9	/* (path) -> pid of a new process running that file */
#define SYS_wait 10	/* (int *status or 0) -> pid of an exited child */
#define SYS_fork 11	/* () -> child's pid in the parent, 0 in the child */
#define SYS_exec 12	/* (path, argv) -> only returns on error */
#define SYS_sbrk 13	/* (increment) -> the old break, -ENOMEM */
#define SYS_sleep 14	/* (milliseconds) -> 0 */
#define SYS_procinfo 15 /* (index, struct uproc *) -> 0, -ENOENT past end */
#define SYS_memstat 16	/* (struct umemstat *) -> 0 */
#define SYS_kill 17	/* (pid) -> 0, -ESRCH; the process ends with SIGKILL */
/* Files (40..): numbered apart from the process calls above. */
#define SYS_lseek 40	 /* (fd, offset, SEEK_*) -> new offset */
#define SYS_fstat 41	 /* (fd, struct stat *) -> 0 */
#define SYS_stat 42	 /* (path, struct stat *) -> 0, symlinks followed */
#define SYS_lstat 43	 /* (path, struct stat *) -> 0, a symlink itself */
#define SYS_getdents 44	 /* (fd, struct udirent *, len) -> bytes, 0: end */
#define SYS_mkdir 45	 /* (path, mode) -> 0 */
#define SYS_rmdir 46	 /* (path) -> 0; the directory must be empty */
#define SYS_unlink 47	 /* (path) -> 0 */
#define SYS_rename 48	 /* (from, to) -> 0 */
#define SYS_dup 49	 /* (fd) -> the lowest free fd, sharing the offset */
#define SYS_dup2 50	 /* (fd, newfd) -> newfd (closed first if open) */
#define SYS_chdir 51	 /* (path) -> 0 */
#define SYS_getcwd 52	 /* (buf, size) -> length, -ERANGE if it does not fit */
#define SYS_sync 53	 /* () -> 0; dirty blocks written to the disk */
#define SYS_ftruncate 54 /* (fd, size) -> 0 */
#define SYS_statfs 55	 /* (path, struct ustatfs *) -> 0 */
#define SYS_readlink 56	 /* (path, buf, size) -> bytes (no NUL added) */
#define SYS_COUNT 57

#define SYSCALL_VECTOR 0x80 /* the int 0x80 entry */

/* Error numbers (Linux's values, so strace-minded people recognise them;
 * the file-system ones are in kernel/lib/errno.h). */
#include "kernel/lib/errno.h"
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

/* open flags (Linux's values) and lseek's whence */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* st_mode */
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

struct stat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	long st_size, st_blocks; /* st_blocks in 512-byte units */
	unsigned long st_blksize;
	long st_atime, st_mtime, st_ctime; /* seconds since 1970 */
};

/* One getdents record (Linux's linux_dirent64): d_reclen bytes, 8-byte
 * aligned, d_name NUL-terminated. */
struct udirent {
	unsigned long d_ino;
	long d_off;
	unsigned short d_reclen;
	unsigned char d_type; /* DT_* */
	char d_name[];
};
#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

#define USTATFS_TYPE_MAX 16
struct ustatfs {
	unsigned long f_bsize, f_blocks, f_bfree, f_files, f_ffree;
	unsigned int f_readonly;
	char f_type[USTATFS_TYPE_MAX]; /* "ext2", "initrd" */
};

#define PATH_MAX 256 /* bytes of a path, its NUL included */

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
