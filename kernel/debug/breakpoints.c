/* breakpoints.c — the int3 table (original bytes kept) and the DR0–DR3 slots.
 */
#include "kernel/arch/x86.h"
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/debug_pt.h"
#include "kernel/debug/mon_expr.h"
#include "kernel/lib/string.h"
#include "kernel/proc/proc.h"
#include "mm/pagetable.h"

#define INT3 0xcc
/* DR7 bits (SDM vol. 3B, figure 17-2). */
#define DR7_L(i) (1ull << ((i)*2))    /* local enable of slot i */
#define DR7_RW_SHIFT(i) (16 + (i)*4)  /* R/W field */
#define DR7_LEN_SHIFT(i) (18 + (i)*4) /* LEN field */
#define DR6_B(i) (1ull << (i))	      /* slot i fired */

/* root: the address space the int3 goes into (CR3 without flags), or 0
 * for the tables current at the time (kernel addresses: the upper half is
 * the same in every address space). */
struct sw_bp {
	uint64_t addr, root;
	uint8_t orig;
	bool used, inserted;
	struct bp_opts opts;
	uint32_t hits;
};

static struct sw_bp bps[BP_MAX];
static struct hw_slot slots[HW_SLOTS];

const char *bp_strerror(int err)
{
	switch (err) {
	case BP_EFULL:
		return "no free slot";
	case BP_EFAULT:
		return "address is not mapped";
	case BP_EEXIST:
		return "already set there";
	case BP_ENOENT:
		return "none set there";
	case BP_EINVAL:
		return "length must be 1, 2, 4 or 8 and the address aligned to "
		       "it";
	case BP_EOVERLAP:
		return "overlaps a watchpoint already set; clear that one "
		       "first ('bl' lists them, 'bc' clears)";
	case BP_EADDR:
		return "address 0 or not canonical: nothing runs or is "
		       "stored there";
	case BP_ENOEXEC:
		return "not code (kernel text or an executable user page): an "
		       "int3 there would corrupt data; use 'watch' for data";
	}
	return "error";
}

static struct sw_bp *bp_find(uint64_t root, uint64_t addr)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].addr == addr && bps[i].root == root)
			return &bps[i];
	return 0;
}

int bp_set_opts(uint64_t root, uint64_t addr, const struct bp_opts *o)
{
	uint8_t b;
	if (bp_find(root, addr))
		return BP_EEXIST;
	if (debug_read_mem_in(root, addr, &b, 1) != 1)
		return BP_EFAULT;
	if (!debug_pt_executable(root, addr))
		return BP_ENOEXEC;
	for (int i = 0; i < BP_MAX; i++) {
		if (!bps[i].used) {
			bps[i] = (struct sw_bp){.addr = addr,
						.root = root,
						.orig = b,
						.used = true};
			if (o)
				bps[i].opts = *o;
			return 0;
		}
	}
	return BP_EFULL;
}

int bp_set_in(uint64_t root, uint64_t addr)
{
	return bp_set_opts(root, addr, 0);
}

int bp_set(uint64_t addr)
{
	return bp_set_in(0, addr);
}

/* Put the original byte back, if the address space still exists and the
 * int3 is still there (a process may have exited, its frames reused). */
static void bp_restore(struct sw_bp *bp)
{
	uint8_t b;
	if (bp->inserted && debug_space_alive(bp->root) &&
	    debug_read_mem_in(bp->root, bp->addr, &b, 1) == 1 && b == INT3)
		debug_write_mem_in(bp->root, bp->addr, &bp->orig, 1);
	bp->inserted = false;
}

int bp_clear_in(uint64_t root, uint64_t addr)
{
	struct sw_bp *bp = bp_find(root, addr);
	if (!bp)
		return BP_ENOENT;
	bp_restore(bp);
	bp->used = false;
	return 0;
}

int bp_clear(uint64_t addr)
{
	return bp_clear_in(0, addr);
}

int bp_clear_addr(uint64_t addr)
{
	int err = BP_ENOENT;
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].addr == addr)
			err = bp_clear_in(bps[i].root, addr);
	return err;
}

void bp_clear_all(void)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used)
			bp_clear_in(bps[i].root, bps[i].addr);
}

size_t bp_list(uint64_t *out, size_t max)
{
	size_t n = 0;
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && !bps[i].opts.internal && n < max)
			out[n++] = bps[i].addr;
	return n;
}

/* Does bp apply to code running on the current tables? */
static bool bp_here(const struct sw_bp *bp)
{
	return bp->root == 0 || bp->root == (read_cr3() & PTE_ADDR_MASK);
}

bool bp_get(unsigned i, struct bp_info *out)
{
	if (i >= BP_MAX || !bps[i].used)
		return false;
	*out = (struct bp_info){bps[i].addr, bps[i].root, bps[i].opts,
				bps[i].hits};
	return true;
}

/* The condition of bp, evaluated in the stopped context: false only when
 * it evaluates to 0; an error is printed on pr and counts as true. */
static bool condition_holds(const struct sw_bp *bp, const struct printer *pr)
{
	struct mon_expr_env env = {.reg = debug_mon_reg_lookup,
				   .read = debug_mon_read};
	char err[MON_EXPR_ERR_MAX];
	uint64_t v;
	if (!bp->opts.cond[0])
		return true;
	if (mon_expr_eval(&env, bp->opts.cond, &v, err, sizeof err) == 0)
		return v != 0;
	pr_printf(pr,
		  "\nbreakpoint at 0x%lx: condition '%s' cannot be evaluated: "
		  "%s; stopping\n",
		  (unsigned long)bp->addr, bp->opts.cond, err);
	return true;
}

/* Whether one breakpoint wants this stop: the right process, the
 * condition, then the ignore count. */
static bool wants_stop(struct sw_bp *bp, const struct printer *pr)
{
	const struct proc *cur = proc_current();
	if (bp->opts.pid > 0 && (!cur || cur->pid != bp->opts.pid))
		return false;
	bp->hits++;
	if (!condition_holds(bp, pr))
		return false;
	if (bp->opts.ignore > 0) {
		bp->opts.ignore--;
		return false;
	}
	return true;
}

const char *bp_hit(uint64_t addr, const struct printer *pr)
{
	const char *label = 0;
	for (int i = 0; i < BP_MAX; i++) {
		struct sw_bp *bp = &bps[i];
		if (!bp->used || bp->addr != addr || !bp_here(bp) ||
		    !wants_stop(bp, pr))
			continue;
		if (!label || !bp->opts.internal)
			label =
			    bp->opts.label ? bp->opts.label : "breakpoint at";
		if (bp->opts.temp)
			bp_clear_in(bp->root, bp->addr);
	}
	return label;
}

void bp_clear_internal(void)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].opts.internal)
			bp_clear_in(bps[i].root, bps[i].addr);
}

bool bp_is_set(uint64_t addr)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].addr == addr && bp_here(&bps[i]))
			return true;
	return false;
}

bool bp_inserted_at(uint64_t addr)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].inserted && bps[i].addr == addr &&
		    bp_here(&bps[i]))
			return true;
	return false;
}

void bp_remove_from_memory(void)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used)
			bp_restore(&bps[i]);
}

void bp_forget_space(uint64_t root)
{
	for (int i = 0; i < BP_MAX; i++)
		if (bps[i].used && bps[i].root && bps[i].root == root)
			bps[i] = (struct sw_bp){0};
}

void bp_insert_into_memory(uint64_t skip_addr)
{
	static const uint8_t int3 = INT3;
	for (int i = 0; i < BP_MAX; i++) {
		struct sw_bp *bp = &bps[i];
		if (!bp->used || bp->inserted ||
		    (bp->addr == skip_addr && bp_here(bp)) ||
		    !debug_space_alive(bp->root))
			continue;
		/* Re-read: the code may have changed while we ran. */
		if (debug_read_mem_in(bp->root, bp->addr, &bp->orig, 1) == 1 &&
		    debug_write_mem_in(bp->root, bp->addr, &int3, 1) == 1)
			bp->inserted = true;
	}
}

static bool is_data(enum hw_kind kind)
{
	return kind != HW_EXEC;
}

/* Does [addr, addr+len) overlap a data watchpoint already set? */
static bool overlaps_watch(uint64_t addr, unsigned len)
{
	for (int i = 0; i < HW_SLOTS; i++)
		if (slots[i].used && is_data(slots[i].kind) &&
		    addr < slots[i].addr + slots[i].len &&
		    slots[i].addr < addr + len)
			return true;
	return false;
}

int hw_find(enum hw_kind kind, uint64_t addr)
{
	for (int i = 0; i < HW_SLOTS; i++)
		if (slots[i].used && slots[i].addr == addr &&
		    slots[i].kind == kind)
			return i;
	return -1;
}

int hw_set(enum hw_kind kind, uint64_t addr, unsigned len)
{
	if (kind == HW_EXEC)
		len = 1;
	if (!addr || !pt_is_canonical(addr))
		return BP_EADDR;
	if ((len != 1 && len != 2 && len != 4 && len != 8) || addr % len)
		return BP_EINVAL;
	if (hw_find(kind, addr) >= 0)
		return BP_EEXIST;
	if (is_data(kind) && overlaps_watch(addr, len))
		return BP_EOVERLAP;
	for (int i = 0; i < HW_SLOTS; i++) {
		if (!slots[i].used) {
			slots[i] =
			    (struct hw_slot){true, kind, addr, len, 0, false};
			return 0;
		}
	}
	return BP_EFULL;
}

int hw_clear(enum hw_kind kind, uint64_t addr, unsigned len)
{
	(void)len;
	for (int i = 0; i < HW_SLOTS; i++) {
		if (slots[i].used && slots[i].addr == addr &&
		    slots[i].kind == kind) {
			slots[i].used = false;
			return 0;
		}
	}
	return BP_ENOENT;
}

void hw_clear_all(void)
{
	for (int i = 0; i < HW_SLOTS; i++)
		slots[i].used = false;
}

const struct hw_slot *hw_slot_get(unsigned i)
{
	return i < HW_SLOTS ? &slots[i] : 0;
}

/* LEN encoding: 00 = 1 byte, 01 = 2, 11 = 4, 10 = 8. */
static uint64_t len_bits(unsigned len)
{
	return len == 2 ? 1 : len == 4 ? 3 : len == 8 ? 2 : 0;
}

/* The watched value of slot s now (0 when unreadable). */
static uint64_t watched_value(const struct hw_slot *s)
{
	uint64_t v = 0;
	debug_read_mem(s->addr, &v, s->len);
	return v;
}

bool hw_read_slot_saw_write(unsigned slot)
{
	struct hw_slot *s = &slots[slot];
	uint64_t now = watched_value(s);
	bool changed = now != s->value;
	s->value = now;
	return changed;
}

void hw_arm(void)
{
	uint64_t dr7 = 0;
	for (int i = 0; i < HW_SLOTS; i++) {
		if (!slots[i].used)
			continue;
		uint64_t a = slots[i].addr;
		enum hw_kind k =
		    slots[i].kind == HW_READ ? HW_RW : slots[i].kind;
		slots[i].value = 0;
		slots[i].value_ok =
		    is_data(slots[i].kind) &&
		    debug_read_mem(a, &slots[i].value, slots[i].len) ==
			slots[i].len;
		switch (i) {
		case 0:
			__asm__ volatile("mov %0, %%dr0" : : "r"(a));
			break;
		case 1:
			__asm__ volatile("mov %0, %%dr1" : : "r"(a));
			break;
		case 2:
			__asm__ volatile("mov %0, %%dr2" : : "r"(a));
			break;
		default:
			__asm__ volatile("mov %0, %%dr3" : : "r"(a));
		}
		dr7 |= DR7_L(i) | (uint64_t)k << DR7_RW_SHIFT(i) |
		       len_bits(slots[i].len) << DR7_LEN_SHIFT(i);
	}
	__asm__ volatile("mov %0, %%dr7" : : "r"(dr7));
}

void hw_disarm(void)
{
	__asm__ volatile("mov %0, %%dr7" : : "r"(0ull));
}

int hw_fired(uint64_t dr6)
{
	for (int i = 0; i < HW_SLOTS; i++)
		if ((dr6 & DR6_B(i)) && slots[i].used)
			return i;
	return -1;
}
