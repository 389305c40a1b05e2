/* printf.c — user printf family on kernel/lib/format.c (compiled into the
 * library unchanged). */
#include "kernel/lib/format.h"
#include "user/lib/ulib.h"

#define PRINTF_BUF 512

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return kvsnprintf(buf, n, fmt, ap);
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

static int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[PRINTF_BUF];
	int r = kvsnprintf(buf, sizeof buf, fmt, ap);
	size_t len = (size_t)r < sizeof buf ? (size_t)r : sizeof buf - 1;
	write(fd, buf, len);
	return r;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(FD_STDOUT, fmt, ap);
	va_end(ap);
	return r;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

int puts(const char *s)
{
	write(FD_STDOUT, s, strlen(s));
	return (int)write(FD_STDOUT, "\n", 1);
}
