/* printk.c — printk: formatted kernel messages to every console, serialised. */
#include "drivers/console.h"
#include "kernel/printk.h"
#include "kernel/arch/x86.h"

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

int vprintk(const char *fmt, va_list ap)
{
	/* Interrupts off so a message is not interleaved with an IRQ's. */
	uint64_t f = irq_save();
	int n = kvformat(console_sink, 0, fmt, ap);
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
