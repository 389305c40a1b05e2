/* debug_pt.c — checked page-table access for the debugger and the fault
 * diagnosis. */
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_pt.h"
#include "mm/vmm.h"

#define FLAGS_TEXT_MAX 32 /* "P RW US WT CD A D PS G NX" and the NUL */

static uint64_t empty_table[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static bool bad_table_seen;
static uint64_t bad_table_phys;

static void *checked_phys_to_virt(uint64_t phys)
{
	if (phys <= PTE_ADDR_MASK && vmm_direct_maps(phys))
		return phys_to_virt(phys);
	if (!bad_table_seen) {
		bad_table_seen = true;
		bad_table_phys = phys;
	}
	return empty_table;
}

const struct pt_ops debug_pt_ops = {
    .phys_to_virt = checked_phys_to_virt,
};

void debug_pt_reset(void)
{
	bad_table_seen = false;
}

bool debug_pt_bad_table(uint64_t *phys)
{
	if (bad_table_seen)
		*phys = bad_table_phys;
	return bad_table_seen;
}

bool debug_pt_executable(uint64_t root, uint64_t va)
{
	struct pt_walk w;
	if (va >= PT_USER_TOP)
		return va >= (uint64_t)_text_start && va < (uint64_t)_text_end;
	if (!root)
		root = read_cr3() & PTE_ADDR_MASK;
	pt_walk(&debug_pt_ops, root, va, &w);
	/* Without EFER.NXE bit 63 is reserved, never set: every user page
	 * counts as code then. */
	return w.ok && (w.eff_flags & PTE_US) && !(w.eff_flags & PTE_NX);
}

/* One level of a walk: name[index], raw entry, flags, what it leads to. */
static void print_level(const struct printer *pr, const struct pt_walk *w,
			int i)
{
	char flags[FLAGS_TEXT_MAX];
	int level = w->lvl[i].level;
	uint64_t e = w->lvl[i].entry;
	pr_printf(pr, "  %-4s[%3u] = 0x%016lx  %s  ", pt_level_name(level),
		  w->lvl[i].index, (unsigned long)e,
		  pt_format_flags(e, level, flags, sizeof flags));
	if (i == w->levels - 1)
		pr_printf(pr, "%s\n", w->stop_reason);
	else
		pr_printf(pr, "-> %s at 0x%lx\n", pt_level_name(level - 1),
			  (unsigned long)(e & PTE_ADDR_MASK));
}

void debug_pt_print_walk(const struct printer *pr, uint64_t root, uint64_t va,
			 struct pt_walk *w)
{
	uint64_t bad;
	debug_pt_reset();
	pt_walk(&debug_pt_ops, root, va, w);
	pr_printf(pr, "walk of 0x%016lx (CR3 0x%lx):\n", (unsigned long)va,
		  (unsigned long)root);
	for (int i = 0; i < w->levels; i++)
		print_level(pr, w, i);
	if (debug_pt_bad_table(&bad))
		pr_printf(pr,
			  "  note: an entry points outside RAM: the table at "
			  "phys 0x%lx is not RAM in the direct map; it was "
			  "read as empty (corrupt page tables?)\n",
			  (unsigned long)bad);
}
