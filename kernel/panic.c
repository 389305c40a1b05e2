/* panic.c — panic(): format the reason, then trap so the diagnosis has a real
 * register frame. */
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static char panic_msg[256];
static int panicking;

const char *panic_message(void)
{
	return panic_msg;
}

void panic(const char *fmt, ...)
{
	cli();
	if (panicking++) {
		printk("\n*** PANIC while panicking: %s — halting ***\n", fmt);
		for (;;)
			hlt();
	}
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
	va_end(ap);
	/* The VEC_PANIC handler (the debugger's, kernel/debug) prints it. */
	__asm__ volatile("int %0" : : "i"(VEC_PANIC));
	for (;;)
		hlt();
}
