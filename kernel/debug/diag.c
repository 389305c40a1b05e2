/* diag.c — prints the full diagnosis of an exception or panic: nothing is left
 * to guess. */
#include "kernel/arch/layout.h"
#include "kernel/arch/safecopy.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/faultlog.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "mm/vmm.h"

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

/* The last n exceptions, oldest first: the chain that led here. */
void diag_fault_history(unsigned n)
{
	printk("exception history (newest last):\n");
	for (int k = (int)n - 1; k >= 0; k--) {
		const struct fault_record *r = faultlog_get((unsigned)k);
		if (!r)
			continue;
		printk("  #%-4lu %s err 0x%lx CR2 0x%lx RSP 0x%lx RIP ", r->seq,
		       trap_mnemonic((unsigned)r->vector), r->error, r->cr2,
		       r->rsp);
		diag_print_addr(r->rip);
		printk("\n");
	}
}

void diag_print_addr(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		printk("0x%016lx <%s+0x%lx>", addr, name, off);
	else
		printk("0x%016lx", addr);
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

static void diag_selector_error(uint64_t err)
{
	if (err == 0) {
		printk("error code 0x0 (no selector involved)\n");
		return;
	}
	if (err & SEL_IDT) {
		/* The SDM's form is vector * 8; QEMU reports the 16-byte
		 * long-mode descriptor offset, vector * 16. */
		uint64_t vec = (err >> 3) & 0x1fff;
		if (vec > 255)
			vec = (err >> 4) & 0xfff;
		printk("error code 0x%lx: IDT entry of vector %lu (0x%lx)%s\n",
		       err, vec, vec, err & SEL_EXT ? ", external event" : "");
		return;
	}
	const char *table = err & SEL_TI ? "LDT" : "GDT";
	printk("error code 0x%lx: selector index %lu in the %s%s (selector "
	       "0x%lx)\n",
	       err, (err >> 3) & 0x1fff, table,
	       err & SEL_EXT ? ", external event" : "", err & 0xfff8);
}

static bool diag_stack_hint(uint64_t addr, const char *what)
{
	int in_guard;
	const struct known_stack *s = stack_find(addr, &in_guard);
	if (s && in_guard)
		printk("%s 0x%lx is in the guard page below the %s stack: "
		       "kernel stack overflow\n",
		       what, addr, s->name);
	return s && in_guard;
}

static void diag_error_code(const struct trap_frame *f)
{
	char buf[96];
	switch (f->vector) {
	case VEC_PF:
		diag_pf_error(f->error, buf, sizeof buf);
		printk("error code 0x%lx: %s\n", f->error, buf);
		printk("CR2 0x%016lx (the address that faulted)\n", read_cr2());
		diag_stack_hint(read_cr2(), "CR2");
		vmm_print_walk(read_cr3() & PTE_ADDR_MASK, read_cr2());
		break;
	case VEC_GP:
		diag_selector_error(f->error);
		if (f->error == 0)
			printk(
			    "hint: #GP with error 0 is often a non-canonical "
			    "address or a privileged instruction\n");
		break;
	case VEC_TS:
	case VEC_NP:
	case VEC_SS:
		diag_selector_error(f->error);
		break;
	case VEC_DF:
		printk("error code 0x%lx (always 0 for #DF)\n", f->error);
		/* A push that hit the guard leaves RSP at the stack's bottom;
		 * the address it tried is in CR2 (the #PF that escalated). */
		if (!diag_stack_hint(f->rsp, "RSP"))
			diag_stack_hint(read_cr2(), "CR2");
		diag_fault_history(8);
		break;
	default:
		if (trap_has_error_code((unsigned)f->vector))
			printk("error code 0x%lx\n", f->error);
	}
}

static void diag_rflags(uint64_t fl)
{
	static const struct {
		int bit;
		const char *name;
	} bits[] = {{0, "CF"},	{2, "PF"},  {4, "AF"},	{6, "ZF"},  {7, "SF"},
		    {8, "TF"},	{9, "IF"},  {10, "DF"}, {11, "OF"}, {14, "NT"},
		    {16, "RF"}, {17, "VM"}, {18, "AC"}, {21, "ID"}};
	printk("RFLAGS 0x%08lx [", fl);
	for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if (fl & (1ull << bits[i].bit))
			printk(" %s", bits[i].name);
	printk(" IOPL=%lu ]\n", (fl >> 12) & 3);
}

void diag_registers(const struct trap_frame *f)
{
	printk("RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", f->rax, f->rbx,
	       f->rcx, f->rdx);
	printk("RSI %016lx RDI %016lx RBP %016lx RSP %016lx\n", f->rsi, f->rdi,
	       f->rbp, f->rsp);
	printk("R8  %016lx R9  %016lx R10 %016lx R11 %016lx\n", f->r8, f->r9,
	       f->r10, f->r11);
	printk("R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n", f->r12, f->r13,
	       f->r14, f->r15);
	printk("RIP ");
	diag_print_addr(f->rip);
	printk("\nCS %04lx SS %04lx (CPL %lu)  ", f->cs, f->ss, f->cs & 3);
	diag_rflags(f->rflags);
}

void diag_control_registers(void)
{
	printk("CR0 %016lx CR2 %016lx CR3 %016lx\n", read_cr0(), read_cr2(),
	       read_cr3());
	printk("CR4 %016lx CR8 %016lx EFER %016lx\n", read_cr4(), read_cr8(),
	       rdmsr(MSR_EFER));
}

/* One backtrace line; a run of identical return addresses (recursion) is
 * folded into one "repeated" line. */
struct bt_state {
	uint64_t last;
	int repeats;
};

static void bt_flush(struct bt_state *st)
{
	if (st->repeats)
		printk("      ... the same frame %d more time%s\n", st->repeats,
		       st->repeats > 1 ? "s" : "");
	st->repeats = 0;
}

static void bt_frame(struct bt_state *st, int depth, uint64_t ret)
{
	if (ret == st->last) {
		st->repeats++;
		return;
	}
	bt_flush(st);
	st->last = ret;
	printk("  #%-2d ", depth);
	diag_print_addr(ret);
	printk("\n");
}

#define X86_CALL_REL32 0xe8 /* "call rel32", 5 bytes */
#define X86_CALL_RM 0xff    /* "call r/m64" is ff /2 */

/* ModRM of "ff /2" with mod = m: reg field 2, no SIB (rm != 4). */
static bool call_modrm(uint8_t modrm, unsigned mod)
{
	return modrm >> 6 == mod && ((modrm >> 3) & 7) == 2 && (modrm & 7) != 4;
}

/* True when the bytes just before ret encode a call instruction:
 * call rel32, call *%reg, call *disp8(%reg), call *disp32(%reg). */
static bool after_call(uint64_t ret)
{
	uint8_t b[8]; /* b[7] is the byte at ret - 1 */
	if (safe_copy(b, (void *)(ret - 8), 8))
		return false;
	return b[3] == X86_CALL_REL32 ||
	       (b[6] == X86_CALL_RM && call_modrm(b[7], 3)) ||
	       (b[5] == X86_CALL_RM && call_modrm(b[6], 1)) ||
	       (b[2] == X86_CALL_RM && call_modrm(b[3], 2));
}

/* A leaf function built without a frame (GCC omits it there) leaves its
 * caller's return address at [rsp], not at [rbp+8]. Show it when [rsp]
 * holds an address in kernel text just after a call instruction. */
static uint64_t leaf_return_address(uint64_t rsp)
{
	uint64_t ret;
	if (rsp & 7 || safe_copy(&ret, (void *)rsp, sizeof ret))
		return 0;
	if (ret < (uint64_t)_text_start + 5 || ret >= (uint64_t)_text_end)
		return 0;
	return after_call(ret) ? ret : 0;
}

static void diag_backtrace_walk(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	struct bt_state st = {0, 0};
	int depth = 1;
	printk("backtrace:\n  #0  ");
	diag_print_addr(rip);
	printk("\n");
	uint64_t leaf = rsp ? leaf_return_address(rsp) : 0;
	uint64_t frame_ret;
	if (leaf && (rbp & 7 || safe_copy(&frame_ret, (void *)(rbp + 8), 8) ||
		     frame_ret != leaf)) {
		printk("  #1  ");
		diag_print_addr(leaf);
		printk("  (caller of a frameless function, from [rsp])\n");
		depth = 2;
	}
	for (; depth < BACKTRACE_MAX && rbp; depth++) {
		uint64_t frame[2];
		if (rbp & 7 || safe_copy(frame, (void *)rbp, sizeof frame)) {
			bt_flush(&st);
			printk("  (frame pointer 0x%lx unreadable; stop)\n",
			       rbp);
			return;
		}
		if (!frame[1])
			break;
		bt_frame(&st, depth, frame[1]);
		if (frame[0] <= rbp) /* stacks grow down: callers sit higher */
			break;
		rbp = frame[0];
	}
	bt_flush(&st);
}

/* Walk saved-RBP frames: [rbp] = caller's rbp, [rbp+8] = return address.
 * Every read goes through safe_copy, so a corrupt chain ends the walk. */
void diag_backtrace(uint64_t rip, uint64_t rbp)
{
	diag_backtrace_walk(rip, rbp, 0);
}

void diag_exception(const struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	printk("\n*** EXCEPTION %s %s (vector %u) at ", trap_mnemonic(v),
	       trap_name(v), v);
	diag_print_addr(f->rip);
	printk(" ***\n");
	diag_error_code(f);
	diag_registers(f);
	diag_control_registers();
	diag_backtrace_walk(f->rip, f->rbp, f->rsp);
}
