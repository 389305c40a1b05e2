/* debug_core.c — the one place every debug event stops: verdict for tests, else
 * halt. */
#include "kernel/debug/debug.h"
#include "kernel/ktest.h"
#include "kernel/options.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

void debug_stop(struct trap_frame *f, enum debug_reason why)
{
	(void)f;
	(void)why;
	/* Under test, a diagnosed stop ends the run with its own verdict, so
	 * the harness can tell "diagnosed" from a reset (exit 0) or a hang. */
	if (ktest_active() && kopts.debug != DEBUG_MODE_OFF)
		qemu_exit(QEMU_EXIT_DIAGNOSED);
	printk("system halted; reset the machine to continue.\n");
	cli();
	for (;;)
		hlt();
}
