/* debug.h — the debug core's public entry: every debug event stops here. */
#ifndef KERNEL_DEBUG_DEBUG_H
#define KERNEL_DEBUG_DEBUG_H

#include "kernel/arch/trap.h"
#include "kernel/options.h" /* enum debug_mode */

enum debug_reason {
	DEBUG_EXCEPTION, /* an unhandled exception (diagnosis already printed)
			  */
	DEBUG_PANIC,	 /* panic() */
	DEBUG_REQUEST,	 /* break key, debug=monitor at boot */
};

/* Stop the kernel at frame f. Returns only when the stop may be resumed
 * (the frame may have been changed by the user). */
void debug_stop(struct trap_frame *f, enum debug_reason why);

/* Early boot (once the IDT exists): note every exception, diagnose and
 * stop on unhandled ones and on panic(). */
void debug_early_init(void);
/* Boot: install the #BP/#DB/NMI handlers and the GDB UART (gdb=). */
void debug_init(void);
/* An in-kernel test scenario (test=) runs: a diagnosed fault ends the
 * QEMU run with its verdict when the isa-debug-exit device is there. */
void debug_set_under_test(void);
/* End of boot: debug=monitor enters the monitor, debug=gdb waits for GDB. */
void debug_boot_hook(void);

#endif
