/* options.c — the table of every kernel command-line option: name, type,
 * default, help. */
#include "kernel/cmdline.h"
#include "kernel/options.h"
#include "kernel/printk.h"

struct kernel_options kopts;

static const char *const debug_modes[] = {"on", "monitor", "gdb", "off", 0};

static const struct cmdline_opt options[] = {
    {"console", OPT_STRING, kopts.console, sizeof kopts.console, 0,
     "UART for the console: auto (default: ACPI SPCR, else COM1-4, else "
     "a PCI 16550), ttyS0..ttyS3, io:0xPORT, mmio:0xADDR, mmio32:0xADDR, "
     "pci or none; optional ,baud"},
    {"debug", OPT_ENUM, &kopts.debug, 0, debug_modes,
     "on (faults stop in the monitor), monitor (enter at boot end), "
     "gdb (wait for GDB at boot end), off (faults print and halt)"},
    {"gdb", OPT_STRING, kopts.gdb, sizeof kopts.gdb, 0,
     "UART for the GDB stub, e.g. ttyS1 (default: the console's)"},
    {"test", OPT_STRING, kopts.test, sizeof kopts.test, 0,
     "run an in-kernel test or deliberate fault (test=list shows them)"},
    {"init", OPT_STRING, kopts.init, sizeof kopts.init, 0,
     "first user program, a file of the initrd (default init; none: no "
     "user space)"},
    {"hz", OPT_UINT, &kopts.hz, 0, 0,
     "timer interrupt rate in Hz, 19-10000 (default 100)"},
    {"quiet", OPT_BOOL, &kopts.quiet, 0, 0, "shorter boot log"},
};

/* Options are parsed before any console exists; warnings wait here. */
static char pending[512];
static unsigned pending_len;

static void warn(const char *msg)
{
	pending_len += (unsigned)ksnprintf(pending + pending_len,
					   sizeof pending - pending_len,
					   "warning: %s\n", msg);
	if (pending_len >= sizeof pending)
		pending_len = sizeof pending - 1;
}

void options_flush_warnings(void)
{
	if (pending_len)
		printk("%s", pending);
	pending_len = 0;
}

void options_parse(const char *cmdline)
{
	kopts = (struct kernel_options){.debug = DEBUG_MODE_ON,
					.hz = KOPT_DEFAULT_HZ};
	cmdline_parse(cmdline, options, sizeof options / sizeof options[0],
		      warn);
}

void options_print_help(void)
{
	for (unsigned i = 0; i < sizeof options / sizeof options[0]; i++)
		printk("  %-8s %s\n", options[i].name, options[i].help);
}
