/* cmd_pagetable.c — monitor commands on page tables: pt, vmmap, tlb, vtop. */
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_pt.h"
#include "kernel/debug/mon_proc.h"
#include "kernel/debug/monitor.h"
#include "mm/pagetable.h"

/* The root table: argv[i] when given — a pid (below 0x1000, see ps) or a
 * CR3 value — else the current CR3; PCID / PWT / PCD bits are dropped. */
static bool root_of(struct mon_ctx *ctx, int argc, char **argv, int i,
		    uint64_t *root)
{
	uint64_t cr3 = read_cr3();
	if (argc > i && !mon_eval(ctx, argv[i], &cr3))
		return false;
	if (argc > i && cr3 < MON_PID_LIMIT && !mon_proc_root(ctx, cr3, &cr3))
		return false;
	*root = cr3 & PTE_ADDR_MASK;
	debug_pt_reset();
	return true;
}

static void note_bad_table(struct mon_ctx *ctx)
{
	uint64_t bad;
	if (debug_pt_bad_table(&bad))
		mon_printf(ctx,
			   "%s: note: a table address, phys 0x%lx, is not RAM "
			   "in the direct map; it was read as empty\n",
			   ctx->cmd->name, (unsigned long)bad);
}

/* "<cmd>: address 0x... not mapped at PD level (entry 0x0): not present" */
static void print_unmapped(struct mon_ctx *ctx, uint64_t va,
			   const struct pt_walk *w)
{
	if (!w->levels) {
		mon_printf(ctx,
			   "%s: address 0x%lx is not canonical (bits 63:48 "
			   "must copy bit 47)\n",
			   ctx->cmd->name, (unsigned long)va);
		return;
	}
	mon_printf(ctx,
		   "%s: address 0x%lx not mapped at %s level (entry "
		   "0x%lx): %s\n",
		   ctx->cmd->name, (unsigned long)va,
		   pt_level_name(w->stop_level),
		   (unsigned long)w->lvl[w->levels - 1].entry, w->stop_reason);
}

static void print_translation(struct mon_ctx *ctx, uint64_t va,
			      const struct pt_walk *w)
{
	mon_printf(ctx, "0x%016lx -> phys 0x%016lx (%s; %s, %s, %s)\n",
		   (unsigned long)va, (unsigned long)w->phys, w->stop_reason,
		   (w->eff_flags & PTE_RW) ? "writable" : "read-only",
		   (w->eff_flags & PTE_US) ? "user" : "kernel only",
		   (w->eff_flags & PTE_NX) ? "no-execute" : "executable");
}

static int cmd_pt(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t va, root;
	struct pt_walk w;
	if (!mon_eval(ctx, argv[1], &va) || !root_of(ctx, argc, argv, 2, &root))
		return MON_ERR;
	debug_pt_print_walk(&ctx->out, root, va, &w);
	if (w.ok)
		print_translation(ctx, va, &w);
	else
		print_unmapped(ctx, va, &w);
	return MON_OK;
}
MON_COMMAND(pt, "<va> [cr3|pid]",
	    "walk the page tables for one virtual address\n"
	    "Shows each level's index, raw entry and flags (P RW US WT CD A\n"
	    "D PS G NX; PA = PAT in a PT entry), where the walk stops and\n"
	    "why, and the physical address. cr3 (default: the current CR3)\n"
	    "walks another address space, or a pid (a value below 0x1000)\n"
	    "that process's; tables outside RAM read as empty.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_pt);

static int cmd_vtop(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t va, root;
	struct pt_walk w;
	if (!mon_eval(ctx, argv[1], &va) || !root_of(ctx, argc, argv, 2, &root))
		return MON_ERR;
	pt_walk(&debug_pt_ops, root, va, &w);
	if (w.ok)
		mon_printf(ctx, "0x%016lx -> 0x%016lx\n", (unsigned long)va,
			   (unsigned long)w.phys);
	else
		print_unmapped(ctx, va, &w);
	note_bad_table(ctx);
	return w.ok ? MON_OK : MON_ERR;
}
MON_COMMAND(
    vtop, "<va> [cr3|pid]",
    "translate a virtual address to physical\n"
    "Prints 'va -> pa', or the level where the translation stops, in\n"
    "the current address space or the one of cr3 or pid. 'pt <va>' shows\n"
    "the whole walk.",
    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_vtop);

typedef void (*pt_format_fn)(const struct pt_ops *ops, uint64_t root,
			     fmt_putc_fn putc, void *ctx);

/* vmmap and tlb: a whole address space in one of QEMU's formats. */
static int dump_space(struct mon_ctx *ctx, int argc, char **argv,
		      pt_format_fn format)
{
	uint64_t root;
	if (!root_of(ctx, argc, argv, 1, &root))
		return MON_ERR;
	format(&debug_pt_ops, root, ctx->out.putc, ctx->out.ctx);
	note_bad_table(ctx);
	return MON_OK;
}

static int cmd_vmmap(struct mon_ctx *ctx, int argc, char **argv)
{
	return dump_space(ctx, argc, argv, pt_format_info_mem);
}
MON_COMMAND(vmmap, "[cr3|pid]",
	    "the address space as ranges, in QEMU's 'info mem' format\n"
	    "One line per run of mapped pages with the same protection:\n"
	    "start-end size prot, prot = u (user) or -, r, w (writable) or\n"
	    "-, RW/US combined over all levels as the CPU does. The lines are\n"
	    "identical to QEMU's 'info mem', so the two can be diffed. A pid\n"
	    "(below 0x1000) shows that process's address space.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_vmmap);

static int cmd_tlb(struct mon_ctx *ctx, int argc, char **argv)
{
	return dump_space(ctx, argc, argv, pt_format_info_tlb);
}
MON_COMMAND(tlb, "[cr3|pid]",
	    "every leaf mapping, in QEMU's 'info tlb' format\n"
	    "One line per mapped page (4 KiB, 2 MiB or 1 GiB): 'va: frame\n"
	    "XGPDACTUW' with each flag letter or '-' (X = no-execute, G\n"
	    "global, P large page, D dirty, A accessed, C cache disable, T\n"
	    "write-through, U user, W writable), identical to QEMU's output.\n"
	    "A pid (below 0x1000) shows that process's address space.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_tlb);
