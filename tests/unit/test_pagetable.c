/* test_pagetable.c — host tests of page-table map/unmap/protect/walk and the
 * QEMU-format dumps. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pagetable.h"
#include "tests/unit/harness.h"

/* ---- a pool of table pages standing in for physical memory ---- */

#define POOL_PAGES 256
#define POOL_PHYS 0x7000000ULL /* "physical" address of pool page 0 */

static uint8_t (*pool)[4096];
static bool pool_used[POOL_PAGES];
static int tables_alloced, tables_freed, flushes, alloc_limit;
static uint64_t last_flush;

static void *p2v(uint64_t phys)
{
	uint64_t i = (phys - POOL_PHYS) / 4096;
	if (phys < POOL_PHYS || i >= POOL_PAGES || phys % 4096)
		fail_msg("phys_to_virt(0x%llx): not a table page",
			 (unsigned long long)phys);
	return pool[i];
}

static uint64_t alloc_table(void *ctx)
{
	(void)ctx;
	if (alloc_limit >= 0 && tables_alloced - tables_freed >= alloc_limit)
		return 0;
	for (int i = 0; i < POOL_PAGES; i++)
		if (!pool_used[i]) {
			pool_used[i] = true;
			memset(pool[i], 0, 4096);
			tables_alloced++;
			return POOL_PHYS + (uint64_t)i * 4096;
		}
	return 0;
}

static void free_table(void *ctx, uint64_t phys)
{
	uint64_t i = (phys - POOL_PHYS) / 4096;
	(void)ctx;
	assert_true(i < POOL_PAGES && pool_used[i]);
	memset(pool[i], 0xcc, 4096); /* a stale read would now show */
	pool_used[i] = false;
	tables_freed++;
}

static void flush(void *ctx, uint64_t va)
{
	(void)ctx;
	assert_true(pt_is_canonical(va));
	flushes++;
	last_flush = va;
}

static const struct pt_ops ops = {p2v, alloc_table, free_table, flush, NULL, 0};

static int live_tables(void)
{
	return tables_alloced - tables_freed;
}

static int setup(void **state)
{
	(void)state;
	pool = aligned_alloc(4096, POOL_PAGES * 4096);
	memset(pool_used, 0, sizeof pool_used);
	tables_alloced = tables_freed = flushes = 0;
	alloc_limit = -1;
	return pool ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

/* ---- output capture for the formatters ---- */

static char out[8192];
static size_t outlen;

static void cap(void *ctx, char c)
{
	(void)ctx;
	if (outlen + 1 < sizeof out)
		out[outlen++] = c;
	out[outlen] = '\0';
}

static const char *info_mem(uint64_t root)
{
	outlen = 0;
	out[0] = '\0';
	pt_format_info_mem(&ops, root, cap, NULL);
	return out;
}

static const char *info_tlb(uint64_t root)
{
	outlen = 0;
	out[0] = '\0';
	pt_format_info_tlb(&ops, root, cap, NULL);
	return out;
}

#define KB4 0x1000ULL
#define MB2 0x200000ULL
#define GB1 0x40000000ULL

/* ---- tests ---- */

static void test_map_translate_unmap(void **state)
{
	uint64_t root = alloc_table(NULL), pa;
	(void)state;
	assert_int_equal(pt_map(&ops, root, 0x400000, 0x2000000, 16 * KB4,
				PTE_RW | PTE_US, 0),
			 PT_OK);
	assert_int_equal(live_tables(), 4); /* root, PDPT, PD, PT */
	for (uint64_t i = 0; i < 16; i++) {
		assert_true(
		    pt_translate(&ops, root, 0x400000 + i * KB4 + 0x123, &pa));
		assert_int_equal(pa, 0x2000000 + i * KB4 + 0x123);
	}
	assert_false(pt_translate(&ops, root, 0x410000, &pa));
	assert_false(pt_translate(&ops, root, 0x3ff000, &pa));
	flushes = 0;
	assert_int_equal(pt_unmap(&ops, root, 0x400000, 8 * KB4), PT_OK);
	assert_int_equal(flushes, 8);
	assert_int_equal(live_tables(), 4);
	assert_false(pt_translate(&ops, root, 0x400000, &pa));
	assert_true(pt_translate(&ops, root, 0x408000, &pa));
	assert_int_equal(pt_unmap(&ops, root, 0x0, 0x800000), PT_OK);
	assert_int_equal(live_tables(), 1); /* only the root is left */
	uint64_t counts[3];
	pt_count(&ops, root, counts);
	assert_int_equal(counts[0] + counts[1] + counts[2], 0);
}

static void test_bad_ranges(void **state)
{
	uint64_t root = alloc_table(NULL);
	(void)state;
	assert_int_equal(pt_map(&ops, root, 0x400123, 0, KB4, 0, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ops, root, 0x400000, 0x10, KB4, 0, 0),
			 PT_EINVAL);
	assert_int_equal(pt_map(&ops, root, 0x400000, 0, 0, 0, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ops, root, 0x0000800000000000, 0, KB4, 0, 0),
			 PT_EINVAL);
	/* crossing from the lower half into the hole */
	assert_int_equal(
	    pt_map(&ops, root, 0x00007ffffffff000, 0, 2 * KB4, 0, 0),
	    PT_EINVAL);
	assert_int_equal(pt_unmap(&ops, root, 0xffff7ffffffff000, KB4),
			 PT_EINVAL);
	assert_int_equal(live_tables(), 1);
	assert_true(pt_is_canonical(0xffff800000000000));
	assert_true(pt_is_canonical(0x00007fffffffffff));
	assert_false(pt_is_canonical(0x0000800000000000));
	assert_false(pt_is_canonical(0xfff0000000000000));
}

static void test_large_pages(void **state)
{
	uint64_t root = alloc_table(NULL), pa, counts[3];
	uint64_t va = 0xffff800000000000;
	(void)state;
	assert_int_equal(pt_map(&ops, root, va, 0, GB1 + 2 * MB2 + 2 * KB4,
				PTE_RW | PTE_NX, PT_MAP_LARGE | PT_MAP_1G),
			 PT_OK);
	pt_count(&ops, root, counts);
	assert_int_equal(counts[2], 1);
	assert_int_equal(counts[1], 2);
	assert_int_equal(counts[0], 2);
	assert_true(pt_translate(&ops, root, va + 0x3456789a, &pa));
	assert_int_equal(pa, 0x3456789a);
	assert_true(pt_translate(&ops, root, va + GB1 + MB2 + 0x1234, &pa));
	assert_int_equal(pa, GB1 + MB2 + 0x1234);
	assert_true(pt_translate(&ops, root, va + GB1 + 2 * MB2 + 0x1fff, &pa));
	assert_int_equal(pa, GB1 + 2 * MB2 + 0x1fff);
	/* part of a 2 MiB page cannot be unmapped or protected */
	assert_int_equal(pt_unmap(&ops, root, va + GB1, KB4), PT_ELARGE);
	assert_int_equal(pt_protect(&ops, root, va + GB1 + KB4, KB4, 0),
			 PT_ELARGE);
	assert_int_equal(pt_map(&ops, root, va + GB1 + MB2, 0, KB4, 0, 0),
			 PT_EEXIST);
	/* without PT_MAP_LARGE only 4 KiB pages are made */
	assert_int_equal(pt_map(&ops, root, 0x40000000, 0, MB2, PTE_RW, 0),
			 PT_OK);
	pt_count(&ops, root, counts);
	assert_int_equal(counts[0], 2 + 512);
	assert_int_equal(pt_unmap(&ops, root, va, GB1 + 2 * MB2 + 2 * KB4),
			 PT_OK);
	assert_int_equal(pt_unmap(&ops, root, 0x40000000, MB2), PT_OK);
	assert_int_equal(live_tables(), 1);
}

static void test_walk(void **state)
{
	uint64_t root = alloc_table(NULL);
	struct pt_walk w;
	(void)state;
	pt_walk(&ops, root, 0x0000800000000000, &w);
	assert_false(w.ok);
	assert_int_equal(w.levels, 0);
	assert_string_equal(w.stop_reason, "non-canonical address");
	pt_walk(&ops, root, 0xffff800000001000, &w);
	assert_false(w.ok);
	assert_int_equal(w.levels, 1);
	assert_int_equal(w.stop_level, 4);
	assert_int_equal(w.lvl[0].index, 256);
	assert_int_equal(w.lvl[0].entry, 0);
	assert_int_equal(w.lvl[0].table_phys, root);
	assert_string_equal(w.stop_reason, "not present");

	pt_map(&ops, root, 0x7fffc0000000, 0x80000000, GB1, PTE_RW | PTE_US,
	       PT_MAP_LARGE | PT_MAP_1G);
	pt_walk(&ops, root, 0x7fffc0012345, &w);
	assert_true(w.ok);
	assert_int_equal(w.levels, 2);
	assert_int_equal(w.stop_level, 3);
	assert_int_equal(w.lvl[0].index, 255);
	assert_int_equal(w.lvl[1].index, 511);
	assert_int_equal(w.lvl[1].entry,
			 0x80000000 | PTE_P | PTE_RW | PTE_US | PTE_PS);
	assert_int_equal(w.phys, 0x80012345);
	assert_int_equal(w.page_size, GB1);
	assert_string_equal(w.stop_reason, "1 GiB page");

	pt_map(&ops, root, 0x600000, 0x1000, KB4, PTE_NX, 0);
	pt_walk(&ops, root, 0x601000, &w); /* same PT, next entry */
	assert_false(w.ok);
	assert_int_equal(w.levels, 4);
	assert_int_equal(w.stop_level, 1);
	assert_int_equal(w.lvl[3].index, 1);
	assert_string_equal(w.stop_reason, "not present");
	pt_walk(&ops, root, 0x600fff, &w);
	assert_true(w.ok);
	assert_int_equal(w.phys, 0x1fff);
	assert_string_equal(w.stop_reason, "4 KiB page");
	/* intermediate entries are RW, the leaf is not: effective read-only */
	assert_int_equal(w.eff_flags, PTE_P | PTE_NX);
	assert_string_equal(pt_level_name(w.lvl[2].level), "PD");
}

static void test_walk_2m_and_reserved(void **state)
{
	uint64_t root = alloc_table(NULL);
	struct pt_walk w;
	(void)state;
	pt_map(&ops, root, 0xffff800000400000, 0x40200000, MB2, PTE_RW,
	       PT_MAP_LARGE | PT_MAP_1G);
	pt_walk(&ops, root, 0xffff8000005fffff, &w);
	assert_true(w.ok);
	assert_int_equal(w.levels, 3);
	assert_int_equal(w.stop_level, 2);
	assert_int_equal(w.lvl[2].index, 2);
	assert_int_equal(w.phys, 0x403fffff);
	assert_string_equal(w.stop_reason, "2 MiB page");
	/* bit 7 is reserved in a PML4 entry: the walk stops and says so */
	((uint64_t *)p2v(root))[256] |= PTE_PS;
	pt_walk(&ops, root, 0xffff8000005fffff, &w);
	assert_false(w.ok);
	assert_int_equal(w.levels, 1);
	assert_string_equal(w.stop_reason,
			    "reserved bit 7 (PS) set in PML4 entry");
}

static void test_format_flags(void **state)
{
	char buf[64];
	(void)state;
	assert_string_equal(pt_format_flags(PTE_P | PTE_RW | PTE_US | PTE_A |
						PTE_D | PTE_PS | PTE_G | PTE_NX,
					    2, buf, sizeof buf),
			    "P RW US -- -- A D PS G NX");
	assert_string_equal(pt_format_flags(0, 3, buf, sizeof buf),
			    "- -- -- -- -- - - -- - --");
	assert_string_equal(pt_format_flags(PTE_P | PTE_PWT | PTE_PCD | PTE_PAT,
					    1, buf, sizeof buf),
			    "P -- -- WT CD - - PA - --");
	assert_string_equal(pt_format_flags(PTE_P | PTE_RW, 1, buf, 5), "P RW");
}

/* Map a fixed layout; expected lines computed by hand with QEMU's
 * mem_info_la48 rules (prot = U|W|P ANDed over levels, NX ignored,
 * ranges split on any change, the final flush at 1<<48 un-canonicalised). */
static uint64_t build_layout(void)
{
	uint64_t root = alloc_table(NULL);
	pt_map(&ops, root, 0x400000, 0x100000, 4 * KB4, PTE_RW | PTE_US, 0);
	pt_map(&ops, root, 0x404000, 0x200000, 2 * KB4, PTE_US, 0);
	pt_map(&ops, root, 0x600000, 0x300000, KB4, PTE_RW, 0);
	pt_map(&ops, root, 0xffff800000000000, 0, MB2, PTE_RW | PTE_NX | PTE_G,
	       PT_MAP_LARGE | PT_MAP_1G);
	pt_map(&ops, root, 0xffff800000200000, MB2, MB2, PTE_RW, 0);
	pt_map(&ops, root, 0xffffffff80000000, 0x100000, 2 * KB4, PTE_G, 0);
	pt_map(&ops, root, 0xffffffffffe00000, 0x400000, MB2, PTE_RW,
	       PT_MAP_LARGE | PT_MAP_1G);
	return root;
}

static void test_info_mem(void **state)
{
	(void)state;
	uint64_t root = build_layout();
	assert_string_equal(
	    info_mem(root),
	    "0000000000400000-0000000000404000 0000000000004000 urw\n"
	    "0000000000404000-0000000000406000 0000000000002000 ur-\n"
	    "0000000000600000-0000000000601000 0000000000001000 -rw\n"
	    "ffff800000000000-ffff800000400000 0000000000400000 -rw\n"
	    "ffffffff80000000-ffffffff80002000 0000000000002000 -r-\n"
	    "ffffffffffe00000-0001000000000000 0000000000200000 -rw\n");
	/* clearing RW in PML4 entry 256 makes everything below it
	 * read-only: prot is ANDed over the levels */
	uint64_t *pml4 = p2v(root);
	pml4[256] &= ~PTE_RW;
	assert_string_equal(
	    info_mem(root),
	    "0000000000400000-0000000000404000 0000000000004000 urw\n"
	    "0000000000404000-0000000000406000 0000000000002000 ur-\n"
	    "0000000000600000-0000000000601000 0000000000001000 -rw\n"
	    "ffff800000000000-ffff800000400000 0000000000400000 -r-\n"
	    "ffffffff80000000-ffffffff80002000 0000000000002000 -r-\n"
	    "ffffffffffe00000-0001000000000000 0000000000200000 -rw\n");
	assert_string_equal(info_mem(alloc_table(NULL)), "");
}

struct collect {
	struct pt_range r[16];
	int n, stop_after;
};

static bool collect_fn(void *ctx, const struct pt_range *r)
{
	struct collect *c = ctx;
	c->r[c->n++] = *r;
	return c->n < c->stop_after;
}

static void test_range_iterator(void **state)
{
	(void)state;
	uint64_t root = build_layout();
	struct collect c = {.n = 0, .stop_after = 2};
	pt_for_each_range(&ops, root, PTE_P | PTE_RW | PTE_US, collect_fn, &c);
	assert_int_equal(c.n, 2); /* stopped early */
	/* with NX in the mask the NX 2 MiB page and the 4 KiB pages after it
	 * no longer merge */
	c = (struct collect){.n = 0, .stop_after = 100};
	pt_for_each_range(&ops, root, PTE_RW | PTE_US | PTE_NX, collect_fn, &c);
	assert_int_equal(c.n, 7);
	assert_int_equal(c.r[3].start, 0x800000000000);
	assert_int_equal(c.r[3].end, 0x800000200000);
	assert_int_equal(c.r[3].prot, PTE_P | PTE_RW | PTE_NX);
	assert_int_equal(c.r[4].prot, PTE_P | PTE_RW);
	assert_int_equal(c.r[6].end, 0x1000000000000);
}

static void test_info_tlb(void **state)
{
	(void)state;
	uint64_t root = alloc_table(NULL);
	pt_map(&ops, root, 0x400000, 0x2000000, KB4, PTE_RW | PTE_US, 0);
	pt_map(&ops, root, 0x401000, 0x2001000, KB4, PTE_PCD | PTE_PWT, 0);
	pt_map(&ops, root, 0xffff800000000000, 0, MB2, PTE_RW | PTE_NX | PTE_G,
	       PT_MAP_LARGE | PT_MAP_1G);
	pt_map(&ops, root, 0xffff808000000000, 0x40000000, GB1, PTE_RW,
	       PT_MAP_LARGE | PT_MAP_1G);
	/* hardware-set A/D bits and the PAT bit of a 4K PTE, which QEMU masks
	 */
	struct pt_walk w;
	pt_walk(&ops, root, 0x400000, &w);
	((uint64_t *)p2v(w.lvl[3].table_phys))[0] |= PTE_A | PTE_D | PTE_PAT;
	assert_string_equal(info_tlb(root),
			    "0000000000400000: 0000000002000000 ---DA--UW\n"
			    "0000000000401000: 0000000002001000 -----CT--\n"
			    "ffff800000000000: 0000000000000000 XGP-----W\n"
			    "ffff808000000000: 0000000040000000 --P-----W\n");
}

static void test_exists_rolls_back(void **state)
{
	(void)state;
	uint64_t root = alloc_table(NULL), pa;
	assert_int_equal(
	    pt_map(&ops, root, 0x500000, 0x1000000, 3 * KB4, PTE_RW, 0), PT_OK);
	int tables = live_tables();
	assert_int_equal(
	    pt_map(&ops, root, 0x4fe000, 0x2000000, 4 * KB4, PTE_RW, 0),
	    PT_EEXIST);
	assert_false(pt_translate(&ops, root, 0x4fe000, &pa));
	assert_false(pt_translate(&ops, root, 0x4ff000, &pa));
	assert_true(pt_translate(&ops, root, 0x500000, &pa));
	assert_int_equal(pa, 0x1000000);
	assert_int_equal(live_tables(), tables);
	/* rollback across a table boundary frees the table it created */
	assert_int_equal(
	    pt_map(&ops, root, 0x3ff000, 0x2000000, 0x102000, PTE_RW, 0),
	    PT_EEXIST);
	assert_int_equal(live_tables(), tables);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	uint64_t root = alloc_table(NULL), pa;
	alloc_limit = 3; /* root + PDPT + PD: no PT possible */
	assert_int_equal(pt_map(&ops, root, 0x400000, 0, 4 * KB4, PTE_RW, 0),
			 PT_ENOMEM);
	assert_int_equal(live_tables(), 1);
	alloc_limit = 4; /* one PT: the second 2 MiB needs another */
	assert_int_equal(pt_map(&ops, root, 0x5ff000, 0, 2 * KB4, PTE_RW, 0),
			 PT_ENOMEM);
	assert_int_equal(live_tables(), 1);
	assert_false(pt_translate(&ops, root, 0x5ff000, &pa));
	alloc_limit = -1;
}

static void test_protect(void **state)
{
	(void)state;
	uint64_t root = alloc_table(NULL);
	struct pt_walk w;
	pt_map(&ops, root, 0x400000, 0x100000, 4 * KB4, PTE_RW, 0);
	flushes = 0;
	assert_int_equal(
	    pt_protect(&ops, root, 0x401000, 2 * KB4, PTE_US | PTE_NX), PT_OK);
	assert_int_equal(flushes, 2);
	assert_int_equal(last_flush, 0x402000);
	pt_walk(&ops, root, 0x401000, &w);
	assert_int_equal(w.lvl[3].entry, 0x101000 | PTE_P | PTE_US | PTE_NX);
	assert_int_equal(w.eff_flags, PTE_P | PTE_US | PTE_NX);
	pt_walk(&ops, root, 0x403000, &w);
	assert_int_equal(w.lvl[3].entry, 0x103000 | PTE_P | PTE_RW);
	assert_string_equal(
	    info_mem(root),
	    "0000000000400000-0000000000401000 0000000000001000 -rw\n"
	    "0000000000401000-0000000000403000 0000000000002000 ur-\n"
	    "0000000000403000-0000000000404000 0000000000001000 -rw\n");
}

/* A CPU without NX (EFER.NXE clear): bit 63 is reserved, so neither
 * pt_map nor pt_protect may write it, 4 KiB or large, whatever is asked. */
static void test_nx_left_out_without_nxe(void **state)
{
	(void)state;
	struct pt_ops no_nx = ops;
	no_nx.unsupported = PTE_NX;
	uint64_t root = alloc_table(NULL);
	struct pt_walk w;
	assert_int_equal(pt_map(&no_nx, root, 0x400000, 0x100000, 2 * KB4,
				PTE_RW | PTE_NX, 0),
			 PT_OK);
	assert_int_equal(pt_map(&no_nx, root, 0xffff800000000000, 0, 2 * MB2,
				PTE_RW | PTE_NX | PTE_G, PT_MAP_LARGE),
			 PT_OK);
	pt_walk(&ops, root, 0x401000, &w);
	assert_int_equal(w.lvl[3].entry, 0x101000 | PTE_P | PTE_RW);
	pt_walk(&ops, root, 0xffff800000200000, &w);
	assert_int_equal(w.lvl[2].entry, MB2 | PTE_P | PTE_RW | PTE_G | PTE_PS);
	assert_int_equal(pt_protect(&no_nx, root, 0x400000, KB4, PTE_NX),
			 PT_OK);
	pt_walk(&ops, root, 0x400000, &w);
	assert_int_equal(w.lvl[3].entry, 0x100000 | PTE_P);
	/* with NX supported the same calls do set it */
	assert_int_equal(pt_protect(&ops, root, 0x400000, KB4, PTE_NX), PT_OK);
	pt_walk(&ops, root, 0x400000, &w);
	assert_int_equal(w.lvl[3].entry, 0x100000 | PTE_P | PTE_NX);
}

static void test_create_destroy(void **state)
{
	(void)state;
	uint64_t kroot = alloc_table(NULL);
	pt_map(&ops, kroot, 0xffffffff80000000, 0x100000, 4 * KB4, PTE_RW, 0);
	int base = live_tables();
	uint64_t as = pt_create(&ops, kroot), pa;
	assert_int_not_equal(as, 0);
	assert_memory_equal((uint64_t *)p2v(as) + 256,
			    (uint64_t *)p2v(kroot) + 256, 256 * 8);
	assert_true(pt_translate(&ops, as, 0xffffffff80001000, &pa));
	pt_map(&ops, as, 0x400000, 0x800000, 3 * MB2, PTE_RW | PTE_US, 0);
	pt_map(&ops, as, 0x7fffffe00000, 0x800000, MB2, PTE_RW | PTE_US,
	       PT_MAP_LARGE | PT_MAP_1G);
	assert_true(live_tables() > base + 1);
	pt_destroy(&ops, as);
	assert_int_equal(live_tables(), base);
	assert_true(pt_translate(&ops, kroot, 0xffffffff80003000, &pa));
	alloc_limit = base;
	assert_int_equal(pt_create(&ops, kroot), 0);
	alloc_limit = -1;
}

/* Random 4K map/unmap/protect against a shadow array of one region. */
#define RPAGES 2048 /* 8 MiB region spanning 4 page tables */
static void check_shadow(uint64_t root, uint64_t va0, const uint64_t *pa,
			 const uint64_t *fl)
{
	for (unsigned k = 0; k < RPAGES; k++) {
		struct pt_walk w;
		pt_walk(&ops, root, va0 + k * KB4, &w);
		assert_int_equal(w.ok, pa[k] != 0);
		if (w.ok) {
			assert_int_equal(w.phys, pa[k]);
			assert_int_equal(w.lvl[3].entry & PTE_PERM_MASK, fl[k]);
		}
	}
}

static void test_random_shadow(void **state)
{
	(void)state;
	uint64_t root = alloc_table(NULL), va0 = 0x7fffff000000 - 4 * MB2;
	static uint64_t shadow_pa[RPAGES], shadow_fl[RPAGES];
	memset(shadow_pa, 0, sizeof shadow_pa);
	srand(42);
	for (int op = 0; op < 5000; op++) {
		unsigned i = (unsigned)rand() % RPAGES;
		unsigned n = 1 + (unsigned)rand() % 16;
		if (i + n > RPAGES)
			n = RPAGES - i;
		uint64_t va = va0 + i * KB4,
			 fl = (uint64_t)(rand() % 2) * PTE_RW |
			      (uint64_t)(rand() % 2) * PTE_NX;
		int kind = rand() % 3;
		bool any = false;
		for (unsigned k = 0; k < n; k++)
			any |= shadow_pa[i + k] != 0;
		if (kind == 0) {
			uint64_t pa = (uint64_t)(1 + rand() % 100000) * KB4;
			int r = pt_map(&ops, root, va, pa, n * KB4, fl, 0);
			assert_int_equal(r, any ? PT_EEXIST : PT_OK);
			for (unsigned k = 0; !any && k < n; k++) {
				shadow_pa[i + k] = pa + k * KB4;
				shadow_fl[i + k] = fl;
			}
		} else if (kind == 1) {
			assert_int_equal(pt_unmap(&ops, root, va, n * KB4),
					 PT_OK);
			memset(&shadow_pa[i], 0, n * sizeof shadow_pa[0]);
		} else {
			assert_int_equal(
			    pt_protect(&ops, root, va, n * KB4, fl), PT_OK);
			for (unsigned k = 0; k < n; k++)
				shadow_fl[i + k] = fl;
		}
		if (op % 250 == 0)
			check_shadow(root, va0, shadow_pa, shadow_fl);
	}
	assert_int_equal(pt_unmap(&ops, root, va0, RPAGES * KB4), PT_OK);
	assert_int_equal(live_tables(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_map_translate_unmap, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_2m_and_reserved, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_format_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_info_mem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_range_iterator, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_info_tlb, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exists_rolls_back, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nx_left_out_without_nxe, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_create_destroy, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_random_shadow, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
