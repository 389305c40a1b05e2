/* format.h — printf-style formatting into a character sink or a buffer (no I/O
 * of its own). */
#ifndef KERNEL_LIB_FORMAT_H
#define KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* A sink receives formatted output one character at a time. */
typedef void (*fmt_putc_fn)(void *ctx, char c);

/* Format into sink; supports %d %i %u %x %X %p %s %c %%, the l/ll/z
 * length modifiers, a width (or *), a precision for %s (.N or .*),
 * '0' padding and '-' left-justify.
 * Returns the number of characters produced. */
int kvformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when n > 0, returns the length
 * the full output would have had. */
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An output sink: where a report goes (printk's consoles, the monitor's
 * pager, a buffer). Code that prints a diagnosis takes one, so the same
 * function serves the fault path and the monitor. */
struct printer {
	fmt_putc_fn putc;
	void *ctx;
};

int pr_printf(const struct printer *pr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int pr_vprintf(const struct printer *pr, const char *fmt, va_list ap);
void pr_putc(const struct printer *pr, char c);

#endif
