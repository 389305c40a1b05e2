/* debug.h — the debug core's public entry: every debug event stops here. */
#ifndef KERNEL_DEBUG_DEBUG_H
#define KERNEL_DEBUG_DEBUG_H

#include "kernel/arch/trap.h"

enum debug_reason {
	DEBUG_EXCEPTION, /* an unhandled exception (diagnosis already printed)
			  */
	DEBUG_PANIC,	 /* panic() */
	DEBUG_REQUEST,	 /* break key, debug=monitor at boot */
};

enum debug_mode {
	DEBUG_MODE_ON,	    /* default: faults stop in the debugger */
	DEBUG_MODE_MONITOR, /* and enter the monitor at the end of boot */
	DEBUG_MODE_GDB,	    /* and wait for GDB at the end of boot */
	DEBUG_MODE_OFF,	    /* locked down: faults print and halt */
};

/* Stop the kernel at frame f. Returns only when the stop may be resumed
 * (the frame may have been changed by the user). */
void debug_stop(struct trap_frame *f, enum debug_reason why);

/* Boot: install the #BP/#DB/NMI handlers and the GDB UART (gdb=). */
void debug_init(void);
/* End of boot: debug=monitor enters the monitor, debug=gdb waits for GDB. */
void debug_boot_hook(void);

#endif
