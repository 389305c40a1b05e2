/* sys_file.h — the file system calls' handlers for the system-call table
 * (arguments as syscall.c passes them: RDI, RSI, RDX, R10, R8). */
#ifndef KERNEL_PROC_SYS_FILE_H
#define KERNEL_PROC_SYS_FILE_H

#include <stdint.h>

long sys_read(const uint64_t a[5]);
long sys_write(const uint64_t a[5]);
long sys_open(const uint64_t a[5]);
long sys_close(const uint64_t a[5]);
long sys_listdir(const uint64_t a[5]);
long sys_lseek(const uint64_t a[5]);
long sys_fstat(const uint64_t a[5]);
long sys_stat(const uint64_t a[5]);
long sys_lstat(const uint64_t a[5]);
long sys_getdents(const uint64_t a[5]);
long sys_mkdir(const uint64_t a[5]);
long sys_rmdir(const uint64_t a[5]);
long sys_unlink(const uint64_t a[5]);
long sys_rename(const uint64_t a[5]);
long sys_dup(const uint64_t a[5]);
long sys_dup2(const uint64_t a[5]);
long sys_chdir(const uint64_t a[5]);
long sys_getcwd(const uint64_t a[5]);
long sys_sync(const uint64_t a[5]);
long sys_ftruncate(const uint64_t a[5]);
long sys_statfs(const uint64_t a[5]);
long sys_readlink(const uint64_t a[5]);

/* The table's entries for them (designated initializers). */
#define SYS_FILE_TABLE                                                         \
	[SYS_write] = sys_write, [SYS_read] = sys_read, [SYS_open] = sys_open, \
	[SYS_close] = sys_close, [SYS_listdir] = sys_listdir,                  \
	[SYS_lseek] = sys_lseek, [SYS_fstat] = sys_fstat,                      \
	[SYS_stat] = sys_stat, [SYS_lstat] = sys_lstat,                        \
	[SYS_getdents] = sys_getdents, [SYS_mkdir] = sys_mkdir,                \
	[SYS_rmdir] = sys_rmdir, [SYS_unlink] = sys_unlink,                    \
	[SYS_rename] = sys_rename, [SYS_dup] = sys_dup, [SYS_dup2] = sys_dup2, \
	[SYS_chdir] = sys_chdir, [SYS_getcwd] = sys_getcwd,                    \
	[SYS_sync] = sys_sync, [SYS_ftruncate] = sys_ftruncate,                \
	[SYS_statfs] = sys_statfs, [SYS_readlink] = sys_readlink

#endif
