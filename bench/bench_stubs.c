/* bench_stubs.c — panic() and printk() for host benchmarks (panic aborts,
 * printk is silent). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/panic.h"
#include "kernel/printk.h"

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench: panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int vprintk(const char *fmt, va_list ap)
{
	(void)fmt;
	(void)ap;
	return 0;
}

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}
