/* panic.c — panic(): format the reason, then trap so the diagnosis has a real register frame. */
#include "kernel/debug/debug.h"
#include "kernel/debug/diag.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"

static char panic_msg[256];
static int panicking;

/* The VEC_PANIC trap: the frame is the state at the `int` in panic(). */
static void panic_trap(struct trap_frame *f)
{
	printk("\n*** PANIC: %s ***\n", panic_msg);
	diag_registers(f);
	diag_control_registers();
	diag_backtrace(f->rip, f->rbp);
	debug_stop(f, DEBUG_PANIC);
	/* A panic is never resumed, even if the debugger returns. */
	for (;;)
		hlt();
}

void panic_init(void)
{
	trap_register(VEC_PANIC, panic_trap);
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
	__asm__ volatile("int %0" : : "i"(VEC_PANIC));
	for (;;)
		hlt();
}
