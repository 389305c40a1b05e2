/* cmd_crash.c — `crash <kind>`: deliberate faults to practise diagnosis on (and
 * to test it). */
#include "kernel/debug/crash.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/monitor.h"
#include "kernel/lib/string.h"

static void list_kinds(struct mon_ctx *ctx)
{
	for (unsigned i = 0; i < crash_kinds_count; i++)
		mon_printf(ctx, "  %-13s %s\n", crash_kinds[i].name,
			   crash_kinds[i].what);
}

static int cmd_crash(struct mon_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		mon_printf(ctx, "crash kinds:\n");
		list_kinds(ctx);
		return MON_OK;
	}
	const struct crash_kind *k = crash_find(argv[1]);
	if (!k) {
		mon_printf(ctx, "crash: no kind '%s'; one of:\n", argv[1]);
		list_kinds(ctx);
		return MON_ERR;
	}
	const struct debug_stop_info *s = debug_current();
	if (s && !s->resumable) {
		mon_printf(ctx,
			   "crash: this stop cannot be resumed (%s), so "
			   "nothing can run; 'reboot' first\n",
			   s->why_not);
		return MON_ERR;
	}
	mon_printf(ctx, "crash: %s - resuming into it\n", k->what);
	debug_run_after_resume(k->fn);
	return MON_CONTINUE;
}
MON_COMMAND(crash, "[kind]",
	    "fault on purpose: de ud gp pf noncanonical stack idt int3 nmi\n"
	    "Resumes the kernel and makes it fault in the chosen way, so the "
	    "diagnosis can be seen (and tested). Without a kind, lists them.",
	    MON_NOREPEAT, cmd_crash);
