/* ulib.h — the tiny user libc: system calls, printf, strings, malloc. */
#ifndef USER_LIB_ULIB_H
#define USER_LIB_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/string.h" /* kernel/lib/string.c is linked in unchanged */
#include "kernel/proc/uapi.h"

/* Raw entries: the `syscall` instruction, and `int 0x80` for comparison. */
long syscall6(long nr, long a, long b, long c, long d, long e);
long int80_6(long nr, long a, long b, long c, long d, long e);

/* The wrappers return the kernel's result: negative values are -errno. */
long write(int fd, const void *buf, size_t len);
long read(int fd, void *buf, size_t len);
/* flags O_*; with O_CREAT a third argument gives the permission bits. */
int open(const char *path, int flags, ...);
int close(int fd);
__attribute__((noreturn)) void exit(int status);
int getpid(void);
int yield(void);
long uptime(void);
int listdir(unsigned long index, struct ustat *st);
int spawn(const char *path);
int wait(int *status);
int fork(void);
/* Replace this program by the initrd file path; argv is NULL-terminated
 * and argv[0] is the program's name. Returns only on error. */
int exec(const char *path, char *const argv[]);
/* Move the break by incr bytes: the old break, or (void *)-1 on error. */
void *sbrk(long incr);
int sleep(unsigned long ms);
int procinfo(unsigned long index, struct uproc *p);
int memstat(struct umemstat *m);
int kill(int pid);
long lseek(int fd, long offset, int whence);
int fstat(int fd, struct stat *st);
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
long getdents(int fd, void *buf, size_t len);
int mkdir(const char *path, unsigned mode);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *from, const char *to);
int dup(int fd);
int dup2(int fd, int newfd);
int chdir(const char *path);
/* The current directory into buf: its length, or -ERANGE / -EFAULT. */
long getcwd(char *buf, size_t size);
int sync(void);
int ftruncate(int fd, long size);
int statfs(const char *path, struct ustatfs *st);
long readlink(const char *path, char *buf, size_t size);

/* dir.c: reading a directory with getdents. */
struct dir {
	int fd;
	long len, off; /* bytes in buf, the next record */
	char buf[2048];
};
/* 0, or a negative errno (ENOTDIR, ENOENT ...). */
int dir_open(struct dir *d, const char *path);
/* The next entry, NULL at the end or on an error (*err then < 0). */
struct udirent *dir_next(struct dir *d, int *err);
void dir_close(struct dir *d);
/* The last component of path ("c" of "/a/b/c/"; the trailing slash is
 * ignored only in the copy it returns in buf). */
const char *path_base(const char *path, char *buf, size_t n);
/* dst/base(src) when dst is a directory, else dst (mv, cp). */
const char *path_target(const char *src, const char *dst, char *buf, size_t n);
/* Write all of buf (retrying short writes): len, or a negative errno. */
long write_all(int fd, const void *buf, size_t len);

/* malloc.c: a first-fit free list grown with sbrk. */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

/* stdlib.c */
int atoi(const char *s);
int isspace(int c);
int isdigit(int c);
const char *signal_name(int sig);
const char *strerror(int err);
/* "2026-12-07 03:02:03" for seconds since 1970 (UTC). */
void format_time(long t, char *buf, size_t n);

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf to a descriptor (error messages go to FD_STDERR). */
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);

#endif
