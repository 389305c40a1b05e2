/* printk.h — kernel messages: printk to the output the console driver
 * registers. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/format.h"

/* Print to every active console (serial, screen), and into the kernel log.
 * Before an output is registered, messages only reach the log. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* printk's consoles as a struct printer. */
extern const struct printer printk_out;

/* The console layer registers where printk's characters go (drivers sit
 * above this file's layer, so printk cannot name them). */
void printk_set_output(void (*putc)(char c));

/* The kernel log: every character printk (and printk_out) wrote since boot,
 * the newest PRINTK_LOG_SIZE of them held in a ring (the monitor's dmesg,
 * GDB's kdmesg). Positions count characters since boot. */
#define PRINTK_LOG_SIZE 65536 /* bytes held; a power of two */
/* One past the newest character, and the oldest one still held. */
uint64_t printk_log_end(void);
uint64_t printk_log_start(void);
/* Copy up to n held characters from position pos into buf; returns how
 * many (0 when pos is no longer held or not yet written). */
size_t printk_log_read(uint64_t pos, char *buf, size_t n);

#endif
