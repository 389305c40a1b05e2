/* options.h — the kernel's command-line options, parsed once at boot. */
#ifndef KERNEL_OPTIONS_H
#define KERNEL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/debug/debug.h"

struct kernel_options {
	char console[48]; /* "ttyS0,115200", "io:0x3f8,9600", "none" */
	int debug;        /* enum debug_mode */
	char gdb[48];     /* UART for the GDB stub ("" = the console's) */
	char test[48];    /* in-kernel test to run ("" = none) */
	char init[48];    /* first user program ("" = init, "none" = none) */
	uint64_t hz;      /* timer rate */
	bool quiet;       /* shorter boot log */
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
