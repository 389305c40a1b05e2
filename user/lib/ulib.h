/* ulib.h — the tiny user libc: system calls, printf, strings. */
#ifndef USER_LIB_ULIB_H
#define USER_LIB_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc/uapi.h"

/* Raw entries: the `syscall` instruction, and `int 0x80` for comparison. */
long syscall6(long nr, long a, long b, long c, long d, long e);
long int80_6(long nr, long a, long b, long c, long d, long e);

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

size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);

#endif
