/* printk.h — kernel messages: printk to the output the console driver
 * registers. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#include "kernel/lib/format.h"

/* Print to every active console (serial, screen). Before an output is
 * registered, messages are dropped. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* printk's consoles as a struct printer. */
extern const struct printer printk_out;

/* The console layer registers where printk's characters go (drivers sit
 * above this file's layer, so printk cannot name them). */
void printk_set_output(void (*putc)(char c));

#endif
