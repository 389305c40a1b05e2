/* cmd_break.c — breakpoints in the monitor: bp, hbp, watch, bl, bc (int3 and
 * DR0–DR3). */
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"

static void print_where(struct mon_ctx *ctx, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		mon_printf(ctx, "0x%016lx <%s+0x%lx>", addr, name, off);
	else
		mon_printf(ctx, "0x%016lx", addr);
}

static int report(struct mon_ctx *ctx, const char *cmd, int rc, uint64_t a)
{
	if (rc == 0)
		return MON_OK;
	mon_printf(ctx, "%s: 0x%lx: %s\n", cmd, a, bp_strerror(rc));
	return MON_ERR;
}

static int cmd_bp(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t a;
	(void)argc;
	if (!mon_eval(ctx, argv[1], &a))
		return MON_ERR;
	int rc = bp_set(a);
	if (rc == 0) {
		mon_printf(ctx, "breakpoint at ");
		print_where(ctx, a);
		mon_printf(ctx, "\n");
	}
	return report(ctx, "bp", rc, a);
}
MON_COMMAND(bp, "<addr|sym>",
	    "set a software (int3) breakpoint\n"
	    "The int3 is written when the kernel resumes and "
	    "removed whenever it stops, so memory dumps show "
	    "the original bytes. Hitting it enters the monitor. Only in "
	    "code: kernel text or a user page without NX (for data, "
	    "'watch').",
	    MON_NOREPEAT, cmd_bp);

/* Say which debug register a new hardware slot took. */
static void print_slot(struct mon_ctx *ctx, enum hw_kind kind, uint64_t a)
{
	const struct hw_slot *s = hw_slot_get((unsigned)hw_find(kind, a));
	mon_printf(ctx, "%s DR%d at ",
		   kind == HW_EXEC ? "hardware breakpoint" : "watchpoint",
		   hw_find(kind, a));
	print_where(ctx, a);
	if (kind != HW_EXEC)
		mon_printf(ctx, " len %u, stops on %s", s->len,
			   kind == HW_RW ? "reads and writes" : "writes");
	mon_printf(ctx, "\n");
}

static int cmd_hbp(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t a;
	(void)argc;
	if (!mon_eval(ctx, argv[1], &a))
		return MON_ERR;
	int rc = hw_set(HW_EXEC, a, 1);
	if (rc == 0)
		print_slot(ctx, HW_EXEC, a);
	return report(ctx, "hbp", rc, a);
}
MON_COMMAND(hbp, "<addr|sym>", "set a hardware execute breakpoint (DR0-DR3)",
	    MON_NOREPEAT, cmd_hbp);

static int cmd_watch(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t a, len = 8;
	enum hw_kind kind = HW_WRITE;
	if (!mon_eval(ctx, argv[1], &a) ||
	    (argc > 2 && !mon_eval(ctx, argv[2], &len)))
		return MON_ERR;
	if (argc > 3 && !strcmp(argv[3], "rw"))
		kind = HW_RW;
	else if (argc > 3 && strcmp(argv[3], "w")) {
		mon_printf(ctx, "watch: mode must be w (writes) or rw "
				"(reads and writes); x86 cannot watch reads "
				"alone\n");
		return MON_ERR;
	}
	int rc = hw_set(kind, a, (unsigned)len);
	if (rc == 0)
		print_slot(ctx, kind, a);
	return report(ctx, "watch", rc, a);
}
MON_COMMAND(watch, "<addr> [len] [w|rw]",
	    "stop when memory is written (w, default) or accessed (rw)\n"
	    "Uses a debug register (DR0-DR3); len is 1, 2, 4 or 8 (default "
	    "8) and addr must be aligned to it, canonical and not 0; it may "
	    "not overlap another watchpoint. A hit names the slot and "
	    "address with the old and new value.",
	    MON_NOREPEAT, cmd_watch);

static const char *const kind_names[] = {"hw-exec", "watch-w", "?", "watch-rw"};

static int cmd_bl(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint64_t a[BP_MAX];
	size_t n = bp_list(a, BP_MAX), shown = n;
	for (size_t i = 0; i < n; i++) {
		mon_printf(ctx, "  int3      ");
		print_where(ctx, a[i]);
		mon_printf(ctx, "\n");
	}
	for (unsigned i = 0; i < HW_SLOTS; i++) {
		const struct hw_slot *s = hw_slot_get(i);
		if (!s->used)
			continue;
		mon_printf(ctx, "  %-8s  ", kind_names[s->kind]);
		print_where(ctx, s->addr);
		mon_printf(ctx, " len %u (DR%u)\n", s->len, i);
		shown++;
	}
	if (!shown)
		mon_printf(ctx, "no breakpoints or watchpoints\n");
	return MON_OK;
}
MON_COMMAND(bl, "", "list breakpoints and watchpoints", MON_SAFE_AFTER_DF,
	    cmd_bl);

static int cmd_bc(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t a;
	(void)argc;
	if (!strcmp(argv[1], "all")) {
		bp_clear_all();
		hw_clear_all();
		mon_printf(ctx, "all breakpoints and watchpoints cleared\n");
		return MON_OK;
	}
	if (!mon_eval(ctx, argv[1], &a))
		return MON_ERR;
	int rc = bp_clear(a);
	if (rc == 0) {
		mon_printf(ctx, "cleared int3 at ");
		print_where(ctx, a);
		mon_printf(ctx, "\n");
	}
	for (unsigned i = 0; i < HW_SLOTS; i++) {
		const struct hw_slot *s = hw_slot_get(i);
		if (!s->used || s->addr != a)
			continue;
		mon_printf(ctx, "cleared %s DR%u at ", kind_names[s->kind], i);
		print_where(ctx, a);
		mon_printf(ctx, "\n");
		rc = hw_clear(s->kind, a, s->len);
	}
	return report(ctx, "bc", rc, a);
}
MON_COMMAND(bc, "<addr|sym|all>", "clear the breakpoint or watchpoint at addr",
	    MON_NOREPEAT, cmd_bc);
