/* cmd_step.c — monitor commands n (step over a call) and finish (run to the
 * return), each by an internal breakpoint the next stop clears. */
#include "kernel/arch/x86.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/monitor.h"
#include "kernel/proc/uapi.h"
#include "mm/pagetable.h"

#define STEP_TEXT_MAX 96 /* the decoded call's text (not shown) */

/* The stopped frame when it can be resumed, else NULL after saying why. */
static struct trap_frame *resumable_frame(struct mon_ctx *ctx)
{
	const struct debug_stop_info *s = debug_current();
	if (!s) {
		mon_printf(ctx, "%s: no stopped context; break in first\n",
			   ctx->cmd->name);
		return 0;
	}
	if (!s->resumable) {
		mon_printf(ctx, "%s: cannot resume: %s.\n", ctx->cmd->name,
			   s->why_not);
		return 0;
	}
	return debug_frame();
}

/* Continue until the code at addr runs with RSP == rsp (the same frame,
 * not a recursive or another process's call): an internal breakpoint
 * whose stop is announced as label. */
static int run_until(struct mon_ctx *ctx, uint64_t addr, uint64_t rsp,
		     const char *label)
{
	struct bp_opts o = {.internal = true, .label = label};
	/* user code: in the stopped process's address space only */
	uint64_t root = addr < USER_END ? read_cr3() & PTE_ADDR_MASK : 0;
	ksnprintf(o.cond, sizeof o.cond, "$rsp == 0x%lx", (unsigned long)rsp);
	int rc = bp_set_opts(root, addr, &o);
	if (rc && rc != BP_EEXIST) { /* one already there stops as well */
		mon_printf(ctx, "%s: cannot put a breakpoint at 0x%lx: %s\n",
			   ctx->cmd->name, (unsigned long)addr,
			   bp_strerror(rc));
		return MON_ERR;
	}
	return MON_CONTINUE;
}

static int cmd_n(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	char text[STEP_TEXT_MAX];
	struct disasm_info info;
	struct trap_frame *f = resumable_frame(ctx);
	if (!f)
		return MON_ERR;
	unsigned len = (unsigned)disasm_at(f->rip, text, sizeof text, &info);
	if (!len || !(info.flags & DISASM_CALL) ||
	    (info.flags & (DISASM_BAD | DISASM_TRUNCATED))) {
		/* not a call: one step */
		debug_request_step();
		return MON_CONTINUE;
	}
	return run_until(ctx, f->rip + len, f->rsp, "step: now at");
}
MON_COMMAND(n, "",
	    "step one instruction, over a call\n"
	    "Like s, but a call runs to its return: a temporary breakpoint\n"
	    "on the next instruction, taken only with the stack pointer of\n"
	    "now (so recursion and other processes pass it). A stop inside\n"
	    "the call (breakpoint, fault) ends it. An empty line steps on.",
	    0, cmd_n);

static int cmd_finish(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t ret;
	struct trap_frame *f = resumable_frame(ctx);
	if (!f)
		return MON_ERR;
	uint64_t slot = bt_return_slot(0, f);
	if (debug_read_mem(slot, &ret, sizeof ret) != sizeof ret || !ret) {
		mon_printf(ctx,
			   "finish: no return address at 0x%lx (RBP 0x%lx); "
			   "'bt' shows the frames\n",
			   (unsigned long)slot, (unsigned long)f->rbp);
		return MON_ERR;
	}
	mon_printf(ctx, "finish: running until the return to ");
	diag_print_addr(&ctx->out, ret);
	mon_putc(ctx, '\n');
	return run_until(ctx, ret, slot + sizeof ret, "finish: returned to");
}
MON_COMMAND(finish, "",
	    "run until the current function returns\n"
	    "Reads the return address from the frame (at RSP before the\n"
	    "prologue or at a ret, else at RBP+8) and stops there once this\n"
	    "call has returned; RAX then holds its return value. A stop on\n"
	    "the way (breakpoint, fault) ends it.",
	    MON_NOREPEAT, cmd_finish);
