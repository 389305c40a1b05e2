/* printk.c — printk: formatted kernel messages to the registered console
 * output, serialised. */
#include "kernel/arch/x86.h"
#include "kernel/printk.h"

static void (*output)(char c);

static void output_sink(void *ctx, char c)
{
	(void)ctx;
	if (output)
		output(c);
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
