/* printk.c — printk: formatted kernel messages to the registered console
 * output, serialised, and kept in the kernel log ring. */
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static void (*output)(char c);

/* The kernel log (dmesg): character i since boot is at buf[i % SIZE] while
 * i >= head - SIZE. Global, not static, so that GDB's kdmesg
 * (scripts/gdb/triage.py) finds them by name. */
char printk_log_buf[PRINTK_LOG_SIZE];
uint64_t printk_log_head; /* characters logged since boot */

/* Callers hold interrupts off: one CPU, so the ring needs no lock. */
static void output_sink(void *ctx, char c)
{
	(void)ctx;
	printk_log_buf[printk_log_head++ % PRINTK_LOG_SIZE] = c;
	if (output)
		output(c);
}

uint64_t printk_log_end(void)
{
	return printk_log_head;
}

uint64_t printk_log_start(void)
{
	uint64_t end = printk_log_head;
	return end > PRINTK_LOG_SIZE ? end - PRINTK_LOG_SIZE : 0;
}

size_t printk_log_read(uint64_t pos, char *buf, size_t n)
{
	uint64_t end = printk_log_head;
	if (pos < printk_log_start() || pos >= end)
		return 0;
	if (n > end - pos)
		n = (size_t)(end - pos);
	size_t at = (size_t)(pos % PRINTK_LOG_SIZE),
	       first = PRINTK_LOG_SIZE - at;
	if (first > n)
		first = n;
	memcpy(buf, printk_log_buf + at, first);
	memcpy(buf + first, printk_log_buf, n - first);
	return n;
}

static void printer_putc(void *ctx, char c)
{
	uint64_t f = irq_save();
	output_sink(ctx, c);
	irq_restore(f);
}

const struct printer printk_out = {printer_putc, 0};

void printk_set_output(void (*putc)(char c))
{
	output = putc;
}

int vprintk(const char *fmt, va_list ap)
{
	/* Interrupts off so a message is not interleaved with an IRQ's. */
	uint64_t f = irq_save();
	int n = kvformat(output_sink, 0, fmt, ap);
	irq_restore(f);
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
