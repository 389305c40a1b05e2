/* cmd_faults.c — the monitor's `faults`: exception history, newest first. */
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/faultlog.h"
#include "kernel/debug/monitor.h"

#define FAULTS_DEFAULT 32 /* records shown without an argument */

/* Page faults the chain handled before the log: copy-on-write breaks. */
static void cow_breaks(struct mon_ctx *ctx)
{
	uint64_t cow = trap_count(VEC_PF) - faultlog_vector_total(VEC_PF);
	if (cow)
		mon_printf(ctx,
			   "(and %lu copy-on-write page fault%s, handled "
			   "before the log and not listed)\n",
			   (unsigned long)cow, cow > 1 ? "s" : "");
}

static int cmd_faults(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t want = FAULTS_DEFAULT, total = faultlog_total();
	if (argc > 1 &&
	    !mon_eval_range(ctx, argv[1], "count", 1, FAULTLOG_SIZE, &want))
		return MON_ERR;
	if (!total) {
		mon_printf(ctx, "faults: no exceptions since boot\n");
		cow_breaks(ctx);
		return MON_OK;
	}
	unsigned kept = total < FAULTLOG_SIZE ? (unsigned)total : FAULTLOG_SIZE;
	unsigned n = want < kept ? (unsigned)want : kept;
	const struct fault_record *newest = faultlog_get(0);
	mon_printf(ctx,
		   "%lu exception%s since boot, showing %u, newest first "
		   "(newest %lu TSC cycles ago):\n",
		   (unsigned long)total, total > 1 ? "s" : "", n,
		   (unsigned long)(rdtsc() - newest->tsc));
	for (unsigned k = 0; k < n && !mon_aborted(ctx); k++) {
		const struct fault_record *r = faultlog_get(k);
		const struct fault_record *older = faultlog_get(k + 1);
		diag_fault_record(&ctx->out, r,
				  older ? r->tsc - older->tsc : 0);
	}
	cow_breaks(ctx);
	return MON_OK;
}
MON_COMMAND(faults, "[count]",
	    "the exception history, newest first\n"
	    "Every exception is logged first thing on entry (vector, error\n"
	    "code, RIP, RSP, CR2, CR3, TSC), so the chain that led to a\n"
	    "double fault is visible. Shows the last 32 (or count, at most\n"
	    "64); '+N cycles' is the time since the exception before it.\n"
	    "Tagged [fix-up] (resumed by the fix-up table: a probe, an\n"
	    "EFAULT), [debugger step], [debugger breakpoint] and [debug\n"
	    "register] are kept out of the chain a crash diagnosis and the\n"
	    "crash record show. Copy-on-write breaks are only counted.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_faults);
