/* cmd_state.c — monitor commands that change the stopped state: set (a
 * register), skip (the faulting instruction). */
#include "kernel/arch/regs.h"
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/monitor.h"
#include "kernel/lib/string.h"
#include "mm/pagetable.h"

/* RFLAGS bits iretq may restore in 64-bit mode (SDM vol. 1, 3.4.3): CF
 * PF AF ZF SF TF IF DF OF, IOPL, NT, RF, AC, ID. Bit 1 always reads 1;
 * VM, VIF and VIP belong to virtual-8086 mode. */
#define RFLAGS_SETTABLE 0x250fd5ull
#define RFLAGS_FIXED 0x2ull

/* Split "$rax = 5", "$rax=5" or "rax 5" (argv joined) into a register
 * name and the expression after it; false when there is no expression. */
static bool split_assignment(char *line, char **name, char **expr)
{
	char *p = line;
	while (*p == ' ')
		p++;
	if (*p == '$')
		p++;
	*name = p;
	while (*p && *p != ' ' && *p != '=')
		p++;
	char *end = p;
	while (*p == ' ')
		p++;
	if (*p == '=')
		p++;
	*end = '\0';
	*expr = p;
	return **name && **expr;
}

/* A value iretq would fault on stays out of the frame. */
static bool settable(struct mon_ctx *ctx, int r, uint64_t v)
{
	if ((r == TRAP_REG_rip || r == TRAP_REG_rsp) && !pt_is_canonical(v)) {
		mon_printf(ctx,
			   "set: 0x%lx is not canonical (bits 63:48 must copy "
			   "bit 47); iretq would fault\n",
			   (unsigned long)v);
		return false;
	}
	if (r == TRAP_REG_rflags && (v & ~(RFLAGS_SETTABLE | RFLAGS_FIXED))) {
		mon_printf(
		    ctx,
		    "set: rflags bits 0x%lx are reserved or "
		    "virtual-8086 only; settable are 0x%lx\n",
		    (unsigned long)(v & ~(RFLAGS_SETTABLE | RFLAGS_FIXED)),
		    (unsigned long)RFLAGS_SETTABLE);
		return false;
	}
	return true;
}

static int cmd_set(struct mon_ctx *ctx, int argc, char **argv)
{
	char line[MON_LINE_MAX + 1], *name, *expr;
	uint64_t v, old;
	mon_join_args(line, argc, argv);
	if (!split_assignment(line, &name, &expr))
		return MON_USAGE;
	int r = trap_reg_find(name);
	if (r < 0 || r == TRAP_REG_cs || r == TRAP_REG_ss) {
		mon_printf(ctx,
			   "set: '%s' is not a register set can change; give "
			   "rax..r15, rip or rflags\n",
			   name);
		return MON_ERR;
	}
	if (!debug_reg_value(trap_reg_defs[r].name, &old)) {
		mon_printf(ctx, "set: no stopped frame to change\n");
		return MON_ERR;
	}
	if (!mon_eval(ctx, expr, &v))
		return MON_ERR;
	if (r == TRAP_REG_rflags)
		v |= RFLAGS_FIXED;
	if (!settable(ctx, r, v))
		return MON_ERR;
	debug_reg_set(trap_reg_defs[r].name, v);
	mon_printf(ctx, "%s: 0x%lx -> 0x%lx", trap_reg_defs[r].name,
		   (unsigned long)old, (unsigned long)v);
	if (r == TRAP_REG_rip) {
		mon_printf(ctx, " ");
		diag_print_addr(&ctx->out, v);
	}
	mon_putc(ctx, '\n');
	return MON_OK;
}
MON_COMMAND(set, "<$reg = expr...>",
	    "change a register of the stopped context: set $rax = 5\n"
	    "Any of rax..r15, rip (also pc) and rflags; the value is an\n"
	    "expression ($regs and symbols work: set $rip = $rip + 2). RIP\n"
	    "and RSP must be canonical; rflags keeps its reserved bits\n"
	    "clear. After a fault, changing a register or the code at RIP\n"
	    "(w) lets 'c' and 's' go on. cs and ss cannot be changed.",
	    MON_SAFE_AFTER_DF | MON_NOREPEAT, cmd_set);

static int cmd_skip(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	char text[DISASM_TEXT_MAX];
	struct disasm_info info;
	struct trap_frame *f = debug_frame();
	if (!f) {
		mon_printf(ctx, "skip: no stopped frame\n");
		return MON_ERR;
	}
	size_t n = disasm_at(f->rip, text, sizeof text, &info);
	if (!n || (info.flags & (DISASM_TRUNCATED | DISASM_BAD))) {
		mon_printf(ctx,
			   "skip: no whole instruction at RIP 0x%lx (%s); set "
			   "$rip yourself\n",
			   (unsigned long)f->rip, text);
		return MON_ERR;
	}
	mon_printf(ctx, "skip: ");
	diag_print_addr(&ctx->out, f->rip);
	mon_printf(ctx, ": %s (%lu bytes) not run\nskip: now at ", text,
		   (unsigned long)n);
	f->rip += n;
	diag_print_insn(&ctx->out, f->rip);
	mon_putc(ctx, '\n');
	return MON_OK;
}
MON_COMMAND(skip, "",
	    "advance RIP past the instruction there, without running it\n"
	    "After a fault: the faulting instruction is decoded (its length\n"
	    "from the disassembler, as x/i shows it) and RIP moves past it,\n"
	    "so 'c' or 's' go on as if it had done nothing. Its effects\n"
	    "(a load's register, a store's memory) are missing: 'set' them.",
	    MON_SAFE_AFTER_DF | MON_NOREPEAT, cmd_skip);
