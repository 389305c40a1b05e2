/* mon_proc.c — monitor commands and processes: pid arguments, bt PID and
 * regs PID from a process's saved contexts. */
#include "kernel/arch/gdt.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/mon_proc.h"
#include "kernel/proc/proc.h"
#include "mm/pagetable.h"

#define RING_MASK 3		/* CS bits 1:0: the privilege level */
#define BT_PROC_MAX_FRAMES 1024 /* frames per stack (repeats fold) */

/* What context_switch (kernel/proc/switch.asm) leaves at a switched-out
 * process's kctx_rsp: the callee-saved registers it pushed, in pop order,
 * then the return address of its call. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp, rip;
};

struct proc *mon_proc(struct mon_ctx *ctx, uint64_t pid)
{
	struct proc *p = pid < MON_PID_LIMIT ? proc_by_pid((int)pid) : 0;
	if (!p)
		mon_printf(ctx, "%s: no process %lu (see ps)\n",
			   ctx->cmd ? ctx->cmd->name : "monitor",
			   (unsigned long)pid);
	return p;
}

struct proc *mon_proc_arg(struct mon_ctx *ctx, const char *arg)
{
	uint64_t pid;
	return mon_eval(ctx, arg, &pid) ? mon_proc(ctx, pid) : 0;
}

bool mon_proc_root(struct mon_ctx *ctx, uint64_t pid, uint64_t *root)
{
	const struct proc *p = pid < MON_PID_LIMIT ? proc_by_pid((int)pid) : 0;
	if (!p || !p->root) {
		mon_printf(ctx,
			   "%s: no process %lu with an address space (see "
			   "ps)\n",
			   ctx->cmd ? ctx->cmd->name : "monitor",
			   (unsigned long)pid);
		return false;
	}
	*root = p->root & PTE_ADDR_MASK;
	return true;
}

static bool running(const struct proc *p)
{
	return p->state == PROC_RUNNING && p == proc_current();
}

/* The kernel context a switched-out process resumes from, as a frame
 * (only RIP, RSP and the callee-saved registers are known). */
static bool switched_context(struct mon_ctx *ctx, const struct proc *p,
			     struct trap_frame *k)
{
	struct switch_frame sf;
	if (debug_read_mem(p->kctx_rsp, &sf, sizeof sf) != sizeof sf) {
		mon_printf(ctx,
			   "%s: cannot read the saved kernel context at "
			   "0x%lx\n",
			   ctx->cmd->name, (unsigned long)p->kctx_rsp);
		return false;
	}
	*k = (struct trap_frame){0};
	k->r15 = sf.r15, k->r14 = sf.r14, k->r13 = sf.r13, k->r12 = sf.r12;
	k->rbx = sf.rbx, k->rbp = sf.rbp, k->rip = sf.rip;
	k->rsp = p->kctx_rsp + sizeof sf; /* after context_switch's ret */
	k->cs = SEL_KCODE, k->ss = SEL_KDATA;
	return true;
}

/* The user registers of p's last kernel entry (the stopped frame when it
 * was stopped in ring 3), or NULL when it has none. */
static const struct trap_frame *user_context(const struct proc *p)
{
	const struct trap_frame *u = debug_thread_frame((uint64_t)p->pid + 1);
	return u && (u->cs & RING_MASK) == RING_MASK ? u : 0;
}

static void say_who(struct mon_ctx *ctx, const struct proc *p)
{
	mon_printf(ctx, "pid %d %s (%s%s)\n", p->pid, p->name,
		   proc_state_name(p->state),
		   running(p) ? ", the stopped one" : "");
}

/* The kernel half of bt PID. */
static void bt_kernel(struct mon_ctx *ctx, const struct proc *p)
{
	const struct trap_frame *f = debug_frame();
	struct trap_frame k;
	if (running(p) && f && (f->cs & RING_MASK) == RING_MASK) {
		mon_printf(ctx, "kernel stack: none (stopped in its user "
				"code)\n");
	} else if (running(p) && f) {
		mon_printf(ctx, "kernel stack, at the stop:\n");
		bt_from_frame(&ctx->out, f, BT_PROC_MAX_FRAMES, 0);
	} else if (!running(p) && switched_context(ctx, p, &k)) {
		mon_printf(ctx,
			   "kernel stack, where context_switch left it:\n");
		bt_from_frame(&ctx->out, &k, BT_PROC_MAX_FRAMES, 0);
	}
}

int mon_bt_proc(struct mon_ctx *ctx, const struct proc *p)
{
	say_who(ctx, p);
	bt_kernel(ctx, p);
	const struct trap_frame *u = user_context(p);
	if (!u || !p->root) {
		mon_printf(ctx, "user stack: none (no ring-3 context saved)\n");
		return MON_OK;
	}
	mon_printf(ctx,
		   "user stack, from its registers at %s (no symbols: "
		   "user addresses):\n",
		   u == debug_frame() ? "the stop" : "its last kernel entry");
	bt_from_frame_in(&ctx->out, p->root & PTE_ADDR_MASK, u,
			 BT_PROC_MAX_FRAMES, 0);
	return MON_OK;
}

static void regs_kernel(struct mon_ctx *ctx, const struct proc *p)
{
	struct trap_frame k;
	if (running(p)) {
		mon_printf(ctx, "kernel context: it is running; 'regs' shows "
				"the stopped frame\n");
		return;
	}
	if (!switched_context(ctx, p, &k))
		return;
	mon_printf(ctx, "kernel context, saved by context_switch (the other "
			"registers are not kept):\nRIP ");
	diag_print_addr(&ctx->out, k.rip);
	mon_printf(ctx, "\nRSP %016lx RBP %016lx RBX %016lx\n",
		   (unsigned long)k.rsp, (unsigned long)k.rbp,
		   (unsigned long)k.rbx);
	mon_printf(ctx, "R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n",
		   (unsigned long)k.r12, (unsigned long)k.r13,
		   (unsigned long)k.r14, (unsigned long)k.r15);
}

int mon_regs_proc(struct mon_ctx *ctx, const struct proc *p)
{
	say_who(ctx, p);
	const struct trap_frame *u = user_context(p);
	if (u) {
		mon_printf(ctx, "user registers, at %s (vector %lu):\n",
			   u == debug_frame() ? "the stop"
					      : "its last kernel entry",
			   (unsigned long)u->vector);
		diag_registers(&ctx->out, u);
		mon_printf(ctx, "CS %04lx SS %04lx\n", (unsigned long)u->cs,
			   (unsigned long)u->ss);
	} else {
		mon_printf(ctx, "user registers: none saved (it has not "
				"entered ring 3)\n");
	}
	regs_kernel(ctx, p);
	return MON_OK;
}
