/* harness.c — host implementations of panic() and printk() for unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/panic.h"
#include "kernel/printk.h"
#include "tests/unit/harness.h"

jmp_buf *harness_panic_jmp;
char harness_panic_msg[512];
char harness_printk_buf[65536];
size_t harness_printk_len;

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(harness_panic_msg, sizeof harness_panic_msg, fmt, ap);
	va_end(ap);
	if (harness_panic_jmp)
		longjmp(*harness_panic_jmp, 1);
	fprintf(stderr, "unexpected panic: %s\n", harness_panic_msg);
	abort();
}

void harness_printk_reset(void)
{
	harness_printk_len = 0;
	harness_printk_buf[0] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	size_t room = sizeof harness_printk_buf - harness_printk_len;
	int n =
	    vsnprintf(harness_printk_buf + harness_printk_len, room, fmt, ap);
	if (n > 0)
		harness_printk_len += (size_t)n < room ? (size_t)n : room - 1;
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
