/* diag.c — prints the full diagnosis of an exception or panic: nothing is left
 * to guess. */
#include "kernel/arch/regs.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/debug_pt.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/faultlog.h"
#include "kernel/ksyms.h"

/* Page-fault error code bits (SDM vol. 3A, 4.7). */
#define PF_P (1u << 0)	  /* 0: not present, 1: protection violation */
#define PF_W (1u << 1)	  /* write access */
#define PF_U (1u << 2)	  /* from user mode */
#define PF_RSVD (1u << 3) /* reserved bit set in a paging entry */
#define PF_I (1u << 4)	  /* instruction fetch */
#define PF_PK (1u << 5)	  /* protection key */
#define PF_SS (1u << 6)	  /* shadow stack */
/* Selector error code (SDM vol. 3A, 6.13). */
#define SEL_EXT (1u << 0)
#define SEL_IDT (1u << 1)
#define SEL_TI (1u << 2)
#define BACKTRACE_MAX 4096 /* frames walked; repeats are folded */
#define FAULT_HISTORY 8	   /* records a #DF diagnosis shows */
#define DIAG_INSN_MAX 96   /* an instruction's AT&T text */

void diag_print_addr(const struct printer *pr, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	pr_printf(pr, "0x%016lx", (unsigned long)addr);
	if (name)
		pr_printf(pr, " <%s+0x%lx>", name, (unsigned long)off);
}

void diag_fault_record(const struct printer *pr, const struct fault_record *r,
		       uint64_t dtsc)
{
	unsigned v = (unsigned)r->vector;
	pr_printf(pr, "#%-5lu vector %2u %-4s error 0x%-4lx rip ",
		  (unsigned long)r->seq, v, trap_mnemonic(v),
		  (unsigned long)r->error);
	diag_print_addr(pr, r->rip);
	if (r->tag != FAULT_REAL)
		pr_printf(pr, "  [%s]", faultlog_tag_name(r->tag));
	pr_printf(pr, "\n       rsp 0x%016lx cr2 0x%016lx cr3 0x%lx",
		  (unsigned long)r->rsp, (unsigned long)r->cr2,
		  (unsigned long)r->cr3);
	if (dtsc)
		pr_printf(pr, " +%lu cycles", (unsigned long)dtsc);
	pr_putc(pr, '\n');
}

/* The last n exceptions, oldest first: the chain that led here (the
 * debugger's own and the fix-ups left out). */
void diag_fault_history(const struct printer *pr, unsigned n)
{
	pr_printf(pr, "exception history (newest last; debugger events and "
		      "fix-ups left out, 'faults' lists them):\n");
	for (int k = (int)n - 1; k >= 0; k--) {
		const struct fault_record *r = faultlog_get_real((unsigned)k);
		const struct fault_record *older =
		    faultlog_get_real((unsigned)k + 1);
		if (r)
			diag_fault_record(pr, r,
					  older ? r->tsc - older->tsc : 0);
	}
}

void diag_print_insn(const struct printer *pr, uint64_t addr)
{
	char text[DIAG_INSN_MAX];
	diag_print_addr(pr, addr);
	if (disasm_at(addr, text, sizeof text, 0))
		pr_printf(pr, ": %s", text);
	else
		pr_printf(pr, " (%s)", text);
}

void diag_pf_error(uint64_t err, char *buf, unsigned size)
{
	ksnprintf(buf, size, "%s %s %s%s%s%s%s",
		  err & PF_P ? "protection-violation" : "not-present",
		  err & PF_I ? "fetch" : (err & PF_W ? "write" : "read"),
		  err & PF_U ? "user" : "kernel",
		  err & PF_RSVD ? " reserved-bit" : "",
		  err & PF_PK ? " protection-key" : "",
		  err & PF_SS ? " shadow-stack" : "", "");
}

static void diag_selector_error(const struct printer *pr, uint64_t err)
{
	if (err == 0) {
		pr_printf(pr, "error code 0x0 (no selector involved)\n");
		return;
	}
	if (err & SEL_IDT) {
		/* The SDM's form is vector * 8; QEMU reports the 16-byte
		 * long-mode descriptor offset, vector * 16. */
		uint64_t vec = (err >> 3) & 0x1fff;
		if (vec > 255)
			vec = (err >> 4) & 0xfff;
		pr_printf(
		    pr, "error code 0x%lx: IDT entry of vector %lu (0x%lx)%s\n",
		    err, vec, vec, err & SEL_EXT ? ", external event" : "");
		return;
	}
	const char *table = err & SEL_TI ? "LDT" : "GDT";
	pr_printf(pr,
		  "error code 0x%lx: selector index %lu in the %s%s (selector "
		  "0x%lx)\n",
		  err, (err >> 3) & 0x1fff, table,
		  err & SEL_EXT ? ", external event" : "", err & 0xfff8);
}

static bool diag_stack_hint(const struct printer *pr, uint64_t addr,
			    const char *what)
{
	int in_guard;
	char name[DEBUG_STACK_NAME_MAX];
	const struct known_stack *s = stack_find(addr, &in_guard);
	if (!s || !in_guard)
		return false;
	debug_stack_name(s, name, sizeof name);
	pr_printf(pr,
		  "%s 0x%lx is in the guard page below the %s stack: "
		  "kernel stack overflow\n",
		  what, addr, name);
	return true;
}

static void diag_page_fault(const struct printer *pr,
			    const struct trap_frame *f)
{
	char buf[96];
	struct pt_walk w;
	uint64_t cr2 = read_cr2();
	diag_pf_error(f->error, buf, sizeof buf);
	pr_printf(pr, "error code 0x%lx: %s\n", f->error, buf);
	pr_printf(pr, "CR2 0x%016lx (the address that faulted)\n", cr2);
	diag_stack_hint(pr, cr2, "CR2");
	if (!pt_is_canonical(cr2)) {
		pr_printf(pr,
			  "walk of 0x%lx: not canonical (bits 63:48 must "
			  "copy bit 47)\n",
			  cr2);
		return;
	}
	debug_pt_print_walk(pr, read_cr3() & PTE_ADDR_MASK, cr2, &w);
	if (w.ok)
		pr_printf(pr, "  -> physical 0x%lx (%s)\n", w.phys,
			  w.stop_reason);
	else
		pr_printf(pr, "  stops at %s: %s\n",
			  pt_level_name(w.stop_level), w.stop_reason);
}

static void diag_error_code(const struct printer *pr,
			    const struct trap_frame *f)
{
	switch (f->vector) {
	case VEC_PF:
		diag_page_fault(pr, f);
		break;
	case VEC_GP:
		diag_selector_error(pr, f->error);
		if (f->error == 0)
			pr_printf(pr, "hint: #GP with error 0 is often a "
				      "non-canonical address or a privileged "
				      "instruction\n");
		break;
	case VEC_TS:
	case VEC_NP:
	case VEC_SS:
		diag_selector_error(pr, f->error);
		break;
	case VEC_DF:
		pr_printf(pr, "error code 0x%lx (always 0 for #DF)\n",
			  f->error);
		/* A push that hit the guard leaves RSP at the stack's bottom;
		 * the address it tried is in CR2 (the #PF that escalated). */
		if (!diag_stack_hint(pr, f->rsp, "RSP"))
			diag_stack_hint(pr, read_cr2(), "CR2");
		diag_fault_history(pr, FAULT_HISTORY);
		break;
	default:
		if (trap_has_error_code((unsigned)f->vector))
			pr_printf(pr, "error code 0x%lx\n", f->error);
	}
}

void diag_print_bits(const struct printer *pr, const struct reg_bits *t,
		     uint64_t v)
{
	pr_printf(pr, " [");
	for (size_t i = 0; i < t->n; i++)
		if (v & (1ull << t->bits[i].bit))
			pr_printf(pr, " %s", t->bits[i].name);
	pr_printf(pr, " ]");
}

/* "RAX 0123… RBX …" four to a line, names upper-case as the SDM has them. */
static void print_gprs(const struct printer *pr, const struct trap_frame *f)
{
	for (unsigned r = 0; r < TRAP_NGPRS; r++) {
		const char *n = trap_reg_defs[r].name;
		char up[4] = {0};
		for (unsigned i = 0; i < 3 && n[i]; i++)
			up[i] = n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i];
		pr_printf(
		    pr, "%-3s %016lx%c", up,
		    (unsigned long)*trap_reg_slot((struct trap_frame *)f, r),
		    r % 4 == 3 ? '\n' : ' ');
	}
}

void diag_registers(const struct printer *pr, const struct trap_frame *f)
{
	print_gprs(pr, f);
	pr_printf(pr, "RIP %016lx", (unsigned long)f->rip);
	uint64_t off;
	const char *name = ksym_lookup(f->rip, &off);
	if (name)
		pr_printf(pr, " <%s+0x%lx>", name, (unsigned long)off);
	pr_printf(pr, "\nRFLAGS %016lx", (unsigned long)f->rflags);
	diag_print_bits(pr, &rflags_bits, f->rflags);
	pr_printf(pr, " IOPL=%lu\n",
		  (unsigned long)(f->rflags >> RFLAGS_IOPL_SHIFT) & 3);
}

void diag_control_registers(const struct printer *pr)
{
	pr_printf(pr, "CR0 %016lx CR2 %016lx CR3 %016lx\n", read_cr0(),
		  read_cr2(), read_cr3());
	pr_printf(pr, "CR4 %016lx CR8 %016lx EFER %016lx\n", read_cr4(),
		  read_cr8(), rdmsr(MSR_EFER));
}

void diag_backtrace(const struct printer *pr, const struct trap_frame *f)
{
	pr_printf(pr, "backtrace:\n");
	bt_from_frame(pr, f, BACKTRACE_MAX, 0);
}

void diag_exception(const struct printer *pr, const struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	pr_printf(pr, "\n*** EXCEPTION %s %s (vector %u) at ", trap_mnemonic(v),
		  trap_name(v), v);
	diag_print_addr(pr, f->rip);
	pr_printf(pr, " ***\n");
	pr_printf(pr, "instruction: ");
	diag_print_insn(pr, f->rip);
	pr_putc(pr, '\n');
	diag_error_code(pr, f);
	diag_registers(pr, f);
	pr_printf(pr, "CS %04lx SS %04lx (CPL %lu)\n", (unsigned long)f->cs,
		  (unsigned long)f->ss, (unsigned long)f->cs & 3);
	diag_control_registers(pr);
	diag_backtrace(pr, f);
}
