/* ktests_mm.c — boot-time tests of memory management: pmm orders and
 * exhaustion, mapping, the heap, guard pages, RAM totals. */
#include <stdint.h>

#include "drivers/console.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/debug/crash.h"
#include "kernel/debug/debug_pt.h"
#include "kernel/ktests/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "mm/pagetable.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/vmm.h"

/* Defined in kernel/main.c (no header declares it yet). */

#define HARNESS_WAIT_MS 10000 /* longest wait for the pytest's go-ahead */
/* A test address far above the stacks vmm_alloc_stack hands out. */
#define TEST_VA ((uint64_t)(VMALLOC_BASE + VMALLOC_SIZE - (16ULL << 20)))
#define MAP_ORDER 2   /* mm_map maps 4 pages */
#define HEAP_LIVE 512 /* live kmalloc blocks in mm_heap */
#define HEAP_OPS 20000
#define HEAP_MAX 4096 /* sizes 1..HEAP_MAX: slab classes and large blocks */

/* ---- helpers ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL; /* fixed seed: reproducible */

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The parts of pmm_stats that must return after alloc/free cycles. */
static void expect_same_free(const struct pmm_stats *a, const char *what)
{
	struct pmm_stats b;
	pmm_stats(&b);
	if (b.free_pages != a->free_pages)
		ktest_fail("%s: %lu free pages before, %lu after", what,
			   a->free_pages, b.free_pages);
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		if (b.free_blocks[o] != a->free_blocks[o])
			ktest_fail("%s: order %u: %lu free blocks before, %lu "
				   "after",
				   what, o, a->free_blocks[o],
				   b.free_blocks[o]);
	pmm_verify();
}

static void print_free(const char *tag)
{
	struct pmm_stats st;
	pmm_stats(&st);
	printk("%s: %lu free pages, blocks per order:", tag, st.free_pages);
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		printk(" %lu", st.free_blocks[o]);
	printk("\n");
}

/* Wait for any byte from the harness (it has read QEMU's view), at most
 * HARNESS_WAIT_MS, so the test can never hang. */
static void wait_harness(const char *what)
{
	printk("%s: waiting for the harness (%u s at most)\n", what,
	       HARNESS_WAIT_MS / 1000);
	uint64_t deadline = uptime_ms() + HARNESS_WAIT_MS;
	while (uptime_ms() < deadline)
		if (console_getc() >= 0)
			return;
		else
			hlt();
	printk("%s: no reply from the harness; going on\n", what);
}

/* ---- pmm ---- */

static void fill_block(uint64_t pa, unsigned order, uint64_t tag)
{
	uint64_t *p = phys_to_virt(pa);
	for (uint64_t i = 0; i < (PAGE_SIZE << order) / 8; i += 512)
		p[i] = tag + i;
}

static void check_block(uint64_t pa, unsigned order, uint64_t tag)
{
	uint64_t *p = phys_to_virt(pa);
	for (uint64_t i = 0; i < (PAGE_SIZE << order) / 8; i += 512)
		if (p[i] != tag + i)
			ktest_fail("block 0x%lx order %u overwritten at +0x%lx",
				   pa, order, i * 8);
}

/* 8 blocks of one order held together: aligned, disjoint, intact. */
static void cycle_order(unsigned order)
{
	uint64_t pa[8];
	for (int i = 0; i < 8; i++) {
		pa[i] = pmm_alloc(order, PMM_OWNER_TEST);
		if (!pa[i])
			ktest_fail("order %u: allocation %d failed", order, i);
		if (pa[i] & ((PAGE_SIZE << order) - 1))
			ktest_fail("order %u: 0x%lx is not aligned", order,
				   pa[i]);
		fill_block(pa[i], order, pa[i] ^ order);
	}
	for (int i = 0; i < 8; i++)
		check_block(pa[i], order, pa[i] ^ order);
	for (int i = 7; i >= 0; i--)
		pmm_free(pa[i], order);
}

KTEST(mm_orders, "alloc/free 8 blocks of every order; memory all returns")
{
	struct pmm_stats before;
	pmm_stats(&before);
	print_free("mm_orders: before");
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		cycle_order(o);
	uint64_t one[PMM_NR_ORDERS]; /* one of each order at once */
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		one[o] = pmm_alloc(o, PMM_OWNER_TEST);
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		if (one[o])
			pmm_free(one[o], o);
		else
			ktest_fail("order %u failed with the others held", o);
	print_free("mm_orders: after");
	expect_same_free(&before, "mm_orders");
}

/* Allocated blocks are chained through their own first bytes. */
struct held {
	uint64_t next;
	unsigned order;
};

/* Allocate every free page, largest blocks first, down to order
 * `lowest`; returns the chain and the page count in *pages. */
static uint64_t take_all(unsigned lowest, uint64_t *pages)
{
	uint64_t head = 0;
	*pages = 0;
	for (int o = PMM_MAX_ORDER; o >= (int)lowest; o--) {
		uint64_t pa;
		while ((pa = pmm_alloc((unsigned)o, PMM_OWNER_TEST))) {
			struct held *h = phys_to_virt(pa);
			h->next = head;
			h->order = (unsigned)o;
			head = pa;
			*pages += 1ULL << o;
		}
	}
	return head;
}

static void give_back(uint64_t head)
{
	while (head) {
		struct held *h = phys_to_virt(head);
		uint64_t next = h->next;
		pmm_free(head, h->order);
		head = next;
	}
}

static void exhaust(unsigned lowest, const char *what)
{
	struct pmm_stats before, empty;
	pmm_stats(&before);
	uint64_t pages, head = take_all(lowest, &pages);
	pmm_stats(&empty);
	printk("%s: took %lu pages (%lu MiB), %lu were free\n", what, pages,
	       pages >> 8, before.free_pages);
	if (pages != before.free_pages || empty.free_pages != 0 ||
	    empty.largest_free_order != -1 || pmm_alloc(0, PMM_OWNER_TEST))
		ktest_fail("%s: %lu of %lu free pages taken, %lu left", what,
			   pages, before.free_pages, empty.free_pages);
	give_back(head);
	expect_same_free(&before, what);
}

KTEST(mm_exhaust, "allocate until exhaustion (by order, then by page); "
		  "all returns")
{
	print_free("mm_exhaust: before");
	exhaust(0, "mm_exhaust: largest first");
	exhaust(0, "mm_exhaust: again");
	struct pmm_stats before;
	pmm_stats(&before);
	uint64_t head = 0, n = 0, pa; /* order 0 only: every page alone */
	while ((pa = pmm_alloc(0, PMM_OWNER_TEST))) {
		*(uint64_t *)phys_to_virt(pa) = head;
		head = pa;
		n++;
	}
	printk("mm_exhaust: %lu single pages\n", n);
	if (n != before.free_pages)
		ktest_fail("order 0: %lu pages of %lu", n, before.free_pages);
	while (head) {
		uint64_t next = *(uint64_t *)phys_to_virt(head);
		pmm_free(head, 0);
		head = next;
	}
	print_free("mm_exhaust: after");
	expect_same_free(&before, "mm_exhaust: order 0");
}

/* ---- vmm ---- */

static void walk(uint64_t va, struct pt_walk *w)
{
	pt_walk(&vmm_ops, vmm_kernel_root(), va, w);
}

/* Every page of [va, +len) translates to pa + offset, with effective
 * RW as wanted. */
static void check_mapped(uint64_t va, uint64_t pa, uint64_t len, bool rw)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t got;
		struct pt_walk w;
		if (!vmm_translate(va + off + 0x123, &got) ||
		    got != pa + off + 0x123)
			ktest_fail("0x%lx translates to 0x%lx, not 0x%lx",
				   va + off + 0x123, got, pa + off + 0x123);
		walk(va + off, &w);
		if (!w.ok || w.page_size != PAGE_SIZE ||
		    !!(w.eff_flags & PTE_RW) != rw ||
		    !(w.eff_flags & PTE_NX) != !vmm_has_nx())
			ktest_fail(
			    "walk of 0x%lx: ok %d size 0x%lx flags 0x%lx",
			    va + off, w.ok, w.page_size, w.eff_flags);
	}
}

static void check_unmapped(uint64_t va, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t got;
		struct pt_walk w;
		walk(va + off, &w);
		if (vmm_translate(va + off, &got) || w.ok)
			ktest_fail("0x%lx still mapped after unmap", va + off);
	}
}

/* Write through one mapping, read back through the other. */
static void check_aliases(volatile uint64_t *dm, volatile uint64_t *va,
			  uint64_t words)
{
	for (uint64_t i = 0; i < words; i++)
		dm[i] = 0x5eed0000 + i;
	for (uint64_t i = 0; i < words; i++)
		if (va[i] != 0x5eed0000 + i)
			ktest_fail("word %lu reads 0x%lx through the mapping",
				   i, va[i]);
	va[words - 1] = 0xfeedface;
	if (dm[words - 1] != 0xfeedface)
		ktest_fail("write through the mapping not seen in the direct "
			   "map");
}

KTEST(mm_map, "map/translate/protect/unmap 4 pages in the vmalloc range; "
	      "the harness checks gva2gpa")
{
	uint64_t len = PAGE_SIZE << MAP_ORDER;
	struct pmm_stats before;
	pmm_stats(&before);
	uint64_t pa = pmm_alloc(MAP_ORDER, PMM_OWNER_TEST);
	if (!pa)
		ktest_fail("no memory");
	int rc = vmm_map(TEST_VA, pa, len, PTE_RW | PTE_NX);
	if (rc != PT_OK)
		ktest_fail("vmm_map(0x%lx) returned %d", TEST_VA, rc);
	if (vmm_map(TEST_VA, pa, PAGE_SIZE, PTE_RW) != PT_EEXIST)
		ktest_fail("mapping twice did not say PT_EEXIST");
	check_mapped(TEST_VA, pa, len, true);
	check_aliases(phys_to_virt(pa), (uint64_t *)TEST_VA, len / 8);
	printk("mm_map: va=0x%lx pa=0x%lx pages=%lu rw\n", TEST_VA, pa,
	       (uint64_t)(len / PAGE_SIZE));
	struct pt_walk w;
	debug_pt_print_walk(&printk_out, vmm_kernel_root(), TEST_VA, &w);
	wait_harness("mm_map: mapped");
	if (vmm_protect(TEST_VA, len, PTE_NX) != PT_OK)
		ktest_fail("vmm_protect failed");
	check_mapped(TEST_VA, pa, len, false);
	printk("mm_map: va=0x%lx protected read-only\n", TEST_VA);
	wait_harness("mm_map: protected");
	if (vmm_unmap(TEST_VA, len) != PT_OK)
		ktest_fail("vmm_unmap failed");
	check_unmapped(TEST_VA, len);
	printk("mm_map: va=0x%lx unmapped\n", TEST_VA);
	wait_harness("mm_map: unmapped");
	pmm_free(pa, MAP_ORDER);
	expect_same_free(&before, "mm_map (page tables freed on unmap)");
}

/* ---- heap ---- */

struct blk {
	uint8_t *p;
	size_t n;
	uint8_t tag;
};

static void blk_new(struct blk *b, uint8_t tag)
{
	b->n = 1 + next_rand() % HEAP_MAX;
	b->tag = tag;
	b->p = next_rand() % 4 ? kmalloc(b->n) : kzalloc(b->n);
	if (!b->p)
		ktest_fail("kmalloc(%zu) failed", b->n);
	if ((uintptr_t)b->p % KMALLOC_ALIGN)
		ktest_fail("kmalloc(%zu) = %p: not %u-aligned", b->n,
			   (void *)b->p, KMALLOC_ALIGN);
	if (ksize(b->p) < b->n)
		ktest_fail("ksize %zu < %zu", ksize(b->p), b->n);
	memset(b->p, tag, b->n);
}

static void blk_check(const struct blk *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] != b->tag)
			ktest_fail("block %p (%zu bytes) byte %zu is 0x%x, not "
				   "0x%x: overlap?",
				   (void *)b->p, b->n, i, b->p[i], b->tag);
}

static void check_zeroed(void)
{
	for (size_t n = 1; n <= HEAP_MAX; n = n * 3 + 1) {
		uint8_t *p = kzalloc(n);
		for (size_t i = 0; p && i < n; i++)
			if (p[i])
				ktest_fail("kzalloc(%zu) byte %zu is 0x%x", n,
					   i, p[i]);
		kfree(p);
	}
}

/* Grow and shrink keep the first min(old, new) bytes. */
static void check_realloc(void)
{
	static const size_t sizes[] = {24, 100, 2000, 3000, 9000, 40, 4096};
	uint8_t *p = kmalloc(10);
	size_t have = 10;
	for (size_t i = 0; i < 10; i++)
		p[i] = (uint8_t)(i * 7);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		p = krealloc(p, sizes[k]);
		if (!p)
			ktest_fail("krealloc to %zu failed", sizes[k]);
		for (size_t i = 0; i < 10; i++)
			if (p[i] != (uint8_t)(i * 7))
				ktest_fail("krealloc %zu -> %zu lost byte %zu",
					   have, sizes[k], i);
		have = sizes[k];
	}
	kfree(p);
}

/* A kmem_cache_create cache: objects distinct, all pages back on destroy. */
static void check_cache(void)
{
	static void *obj[300];
	uint64_t held = slab_bytes_held();
	struct kmem_cache *c = kmem_cache_create("ktest-72", 72, 8);
	if (!c)
		ktest_fail("kmem_cache_create failed");
	for (int i = 0; i < 300; i++)
		if (!(obj[i] = kmem_cache_alloc(c)))
			ktest_fail("kmem_cache_alloc %d failed", i);
		else
			memset(obj[i], i, 72);
	for (int i = 0; i < 300; i++)
		if (((uint8_t *)obj[i])[71] != (uint8_t)i)
			ktest_fail("cache object %d overwritten", i);
	for (int i = 0; i < 300; i++)
		kmem_cache_free(c, obj[i]);
	kmem_cache_destroy(c);
	printk("mm_heap: cache ktest-72: %lu bytes held before, %lu after "
	       "destroy\n",
	       held, slab_bytes_held());
}

struct cache_snap {
	uint64_t n, inuse[32], slabs[32], large_bytes;
};

static void snap_one(void *ctx, const struct kmem_cache_stats *st)
{
	struct cache_snap *s = ctx;
	if (!st->objs_per_slab) /* kmalloc-large: whole blocks */
		s->large_bytes = st->bytes;
	if (s->n < 32) {
		s->inuse[s->n] = st->objs_inuse;
		s->slabs[s->n] = st->slabs;
	}
	s->n++;
}

/* After freeing everything: objects in use as before, and each cache
 * holds at most SLAB_KEEP_EMPTY (1) extra empty slab — mm/slab.c keeps
 * one so alloc/free at a slab boundary does not thrash the pmm. */
static void compare_caches(const struct cache_snap *a)
{
	struct cache_snap b = {0};
	kmem_for_each_cache(snap_one, &b);
	for (uint64_t i = 0; i < a->n && i < 32; i++)
		if (b.inuse[i] != a->inuse[i] || b.slabs[i] > a->slabs[i] + 1)
			ktest_fail("cache %lu: %lu objects / %lu slabs before, "
				   "%lu / %lu after",
				   i, a->inuse[i], a->slabs[i], b.inuse[i],
				   b.slabs[i]);
	if (b.large_bytes != a->large_bytes)
		ktest_fail("kmalloc-large holds %lu bytes, %lu before",
			   b.large_bytes, a->large_bytes);
}

KTEST(mm_heap, "kmalloc/kfree random sizes, kzalloc, krealloc; the heap "
	       "returns to its baseline")
{
	static struct blk live[HEAP_LIVE];
	struct cache_snap base = {0};
	struct pmm_stats before, after;
	kmem_for_each_cache(snap_one, &base);
	uint64_t held0 = slab_bytes_held();
	pmm_stats(&before);
	for (int i = 0; i < HEAP_LIVE; i++)
		blk_new(&live[i], (uint8_t)i);
	for (int op = 0; op < HEAP_OPS; op++) {
		struct blk *b = &live[next_rand() % HEAP_LIVE];
		blk_check(b);
		kfree(b->p);
		blk_new(b, (uint8_t)op);
	}
	printk("mm_heap: %d ops over %d live blocks of 1..%d bytes; held %lu "
	       "bytes\n",
	       HEAP_OPS, HEAP_LIVE, HEAP_MAX, slab_bytes_held());
	for (int i = 0; i < HEAP_LIVE; i++) {
		blk_check(&live[i]);
		kfree(live[i].p);
	}
	check_zeroed();
	check_realloc();
	check_cache();
	compare_caches(&base);
	pmm_stats(&after);
	uint64_t held1 = slab_bytes_held();
	printk("mm_heap: heap held %lu bytes before, %lu after (empty slabs "
	       "kept: %lu pages)\n",
	       held0, held1, (uint64_t)((held1 - held0) / PAGE_SIZE));
	if ((before.free_pages - after.free_pages) * PAGE_SIZE != held1 - held0)
		ktest_fail("pmm lost %lu pages, heap holds %lu more bytes",
			   before.free_pages - after.free_pages, held1 - held0);
}

/* ---- guard pages ---- */

#define TEST_STACK_PAGES 4

KTEST(mm_guard, "touch the guard page below a vmm_alloc_stack stack: "
		"diagnosed #PF")
{
	uint64_t top = vmm_alloc_stack("ktest", TEST_STACK_PAGES);
	if (!top)
		ktest_fail("vmm_alloc_stack failed");
	uint64_t bottom = top - TEST_STACK_PAGES * PAGE_SIZE;
	volatile uint8_t *b = (volatile uint8_t *)bottom;
	b[0] = 1; /* the stack itself is mapped and writable */
	printk("mm_guard: stack 'ktest' 0x%lx-0x%lx, guard page 0x%lx; "
	       "touching 0x%lx\n",
	       bottom, top, (uint64_t)(bottom - PAGE_SIZE),
	       (uint64_t)(bottom - 8));
	*(volatile uint64_t *)(bottom - 8) = 0xdead; /* must fault */
	ktest_fail("writing the guard page 0x%lx did not fault", bottom - 8);
}

KTEST(mm_stack_overflow, "overflow a vmm_alloc_stack stack: #PF on its "
			 "guard -> #DF naming it")
{
	uint64_t top = vmm_alloc_stack("ktest", TEST_STACK_PAGES);
	if (!top)
		ktest_fail("vmm_alloc_stack failed");
	printk("mm_stack_overflow: running on stack 'ktest' (top 0x%lx)\n",
	       top);
	/* crash.c's unbounded recursion, on the new stack */
	void (*recursion)(void) = crash_find("stack")->fn;
	__asm__ volatile("mov %0, %%rsp\n\tcall *%1" ::"r"(top), "r"(recursion)
			 : "memory");
	ktest_fail("came back from the recursion");
}

/* A table address no machine here has RAM at (1 TiB). */
#define BAD_TABLE_PHYS (1ULL << 40)
#define PD_LEVEL 2 /* pt_walk levels: 4 PML4, 3 PDPT, 2 PD, 1 PT */

KTEST(pf_bad_table, "a page-directory entry pointing outside RAM, then a "
		    "fault through it: diagnosed without a second fault")
{
	uint64_t pa = pmm_alloc(0, PMM_OWNER_TEST);
	struct pt_walk w;
	if (!pa || vmm_map(TEST_VA, pa, PAGE_SIZE, PTE_RW) != PT_OK)
		ktest_fail("cannot map the test page");
	pt_walk(&vmm_ops, vmm_kernel_root(), TEST_VA, &w);
	int pd = -1;
	for (int i = 0; i < w.levels; i++)
		if (w.lvl[i].level == PD_LEVEL)
			pd = i;
	if (pd < 1)
		ktest_fail("no PD level in the walk of 0x%lx", TEST_VA);
	uint64_t *table = phys_to_virt(w.lvl[pd - 1].entry & PTE_ADDR_MASK);
	printk("pf_bad_table: PD[%u] of 0x%lx now points at phys 0x%llx\n",
	       w.lvl[pd].index, TEST_VA, BAD_TABLE_PHYS);
	table[w.lvl[pd].index] = BAD_TABLE_PHYS | PTE_P | PTE_RW;
	invlpg(TEST_VA);
	*(volatile uint64_t *)TEST_VA = 1; /* must fault */
	ktest_fail("the write through a bad table did not fault");
}

/* ---- totals ---- */

KTEST(mm_totals, "print pmm totals and the reserved ranges, for the "
		 "harness's page arithmetic")
{
	struct pmm_stats st;
	pmm_stats(&st);
	printk("mm_totals: total=%lu usable=%lu reserved=%lu free=%lu "
	       "allocated=%lu ignored=%lu\n",
	       st.total_pages, st.usable_pages, st.reserved_pages,
	       st.free_pages, st.allocated_pages, st.ignored_pages);
	printk("mm_totals: meta=0x%lx+0x%lx kernel=0x%lx-0x%lx "
	       "bootinfo=0x%lx+0x%lx modules=%zu\n",
	       st.meta_phys, st.meta_bytes, (uint64_t)KERNEL_PHYS,
	       kernel_virt_to_phys(_kernel_end), boot_info.phys, boot_info.size,
	       boot_info.nmodules);
	for (size_t i = 0; i < boot_info.nmodules; i++)
		printk("mm_totals: module=0x%lx-0x%lx\n",
		       boot_info.modules[i].start, boot_info.modules[i].end);
	if (st.usable_pages + st.reserved_pages != st.total_pages ||
	    st.free_pages + st.allocated_pages != st.usable_pages)
		ktest_fail("pmm_stats do not add up");
	pmm_verify();
	wait_harness("mm_totals"); /* it reads QEMU's memory tree meanwhile */
}
