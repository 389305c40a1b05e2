/* pmm.c — buddy allocator of physical page frames, metadata kept apart from the
 * memory. */
#include "mm/pmm.h"

#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define PFN_NONE UINT32_MAX

/* Allocator state. No lock yet: callers serialise (single CPU, called with
 * interrupts enabled only from thread context). */
static struct {
	struct page *pages; /* descriptor of frame n is pages[n] */
	uint64_t npages;    /* frames 0..npages-1 are described */
	uint32_t free_head[PMM_NR_ORDERS];
	uint64_t nfree[PMM_NR_ORDERS];
	uint64_t total, reserved, ignored, free_pages;
	uint64_t allocs, frees, failed;
	uint64_t meta_phys, meta_bytes;
} pmm;

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

static uint64_t clip(uint64_t x)
{
	return x > PMM_MAX_PHYS ? PMM_MAX_PHYS : x;
}

/* ---- free lists: doubly linked by frame number through descriptors ---- */

static void list_push(uint32_t pfn, unsigned order)
{
	struct page *p = &pmm.pages[pfn];
	uint32_t head = pmm.free_head[order];

	p->state = PAGE_FREE;
	p->order = (uint8_t)order;
	p->owner = PMM_OWNER_NONE;
	p->u.link.prev = PFN_NONE;
	p->u.link.next = head;
	if (head != PFN_NONE)
		pmm.pages[head].u.link.prev = pfn;
	pmm.free_head[order] = pfn;
	pmm.nfree[order]++;
}

static void list_remove(uint32_t pfn, unsigned order)
{
	struct page *p = &pmm.pages[pfn];

	if (p->u.link.prev != PFN_NONE)
		pmm.pages[p->u.link.prev].u.link.next = p->u.link.next;
	else
		pmm.free_head[order] = p->u.link.next;
	if (p->u.link.next != PFN_NONE)
		pmm.pages[p->u.link.next].u.link.prev = p->u.link.prev;
	p->u.private = NULL;
	pmm.nfree[order]--;
}

/* ---- initialisation ---- */

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Is [base, base+len) inside one avail range and clear of every reserved
 * range and of frame 0? */
static bool region_ok(uint64_t base, uint64_t len, const struct mem_range *av,
		      size_t nav, const struct mem_range *rs, size_t nrs)
{
	bool inside = false;

	if (base < PAGE_SIZE || base + len > PMM_MAX_PHYS)
		return false;
	for (size_t i = 0; i < nav; i++)
		if (base >= av[i].base && base + len <= av[i].base + av[i].len)
			inside = true;
	for (size_t i = 0; inside && i < nrs; i++)
		if (overlaps(base, len, align_down(rs[i].base, PAGE_SIZE),
			     align_up(rs[i].base + rs[i].len, PAGE_SIZE) -
				 align_down(rs[i].base, PAGE_SIZE)))
			inside = false;
	return inside;
}

/* Lowest page-aligned address where len bytes fit: candidates are the
 * start of each avail range and the end of each reserved range. */
static uint64_t find_meta(uint64_t len, const struct mem_range *av, size_t nav,
			  const struct mem_range *rs, size_t nrs)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < nav + nrs; i++) {
		uint64_t c =
		    i < nav ? av[i].base : rs[i - nav].base + rs[i - nav].len;
		c = align_up(c, PAGE_SIZE);
		if (c < best && region_ok(c, len, av, nav, rs, nrs))
			best = c;
	}
	if (best == UINT64_MAX && region_ok(PAGE_SIZE, len, av, nav, rs, nrs))
		best = PAGE_SIZE;
	return best;
}

static uint64_t highest_pfn(const struct mem_range *av, size_t nav)
{
	uint64_t top = 0;

	for (size_t i = 0; i < nav; i++) {
		uint64_t end =
		    align_down(clip(av[i].base + av[i].len), PAGE_SIZE);
		if (end > top)
			top = end;
	}
	return top >> PAGE_SHIFT;
}

static void mark(uint64_t base, uint64_t end, uint8_t from, uint8_t to)
{
	for (uint64_t pfn = base >> PAGE_SHIFT;
	     pfn < (end >> PAGE_SHIFT) && pfn < pmm.npages; pfn++)
		if (pmm.pages[pfn].state == from)
			pmm.pages[pfn].state = to;
}

/* Mark RAM pages (TAIL = available for now), then reserved ones. */
static void mark_ram(const struct mem_range *av, size_t nav,
		     const struct mem_range *rs, size_t nrs)
{
	for (size_t i = 0; i < nav; i++) {
		uint64_t end = av[i].base + av[i].len;
		if (end > PMM_MAX_PHYS)
			pmm.ignored += (end - (av[i].base > PMM_MAX_PHYS
						   ? av[i].base
						   : PMM_MAX_PHYS)) >>
				       PAGE_SHIFT;
		mark(align_up(av[i].base, PAGE_SIZE),
		     align_down(clip(end), PAGE_SIZE), PAGE_ABSENT, PAGE_TAIL);
	}
	for (size_t i = 0; i < nrs; i++)
		mark(align_down(rs[i].base, PAGE_SIZE),
		     align_up(clip(rs[i].base + rs[i].len), PAGE_SIZE),
		     PAGE_TAIL, PAGE_RESERVED);
	mark(0, PAGE_SIZE, PAGE_TAIL, PAGE_RESERVED);
	mark(pmm.meta_phys, pmm.meta_phys + pmm.meta_bytes, PAGE_TAIL,
	     PAGE_RESERVED);
}

/* Cut every run of available pages into maximal aligned blocks, which is
 * exactly the state full buddy coalescing returns to. */
static void build_free_lists(void)
{
	uint64_t pfn = 0;

	while (pfn < pmm.npages) {
		uint8_t s = pmm.pages[pfn].state;
		if (s == PAGE_ABSENT || s == PAGE_RESERVED) {
			pmm.total += s == PAGE_RESERVED;
			pmm.reserved += s == PAGE_RESERVED;
			pfn++;
			continue;
		}
		unsigned order = PMM_MAX_ORDER;
		while (order > 0 && ((pfn & ((1ULL << order) - 1)) ||
				     pfn + (1ULL << order) > pmm.npages))
			order--;
		for (uint64_t i = 1; i < (1ULL << order); i++)
			if (pmm.pages[pfn + i].state != PAGE_TAIL) {
				order--;
				i = 0;
			}
		list_push((uint32_t)pfn, order);
		pmm.total += 1ULL << order;
		pmm.free_pages += 1ULL << order;
		pfn += 1ULL << order;
	}
}

static void reset_state(void)
{
	memset(&pmm, 0, sizeof pmm);
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		pmm.free_head[o] = PFN_NONE;
}

void pmm_init(const struct mem_range *avail, size_t navail,
	      const struct mem_range *reserved, size_t nreserved,
	      void *(*phys_to_virt)(uint64_t))
{
	reset_state();
	pmm.npages = highest_pfn(avail, navail);
	pmm.meta_bytes = align_up(pmm.npages * sizeof(struct page), PAGE_SIZE);
	pmm.meta_phys =
	    find_meta(pmm.meta_bytes, avail, navail, reserved, nreserved);
	if (pmm.meta_phys == UINT64_MAX)
		panic("pmm: no free RAM below 64 GiB for %llu bytes of frame "
		      "descriptors",
		      (unsigned long long)pmm.meta_bytes);
	pmm.pages = phys_to_virt(pmm.meta_phys);
	memset(pmm.pages, 0, pmm.npages * sizeof(struct page));
	mark_ram(avail, navail, reserved, nreserved);
	build_free_lists();
	if (pmm.ignored)
		printk("pmm: warning: ignoring %llu MiB of RAM above 64 GiB\n",
		       (unsigned long long)(pmm.ignored >> (20 - PAGE_SHIFT)));
	printk(
	    "pmm: %llu MiB usable, %llu KiB of frame descriptors at 0x%llx\n",
	    (unsigned long long)(pmm.free_pages >> (20 - PAGE_SHIFT)),
	    (unsigned long long)(pmm.meta_bytes >> 10),
	    (unsigned long long)pmm.meta_phys);
}

/* ---- allocation ---- */

uint64_t pmm_alloc(unsigned order, uint16_t owner)
{
	unsigned k = order;

	if (order > PMM_MAX_ORDER)
		panic("pmm: alloc of order %u (max %u)", order, PMM_MAX_ORDER);
	while (k <= PMM_MAX_ORDER && pmm.free_head[k] == PFN_NONE)
		k++;
	if (k > PMM_MAX_ORDER) {
		pmm.failed++;
		return 0;
	}
	uint32_t pfn = pmm.free_head[k];
	list_remove(pfn, k);
	while (k > order) { /* split: the upper half goes back */
		k--;
		list_push(pfn + (1U << k), k);
	}
	struct page *p = &pmm.pages[pfn];
	p->state = PAGE_ALLOCATED;
	p->order = (uint8_t)order;
	p->owner = owner;
	p->shares = 0;
	p->u.private = NULL;
	pmm.free_pages -= 1ULL << order;
	pmm.allocs++;
	return (uint64_t)pfn << PAGE_SHIFT;
}

unsigned pmm_share(uint64_t phys, int delta)
{
	struct page *p = pmm_page(phys);

	if (!p || p->state != PAGE_ALLOCATED || (phys & (PAGE_SIZE - 1)))
		panic("pmm: share count of 0x%llx, not an allocated block",
		      (unsigned long long)phys);
	if (delta < 0 && p->shares < (unsigned)-delta)
		panic("pmm: share count of 0x%llx below zero",
		      (unsigned long long)phys);
	p->shares += (uint32_t)delta;
	return p->shares;
}

bool pmm_block_of(uint64_t phys, uint64_t *head, unsigned *order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	if (pfn >= pmm.npages)
		return false;
	for (unsigned k = 0; k <= PMM_MAX_ORDER; k++) {
		uint64_t h = pfn & ~((1ULL << k) - 1);
		struct page *p = &pmm.pages[h];
		if ((p->state == PAGE_FREE || p->state == PAGE_ALLOCATED) &&
		    p->order == k) {
			*head = h << PAGE_SHIFT;
			*order = k;
			return true;
		}
	}
	return false;
}

/* Explain why (phys, order) is not a block that can be freed; panics. */
static void bad_free(uint64_t phys, unsigned order)
{
	struct page *p = pmm_page(phys);
	uint64_t head;
	unsigned k;

	if (phys & ((PAGE_SIZE << order) - 1))
		panic("pmm: free of unaligned address 0x%llx (order %u)",
		      (unsigned long long)phys, order);
	if (!p || p->state == PAGE_ABSENT)
		panic("pmm: free of 0x%llx (order %u) outside managed memory",
		      (unsigned long long)phys, order);
	if (p->state == PAGE_RESERVED)
		panic("pmm: free of reserved page 0x%llx (order %u)",
		      (unsigned long long)phys, order);
	if (p->state == PAGE_ALLOCATED)
		panic("pmm: free of 0x%llx with wrong order %u (allocated as "
		      "order %u)",
		      (unsigned long long)phys, order, p->order);
	if (pmm_block_of(phys, &head, &k) &&
	    pmm.pages[head >> PAGE_SHIFT].state == PAGE_ALLOCATED)
		panic("pmm: free of 0x%llx (order %u) inside the allocated "
		      "block 0x%llx (order %u)",
		      (unsigned long long)phys, order, (unsigned long long)head,
		      k);
	panic("pmm: double free of 0x%llx (order %u)", (unsigned long long)phys,
	      order);
}

void pmm_free(uint64_t phys, unsigned order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;
	struct page *p = pmm_page(phys);

	if (order > PMM_MAX_ORDER)
		panic("pmm: free of 0x%llx with order %u (max %u)",
		      (unsigned long long)phys, order, PMM_MAX_ORDER);
	if (!p || (phys & ((PAGE_SIZE << order) - 1)) ||
	    p->state != PAGE_ALLOCATED || p->order != order)
		bad_free(phys, order);
	if (p->shares)
		panic("pmm: free of 0x%llx still mapped %u more times",
		      (unsigned long long)phys, p->shares);
	pmm.free_pages += 1ULL << order;
	pmm.frees++;
	p->state = PAGE_TAIL;
	p->u.private = NULL;
	while (order < PMM_MAX_ORDER) { /* merge with free buddies */
		uint64_t buddy = pfn ^ (1ULL << order);
		struct page *b = &pmm.pages[buddy];
		if (buddy >= pmm.npages || b->state != PAGE_FREE ||
		    b->order != order)
			break;
		list_remove((uint32_t)buddy, order);
		b->state = PAGE_TAIL;
		pfn &= ~(1ULL << order);
		order++;
	}
	list_push((uint32_t)pfn, order);
}

/* ---- descriptors and statistics ---- */

struct page *pmm_page(uint64_t phys)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	return pfn < pmm.npages ? &pmm.pages[pfn] : NULL;
}

void pmm_set_private(uint64_t phys, void *priv)
{
	uint64_t head;
	unsigned k;

	if (!pmm_block_of(phys, &head, &k) ||
	    pmm.pages[head >> PAGE_SHIFT].state != PAGE_ALLOCATED)
		panic("pmm: set_private on 0x%llx, which is not allocated",
		      (unsigned long long)phys);
	pmm.pages[phys >> PAGE_SHIFT].u.private = priv;
}

void *pmm_get_private(uint64_t phys)
{
	struct page *p = pmm_page(phys);

	/* TAIL pages of free blocks hold NULL: merging and list removal
	 * clear it, and owners clear what they set before freeing. */
	if (!p || (p->state != PAGE_ALLOCATED && p->state != PAGE_TAIL))
		return NULL;
	return p->u.private;
}

void pmm_stats(struct pmm_stats *st)
{
	memset(st, 0, sizeof *st);
	st->total_pages = pmm.total;
	st->reserved_pages = pmm.reserved;
	st->usable_pages = pmm.total - pmm.reserved;
	st->free_pages = pmm.free_pages;
	st->allocated_pages = st->usable_pages - pmm.free_pages;
	st->ignored_pages = pmm.ignored;
	st->largest_free_order = -1;
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++) {
		st->free_blocks[o] = pmm.nfree[o];
		if (pmm.nfree[o])
			st->largest_free_order = (int)o;
	}
	st->alloc_count = pmm.allocs;
	st->free_count = pmm.frees;
	st->failed_allocs = pmm.failed;
	if (pmm.free_pages)
		st->frag_permille =
		    (unsigned)(1000 - (1000ULL << st->largest_free_order) /
					  pmm.free_pages);
	st->meta_phys = pmm.meta_phys;
	st->meta_bytes = pmm.meta_bytes;
	st->desc_bytes_per_page = sizeof(struct page);
}

/* ---- consistency check ---- */

static void verify_lists(uint64_t *listed_pages)
{
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++) {
		uint64_t n = 0;
		uint32_t prev = PFN_NONE;
		for (uint32_t pfn = pmm.free_head[o]; pfn != PFN_NONE;
		     pfn = pmm.pages[pfn].u.link.next, n++) {
			struct page *p = &pmm.pages[pfn];
			if (p->state != PAGE_FREE || p->order != o ||
			    p->u.link.prev != prev || (pfn & ((1U << o) - 1)))
				panic("pmm: verify: bad free-list entry %u "
				      "(order %u)",
				      pfn, o);
			prev = pfn;
			if (n > pmm.npages)
				panic("pmm: verify: loop in order %u list", o);
		}
		if (n != pmm.nfree[o])
			panic("pmm: verify: order %u list has %llu blocks, "
			      "count says %llu",
			      o, (unsigned long long)n,
			      (unsigned long long)pmm.nfree[o]);
		*listed_pages += n << o;
	}
}

static void verify_block(uint64_t pfn, struct page *p)
{
	unsigned o = p->order;
	uint64_t buddy = pfn ^ (1ULL << o);

	for (uint64_t i = 1; i < (1ULL << o); i++)
		if (pfn + i >= pmm.npages ||
		    pmm.pages[pfn + i].state != PAGE_TAIL)
			panic("pmm: verify: block 0x%llx order %u has a bad "
			      "page %llu",
			      (unsigned long long)(pfn << PAGE_SHIFT), o,
			      (unsigned long long)i);
	if (p->state == PAGE_FREE && o < PMM_MAX_ORDER && buddy < pmm.npages &&
	    pmm.pages[buddy].state == PAGE_FREE && pmm.pages[buddy].order == o)
		panic("pmm: verify: free buddies 0x%llx and 0x%llx (order %u) "
		      "not merged",
		      (unsigned long long)(pfn << PAGE_SHIFT),
		      (unsigned long long)(buddy << PAGE_SHIFT), o);
}

void pmm_verify(void)
{
	uint64_t listed = 0, free_pages = 0;

	verify_lists(&listed);
	for (uint64_t pfn = 0; pfn < pmm.npages; pfn++) {
		struct page *p = &pmm.pages[pfn];
		if (p->state == PAGE_FREE || p->state == PAGE_ALLOCATED) {
			verify_block(pfn, p);
			if (p->state == PAGE_FREE)
				free_pages += 1ULL << p->order;
			pfn += (1ULL << p->order) - 1;
		} else if (p->state == PAGE_TAIL) {
			panic("pmm: verify: page 0x%llx belongs to no block",
			      (unsigned long long)(pfn << PAGE_SHIFT));
		}
	}
	if (listed != pmm.free_pages || free_pages != pmm.free_pages)
		panic("pmm: verify: free pages: lists %llu, scan %llu, count "
		      "%llu",
		      (unsigned long long)listed,
		      (unsigned long long)free_pages,
		      (unsigned long long)pmm.free_pages);
}
