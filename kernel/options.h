/* options.h — the kernel's command-line options, parsed once at boot. */
#ifndef KERNEL_OPTIONS_H
#define KERNEL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* debug= (the debugger, kernel/debug/, acts on it). */
enum debug_mode {
	DEBUG_MODE_ON,	    /* default: faults stop in the debugger */
	DEBUG_MODE_MONITOR, /* and enter the monitor at the end of boot */
	DEBUG_MODE_GDB,	    /* and wait for GDB at the end of boot */
	DEBUG_MODE_OFF,	    /* locked down: faults print and halt */
};

#define KOPT_DEFAULT_HZ 100 /* hz= when not given: the timer's rate */

struct kernel_options {
	char console[48]; /* "ttyS0,115200", "io:0x3f8,9600", "none" */
	int debug;	  /* enum debug_mode */
	char gdb[48];	  /* UART for the GDB stub ("" = the console's) */
	char test[48];	  /* in-kernel test to run ("" = none) */
	char init[48];	  /* first user program ("" = init, "none" = none) */
	uint64_t hz;	  /* timer rate */
	bool quiet;	  /* shorter boot log */
};

extern struct kernel_options kopts;

/* Parse the command line into kopts (defaults first); warnings are kept
 * for options_flush_warnings(). */
void options_parse(const char *cmdline);
/* Print the warnings options_parse() collected (once a console exists). */
void options_flush_warnings(void);
/* One line per option with its help text (for the monitor and docs). */
void options_print_help(void);

#endif
