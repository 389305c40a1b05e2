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
int open(const char *path);
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

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);

#endif
