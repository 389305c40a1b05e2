/* cmd_run.c — monitor commands that leave or change the stop: c, s, reboot,
 * gdb. */
#include "kernel/arch/x86.h"
#include "kernel/debug/crashrec.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_io.h"
#include "kernel/debug/diag.h"
#include "fs/storage.h"
#include "kernel/debug/monitor.h"

#define KBC_COMMAND 0x64 /* 8042 keyboard controller command port */
#define KBC_PULSE_RESET 0xfe
#define S_MAX_COUNT (MON_RANGE_DECIMAL - 1) /* steps one `s N` may take */

static int cmd_c(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	const struct debug_stop_info *s = debug_current();
	if (s && !s->resumable) {
		mon_printf(ctx,
			   "cannot continue: %s. Inspect, then 'reboot'.\n",
			   s->why_not);
		return MON_ERR;
	}
	mon_printf(ctx, "resuming\n");
	return MON_CONTINUE;
}
MON_COMMAND(c, "",
	    "continue the stopped kernel\n"
	    "Resumes where the kernel stopped. A fault that would only "
	    "repeat (page fault, #GP, panic, double fault) cannot be "
	    "resumed; the monitor says so and stays.",
	    MON_SAFE_AFTER_DF | MON_NOREPEAT, cmd_c);

static int cmd_s(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t n = 1;
	const struct debug_stop_info *s = debug_current();
	if (argc > 1 &&
	    !mon_eval_range(ctx, argv[1], "count", 1, S_MAX_COUNT, &n))
		return MON_ERR;
	if (s && !s->resumable) {
		mon_printf(ctx, "cannot step: %s.\n", s->why_not);
		return MON_ERR;
	}
	debug_request_steps(n);
	return MON_CONTINUE;
}
MON_COMMAND(s, "[count]",
	    "single-step one instruction, or count of them\n"
	    "Executes one instruction with the trap flag set and stops "
	    "again, showing the next RIP and its symbol. With count, steps\n"
	    "that many, printing each RIP (a trace), and stops after the\n"
	    "last or at any other stop (breakpoint, fault). An empty line "
	    "steps again. 'n' steps over calls.",
	    0, cmd_s);

static int cmd_reboot(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* the disk first, unless this is a double fault's restricted mode */
	int rc = ctx->require & MON_SAFE_AFTER_DF ? 0 : storage_sync();
	if (rc)
		mon_printf(ctx,
			   "reboot: disk cache not written back (error "
			   "%d)\n",
			   rc);
	mon_printf(ctx, "rebooting\n");
	crashrec_clean_reboot();
	outb(KBC_COMMAND, KBC_PULSE_RESET);
	/* Still here: force a triple fault with an empty IDT. */
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = {0, 0};
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	return MON_OK;
}
MON_COMMAND(reboot, "",
	    "reset the machine (8042 reset line, else a triple fault)",
	    MON_SAFE_AFTER_DF | MON_NOREPEAT, cmd_reboot);

static int cmd_gdb(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct uart *u = debug_gdb_uart();
	mon_printf(ctx,
		   "handing the line at io 0x%x to the GDB stub; in GDB: "
		   "target remote <this serial line>\n",
		   u->port);
	debug_switch_to_gdb();
	return MON_CONTINUE;
}
MON_COMMAND(gdb, "",
	    "hand the serial line to the GDB stub\n"
	    "Stops talking to the terminal and waits for GDB's "
	    "remote protocol on the GDB UART (gdb= option, default "
	    "the console's). GDB's detach returns here.",
	    MON_NOREPEAT, cmd_gdb);
