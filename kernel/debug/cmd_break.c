/* cmd_break.c — breakpoints in the monitor: bp, tbp, hbp, watch, bl, bc (int3
 * and DR0–DR3). */
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/mon_proc.h"
#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/uapi.h"
#include "mm/pagetable.h"

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

/* The condition: argv[i..argc) joined with spaces into o->cond, checked
 * for syntax, symbols and registers now (it is evaluated at each hit). */
static bool parse_cond(struct mon_ctx *ctx, int i, int argc, char **argv,
		       struct bp_opts *o)
{
	char err[MON_EXPR_ERR_MAX];
	size_t n = 0;
	for (; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (n + len + 2 > sizeof o->cond) {
			mon_printf(ctx,
				   "%s: condition too long (at most %u "
				   "characters)\n",
				   ctx->cmd->name, BP_COND_MAX - 1);
			return false;
		}
		if (n)
			o->cond[n++] = ' ';
		memcpy(o->cond + n, argv[i], len + 1);
		n += len;
	}
	if (!n)
		return false; /* "if" alone: the usage line says what */
	if (mon_expr_check(&ctx->expr, o->cond, err, sizeof err) == 0)
		return true;
	mon_printf(ctx, "%s: condition '%s': %s\n", ctx->cmd->name, o->cond,
		   err);
	return false;
}

/* The optional words after the address: [pid] [skip n] [if expr...].
 * Returns MON_OK, MON_USAGE, or MON_ERR after printing why. */
static int parse_bp_opts(struct mon_ctx *ctx, int argc, char **argv,
			 struct bp_opts *o)
{
	uint64_t v;
	int i = 2;
	if (i < argc && strcmp(argv[i], "if") && strcmp(argv[i], "skip")) {
		if (!mon_eval(ctx, argv[i], &v) || !mon_proc(ctx, v))
			return MON_ERR;
		o->pid = (int)v;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "skip")) {
		if (i + 1 >= argc)
			return MON_USAGE;
		if (!mon_eval_range(ctx, argv[i + 1], "skip count", 0,
				    UINT32_MAX, &v))
			return MON_ERR;
		o->ignore = (uint32_t)v;
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "if"))
		return parse_cond(ctx, i + 1, argc, argv, o)
			   ? MON_OK
			   : (i + 1 < argc ? MON_ERR : MON_USAGE);
	return i == argc ? MON_OK : MON_USAGE;
}

/* bp and tbp. A user address with a pid goes into that process's address
 * space only; a kernel address with a pid stops only while it runs. */
static int set_bp(struct mon_ctx *ctx, int argc, char **argv, bool temp)
{
	struct bp_opts o = {.temp = temp};
	uint64_t a, root = 0;
	if (!mon_eval(ctx, argv[1], &a))
		return MON_ERR;
	int rc = parse_bp_opts(ctx, argc, argv, &o);
	if (rc != MON_OK)
		return rc;
	if (o.pid && a < USER_END &&
	    !mon_proc_root(ctx, (uint64_t)o.pid, &root))
		return MON_ERR;
	if (root)
		o.pid = 0; /* the address space says which process */
	rc = bp_set_opts(root, a, &o);
	if (rc == 0) {
		mon_printf(ctx, "%s at ",
			   temp ? "temporary breakpoint" : "breakpoint");
		print_where(ctx, a);
		mon_printf(ctx, "\n");
	}
	return report(ctx, ctx->cmd->name, rc, a);
}

static int cmd_bp(struct mon_ctx *ctx, int argc, char **argv)
{
	return set_bp(ctx, argc, argv, false);
}
MON_COMMAND(bp, "<addr|sym> [pid] [skip n] [if expr...]",
	    "set a software (int3) breakpoint\n"
	    "The int3 is written when the kernel resumes and "
	    "removed whenever it stops, so memory dumps show "
	    "the original bytes. Hitting it enters the monitor. Only in\n"
	    "code: kernel text or a user page without NX (for data, watch).\n"
	    "pid (see ps): a user address is patched in that process's\n"
	    "address space only; at a kernel address it stops only while that\n"
	    "process runs. skip n: let the first n hits pass. if expr: stop\n"
	    "only when expr (evaluated at each hit, with the registers and\n"
	    "memory of then) is not 0, e.g. bp sys_write if $rdi == 2 &&\n"
	    "*(u8*)$rsi == 0x41. bl shows the counts.",
	    MON_NOREPEAT | MON_PID, cmd_bp);

static int cmd_tbp(struct mon_ctx *ctx, int argc, char **argv)
{
	return set_bp(ctx, argc, argv, true);
}
MON_COMMAND(tbp, "<addr|sym> [pid] [skip n] [if expr...]",
	    "set a temporary breakpoint: cleared at its first stop\n"
	    "Takes what bp takes; the breakpoint goes away when it stops the\n"
	    "kernel (a hit its condition or skip count lets pass does not\n"
	    "count).",
	    MON_NOREPEAT | MON_PID, cmd_tbp);

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

static const char *const kind_names[] = {"hw-exec", "watch-w", "?", "watch-rw",
					 "watch-r"};

/* The pid whose address space root is, or 0. */
static int pid_of_root(uint64_t root)
{
	const struct proc *p;
	for (int i = 0; root && (p = proc_slot(i)); i++)
		if (p->state != PROC_UNUSED && p->root &&
		    (p->root & PTE_ADDR_MASK) == root)
			return p->pid;
	return 0;
}

/* One int3 line of bl: where, then what limits it, then its hits. */
static void bl_int3(struct mon_ctx *ctx, const struct bp_info *b)
{
	int pid = b->root ? pid_of_root(b->root) : b->opts.pid;
	mon_printf(ctx, "  %-8s  ", b->opts.temp ? "int3-tmp" : "int3");
	print_where(ctx, b->addr);
	if (pid)
		mon_printf(ctx, " pid %d", pid);
	if (b->opts.ignore)
		mon_printf(ctx, " skip %u", b->opts.ignore);
	if (b->opts.cond[0])
		mon_printf(ctx, " if %s", b->opts.cond);
	mon_printf(ctx, " (hits %u)\n", b->hits);
}

static int cmd_bl(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct bp_info b;
	size_t shown = 0;
	for (unsigned i = 0; i < BP_MAX; i++) {
		if (!bp_get(i, &b) || b.opts.internal)
			continue;
		bl_int3(ctx, &b);
		shown++;
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
	int rc = bp_clear_addr(a); /* in every address space */
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
