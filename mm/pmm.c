/* pmm.c — buddy allocator of physical page frames: per-frame descriptors, and
 * per-order bitmaps small enough to stay in cache for the hot paths. */
#include "mm/pmm.h"

#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

/* The hot paths (alloc, free, buddy merge) decide everything from
 * per-order bitmaps and never read the 16-byte descriptors, which at
 * 16 GiB are 64 MiB, far past the caches (the order-0 map is 1 MiB).
 * Each order's map has two bits per block, side by side so that a
 * block's bits and its buddy's share a word:
 *   FREE     the block is free, with this order;
 *   FREEABLE the block is allocated, with this order and no shares.
 * Above that word level sit summary levels, one bit per word below
 * that holds a free block, up to a single top word, so the lowest free
 * block is MAP_LEVELS word reads away. One block per order is left out
 * of the summaries: the one freed last ("hot"), which alloc tries first,
 * so that a page freed and allocated again touches only its own word.
 * It is added when another block becomes hot. (The summary bit of a word
 * holding only the hot block may also still be set; a search that finds
 * that word finds the hot block, which is free all the same.) Summaries
 * cleared lazily, on a search that finds a word empty, were tried:
 * stale bits send searches through cold words of the 1 MiB order-0 map. */
#define WORD_BITS 64
#define BLOCKS_PER_WORD 32
#define FREE_BITS 0x5555555555555555ULL /* the FREE bit of every block */
#define FREE_BIT(i) (1ULL << (2 * ((i) % BLOCKS_PER_WORD)))
#define FREEABLE_BIT(i) (FREE_BIT(i) << 1)
/* 2^24 blocks (every frame below PMM_MAX_PHYS) take 2^19 words, then
 * 2^13, 2^7, 2 and 1. */
#define MAP_LEVELS 5
/* Descriptor writes of the hot paths wait in a ring this long: each is
 * prefetched when queued and done DESC_QUEUE writes later, when its
 * line is in cache, so a cold descriptor never holds up the CPU's
 * in-order store buffer. A write to the frame of the write before it
 * replaces that one: a page freed and allocated again costs one slot and
 * one prefetch. (A non-temporal prefetch, into L1 only, sparing L2 for
 * the maps, was tried and dropped: it lost when L1 is contended.) */
#define DESC_QUEUE 32

struct order_map {
	uint64_t *lv[MAP_LEVELS];
	unsigned top; /* lv[top] is a single word */
};

/* A queued descriptor write: the hot paths only ever write a head with
 * these fields, private NULL and no shares. */
struct desc_write {
	uint32_t pfn;
	uint8_t state, order;
	uint16_t owner;
};

/* Allocator state. No lock yet: callers serialise (single CPU, called with
 * interrupts enabled only from thread context). */
static struct {
	struct page *pages; /* descriptor of frame n is pages[n] */
	uint64_t npages;    /* frames 0..npages-1 are described */
	struct order_map map[PMM_NR_ORDERS];
	uint64_t *words0[PMM_NR_ORDERS]; /* map[k].lv[0], one load away */
	uint64_t hot[PMM_NR_ORDERS];	 /* block last freed per order */
	uint64_t nfree[PMM_NR_ORDERS];
	struct desc_write queue[DESC_QUEUE];
	unsigned queued, queue_next; /* pending writes; next slot */
	uint64_t total, reserved, ignored, free_pages;
	uint64_t allocs, frees, failed;
	uint64_t meta_phys, meta_bytes, map_phys, map_bytes;
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

/* ---- bitmaps ---- */

/* Words holding n bits; at least one, so every map has a top word. */
static uint64_t words(uint64_t n)
{
	return n > WORD_BITS ? (n + WORD_BITS - 1) / WORD_BITS : 1;
}

/* Blocks of order k that start below npages. */
static uint64_t blocks(unsigned k)
{
	return (pmm.npages + (1ULL << k) - 1) >> k;
}

/* The level-0 word holding block i's bits. */
static inline uint64_t *map_word(unsigned k, uint64_t i)
{
	return &pmm.words0[k][i / BLOCKS_PER_WORD];
}

static inline bool is_free(unsigned k, uint64_t i)
{
	return *map_word(k, i) & FREE_BIT(i);
}

static inline bool is_freeable(unsigned k, uint64_t i)
{
	return *map_word(k, i) & FREEABLE_BIT(i);
}

static inline void set_freeable(unsigned k, uint64_t i, bool on)
{
	if (on)
		*map_word(k, i) |= FREEABLE_BIT(i);
	else
		*map_word(k, i) &= ~FREEABLE_BIT(i);
}

static bool bit_test(const uint64_t *m, uint64_t i)
{
	return m[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

/* Word w of level l-1 gained a free block: set summary bits upwards
 * until one was already set. */
static void summary_set(struct order_map *m, unsigned l, uint64_t w)
{
	for (; l <= m->top; l++, w /= WORD_BITS) {
		uint64_t *s = &m->lv[l][w / WORD_BITS];
		bool was_empty = *s == 0;
		*s |= 1ULL << (w % WORD_BITS);
		if (!was_empty)
			return;
	}
}

/* Word w of level l-1 has no free block left: clear summary bits
 * upwards until a word stays non-empty (or the bit was clear). */
static void summary_clear(struct order_map *m, unsigned l, uint64_t w)
{
	for (; l <= m->top; l++, w /= WORD_BITS) {
		uint64_t *s = &m->lv[l][w / WORD_BITS];
		uint64_t bit = 1ULL << (w % WORD_BITS);
		if (!(*s & bit))
			return;
		*s &= ~bit;
		if (*s)
			return;
	}
}

/* Block i of order k is free now; it becomes the hot one, and the one
 * it replaces, if still free, goes into the summaries. */
static inline void set_free(unsigned k, uint64_t i)
{
	uint64_t old = pmm.hot[k];

	*map_word(k, i) |= FREE_BIT(i);
	pmm.hot[k] = i;
	if (old != i && is_free(k, old))
		summary_set(&pmm.map[k], 1, old / BLOCKS_PER_WORD);
}

/* Block i of order k is no longer free. (A word holding only the hot
 * block has its summary bit clear, as a rule: nothing more to do.) */
static inline void clear_free(unsigned k, uint64_t i)
{
	uint64_t *w = map_word(k, i);
	const struct order_map *m = &pmm.map[k];
	uint64_t sw = i / BLOCKS_PER_WORD;

	*w &= ~FREE_BIT(i);
	if (!(*w & FREE_BITS) && m->top && bit_test(m->lv[1], sw))
		summary_clear(&pmm.map[k], 1, sw);
}

/* Word w of level l (0: its FREE bits) is non-zero. */
static bool has_free(const struct order_map *m, unsigned l, uint64_t w)
{
	return m->lv[l][w] & (l ? ~0ULL : FREE_BITS);
}

/* The lowest free block of order k; there must be one besides the hot
 * one. */
static uint64_t first_free(unsigned k)
{
	const struct order_map *m = &pmm.map[k];
	uint64_t w = 0;

	for (unsigned l = m->top; l > 0; l--)
		w = w * WORD_BITS + (uint64_t)__builtin_ctzll(m->lv[l][w]);
	return w * BLOCKS_PER_WORD +
	       (uint64_t)__builtin_ctzll(m->lv[0][w] & FREE_BITS) / 2;
}

/* Words in level l of order k's map. */
static uint64_t level_words(unsigned k, unsigned l)
{
	uint64_t n = words(blocks(k) * 2);

	while (l--)
		n = words(n);
	return n;
}

/* Point every map into the zeroed words at base (NULL: only count);
 * returns the words they take. */
static uint64_t lay_out_maps(uint64_t *base)
{
	uint64_t used = 0;

	for (unsigned k = 0; k < PMM_NR_ORDERS; k++) {
		struct order_map *m = &pmm.map[k];
		for (m->top = 0;; m->top++) {
			uint64_t n = level_words(k, m->top);
			m->lv[m->top] = base ? base + used : NULL;
			pmm.words0[k] = m->lv[0];
			used += n;
			if (n == 1)
				break;
		}
	}
	return used;
}

/* ---- descriptors: written through a queue, read after draining it ---- */

static void apply(const struct desc_write *d)
{
	pmm.pages[d->pfn] = (struct page){
	    .state = d->state, .order = d->order, .owner = d->owner};
}

/* Hint that the line at p goes back to the shared L3 cache. The
 * descriptor lines the hot paths write are written once and not read
 * again soon; left in L1/L2 they would push out the order-0 map, which
 * at 16 GiB (1 MiB) only just fits in a 2 MiB L2 (bench/bench_pmm.c
 * measures the difference; README, "Performance", has the figures).
 * CLDEMOTE executes as a NOP where it is not implemented (it sits in the
 * reserved-NOP opcode space), QEMU's TCG included; the assembler needs
 * binutils 2.31 or later. */
static inline void demote(const void *p)
{
	__asm__ volatile("cldemote %0" ::"m"(*(const char *)p));
}

/* The oldest queued write, whose line has had time to arrive: done,
 * and its line handed back to L3. */
static void retire(const struct desc_write *d)
{
	apply(d);
	demote(&pmm.pages[d->pfn]);
}

/* Do every queued descriptor write; before any descriptor is read. */
static void drain(void)
{
	for (; pmm.queued; pmm.queued--)
		apply(&pmm.queue[(pmm.queue_next - pmm.queued) % DESC_QUEUE]);
}

/* Queue setting frame pfn's descriptor to a head (or tail) with these
 * fields, private NULL and no shares. The slot it takes is the oldest
 * write's when the ring is full: that one is done first. */
static inline void queue_write(uint64_t pfn, uint8_t state, unsigned order,
			       uint16_t owner)
{
	struct desc_write *d = &pmm.queue[(pmm.queue_next - 1) % DESC_QUEUE];

	if (!pmm.queued || d->pfn != pfn) { /* else: replace the last one */
		d = &pmm.queue[pmm.queue_next++ % DESC_QUEUE];
		if (pmm.queued == DESC_QUEUE)
			retire(d);
		else
			pmm.queued++;
		__builtin_prefetch(&pmm.pages[pfn], 1);
	}
	*d = (struct desc_write){(uint32_t)pfn, state, (uint8_t)order, owner};
}

/* ---- block state: descriptor and maps together ---- */

static inline void put_free(uint64_t pfn, unsigned order)
{
	queue_write(pfn, PAGE_FREE, order, PMM_OWNER_NONE);
	set_free(order, pfn >> order);
	pmm.nfree[order]++;
}

static inline void take_free(uint64_t pfn, unsigned order)
{
	clear_free(order, pfn >> order);
	pmm.nfree[order]--;
}

/* A free block of order k: the hot one (freed last, its word is in
 * cache) if free, else the lowest; taken off the map. */
static inline uint64_t pick_free(unsigned k)
{
	uint64_t i = pmm.hot[k];

	if (!is_free(k, i))
		i = first_free(k);
	take_free(i << k, k);
	return i << k;
}

static inline void put_allocated(uint64_t pfn, unsigned order, uint16_t owner)
{
	queue_write(pfn, PAGE_ALLOCATED, order, owner);
	set_freeable(order, pfn >> order, true);
}

static bool in_maps(uint64_t phys)
{
	return phys >= pmm.map_phys && phys < pmm.map_phys + pmm.map_bytes;
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

/* Mark RAM pages (TAIL = available for now), then reserved ones, then
 * the maps (ALLOCATED = taken by the allocator for now). */
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
	mark(pmm.map_phys, pmm.map_phys + pmm.map_bytes, PAGE_TAIL,
	     PAGE_ALLOCATED);
}

/* The largest aligned block at pfn whose pages are all in state s. */
static unsigned run_order(uint64_t pfn, uint8_t s)
{
	unsigned order = PMM_MAX_ORDER;

	while (order > 0 && ((pfn & ((1ULL << order) - 1)) ||
			     pfn + (1ULL << order) > pmm.npages))
		order--;
	for (uint64_t i = 1; i < (1ULL << order); i++)
		if (pmm.pages[pfn + i].state != s) {
			order--;
			i = 0;
		}
	return order;
}

/* Cut every run of available pages into maximal aligned blocks, which is
 * exactly the state full buddy coalescing returns to; the same for the
 * maps' pages, as allocated blocks nobody may free. */
static void build_blocks(void)
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
		unsigned order = run_order(pfn, s);
		for (uint64_t i = 1; i < (1ULL << order); i++)
			pmm.pages[pfn + i].state = PAGE_TAIL;
		if (s == PAGE_TAIL) {
			put_free(pfn, order);
			pmm.free_pages += 1ULL << order;
		} else {
			pmm.pages[pfn] =
			    (struct page){.state = PAGE_ALLOCATED,
					  .order = (uint8_t)order,
					  .owner = PMM_OWNER_KERNEL};
		}
		pmm.total += 1ULL << order;
		pfn += 1ULL << order;
	}
}

static void reset_state(void)
{
	memset(&pmm, 0, sizeof pmm);
}

/* Find room for the descriptors and the maps, map and zero them. */
static void place_meta(const struct mem_range *av, size_t nav,
		       const struct mem_range *rs, size_t nrs,
		       void *(*phys_to_virt)(uint64_t))
{
	pmm.meta_bytes = align_up(pmm.npages * sizeof(struct page), PAGE_SIZE);
	pmm.map_bytes = align_up(lay_out_maps(NULL) * 8, PAGE_SIZE);
	pmm.meta_phys =
	    find_meta(pmm.meta_bytes + pmm.map_bytes, av, nav, rs, nrs);
	if (pmm.meta_phys == UINT64_MAX)
		panic("pmm: no free RAM below 64 GiB for %llu bytes of frame "
		      "descriptors and bitmaps",
		      (unsigned long long)(pmm.meta_bytes + pmm.map_bytes));
	pmm.map_phys = pmm.meta_phys + pmm.meta_bytes;
	pmm.pages = phys_to_virt(pmm.meta_phys);
	memset(pmm.pages, 0, pmm.npages * sizeof(struct page));
	uint64_t *maps = phys_to_virt(pmm.map_phys);
	memset(maps, 0, pmm.map_bytes);
	lay_out_maps(maps);
}

void pmm_init(const struct mem_range *avail, size_t navail,
	      const struct mem_range *reserved, size_t nreserved,
	      void *(*phys_to_virt)(uint64_t))
{
	reset_state();
	pmm.npages = highest_pfn(avail, navail);
	place_meta(avail, navail, reserved, nreserved, phys_to_virt);
	mark_ram(avail, navail, reserved, nreserved);
	build_blocks();
	drain();
	if (pmm.ignored)
		printk("pmm: warning: ignoring %llu MiB of RAM above 64 GiB\n",
		       (unsigned long long)(pmm.ignored >> (20 - PAGE_SHIFT)));
	/* one line: the VGA boot screen has 25 rows and 80 columns */
	printk(
	    "pmm: %llu MiB usable, %llu KiB of frame descriptors at 0x%llx\n",
	    (unsigned long long)((pmm.total - pmm.reserved) >>
				 (20 - PAGE_SHIFT)),
	    (unsigned long long)(pmm.meta_bytes >> 10),
	    (unsigned long long)pmm.meta_phys);
}

/* ---- allocation ---- */

/* > 0 while alloc, free or a share-count change is under way: a debugger
 * stopped in the middle must not call in (pmm_busy). */
static unsigned busy;

bool pmm_busy(void)
{
	return busy != 0;
}

static uint64_t alloc_block(unsigned order, uint16_t owner)
{
	unsigned k = order;

	if (order > PMM_MAX_ORDER)
		panic("pmm: alloc of order %u (max %u)", order, PMM_MAX_ORDER);
	while (k <= PMM_MAX_ORDER && !pmm.nfree[k])
		k++;
	if (k > PMM_MAX_ORDER) {
		pmm.failed++;
		return 0;
	}
	uint64_t pfn = pick_free(k);
	while (k > order) { /* split: the upper half goes back */
		k--;
		put_free(pfn + (1ULL << k), k);
	}
	put_allocated(pfn, order, owner);
	pmm.free_pages -= 1ULL << order;
	pmm.allocs++;
	return pfn << PAGE_SHIFT;
}

uint64_t pmm_alloc(unsigned order, uint16_t owner)
{
	busy++;
	uint64_t phys = alloc_block(order, owner);
	busy--;
	return phys;
}

static unsigned share(uint64_t phys, int delta)
{
	struct page *p = pmm_page(phys);

	if (!p || p->state != PAGE_ALLOCATED || (phys & (PAGE_SIZE - 1)) ||
	    in_maps(phys))
		panic("pmm: share count of 0x%llx, not an allocated block",
		      (unsigned long long)phys);
	if (delta < 0 && p->shares < (unsigned)-delta)
		panic("pmm: share count of 0x%llx below zero",
		      (unsigned long long)phys);
	p->shares += (uint32_t)delta;
	set_freeable(p->order, (phys >> PAGE_SHIFT) >> p->order, !p->shares);
	return p->shares;
}

unsigned pmm_share(uint64_t phys, int delta)
{
	busy++;
	unsigned n = share(phys, delta);
	busy--;
	return n;
}

bool pmm_block_of(uint64_t phys, uint64_t *head, unsigned *order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	drain();
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

/* Why an allocated head (phys, order) is not freeable; panics. */
static void bad_free_allocated(uint64_t phys, unsigned order,
			       const struct page *p)
{
	if (p->order != order)
		panic("pmm: free of 0x%llx with wrong order %u (allocated as "
		      "order %u)",
		      (unsigned long long)phys, order, p->order);
	if (p->shares)
		panic("pmm: free of 0x%llx still mapped %u more times",
		      (unsigned long long)phys, p->shares);
	if (in_maps(phys))
		panic("pmm: free of 0x%llx (order %u), which holds the "
		      "allocator's own bitmaps",
		      (unsigned long long)phys, order);
	panic("pmm: free of 0x%llx (order %u): allocated, but not in the "
	      "freeable bitmap (allocator state corrupt)",
	      (unsigned long long)phys, order);
}

/* Explain why (phys, order) is not a block that can be freed; panics.
 * The slow path: it reads the descriptors. */
static void bad_free(uint64_t phys, unsigned order)
{
	struct page *p = pmm_page(phys);
	uint64_t head;
	unsigned k;

	if (order > PMM_MAX_ORDER)
		panic("pmm: free of 0x%llx with order %u (max %u)",
		      (unsigned long long)phys, order, PMM_MAX_ORDER);
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
		bad_free_allocated(phys, order, p);
	if (pmm_block_of(phys, &head, &k) &&
	    pmm.pages[head >> PAGE_SHIFT].state == PAGE_ALLOCATED)
		panic("pmm: free of 0x%llx (order %u) inside the allocated "
		      "block 0x%llx (order %u)",
		      (unsigned long long)phys, order, (unsigned long long)head,
		      k);
	panic("pmm: double free of 0x%llx (order %u)", (unsigned long long)phys,
	      order);
}

/* Is (phys, order) an allocated block with no shares? Bitmaps only. */
static bool freeable(uint64_t phys, unsigned order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	return order <= PMM_MAX_ORDER && !(phys & ((PAGE_SIZE << order) - 1)) &&
	       pfn < pmm.npages && is_freeable(order, pfn >> order);
}

static void free_block(uint64_t phys, unsigned order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	if (!freeable(phys, order))
		bad_free(phys, order);
	set_freeable(order, pfn >> order, false);
	pmm.free_pages += 1ULL << order;
	pmm.frees++;
	while (order < PMM_MAX_ORDER) { /* merge with free buddies */
		uint64_t buddy = pfn ^ (1ULL << order);
		if (buddy >= pmm.npages || !is_free(order, buddy >> order))
			break;
		take_free(buddy, order);
		queue_write(pfn > buddy ? pfn : buddy, PAGE_TAIL, 0,
			    PMM_OWNER_NONE); /* the upper half */
		pfn &= ~(1ULL << order);
		order++;
	}
	put_free(pfn, order);
}

void pmm_free(uint64_t phys, unsigned order)
{
	busy++;
	free_block(phys, order);
	busy--;
}

/* ---- descriptors and statistics ---- */

struct page *pmm_page(uint64_t phys)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	drain();
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
	pmm.pages[phys >> PAGE_SHIFT].private = priv; /* drained above */
}

void *pmm_get_private(uint64_t phys)
{
	struct page *p = pmm_page(phys);

	/* TAIL pages of free blocks hold NULL: every descriptor write
	 * outside an allocation clears it, and owners clear what they
	 * set before freeing. */
	if (!p || (p->state != PAGE_ALLOCATED && p->state != PAGE_TAIL))
		return NULL;
	return p->private;
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
	st->map_phys = pmm.map_phys;
	st->map_bytes = pmm.map_bytes;
	st->desc_bytes_per_page = sizeof(struct page);
}

/* ---- consistency check ---- */

/* Level-0 word w of order k holds a free block other than the hot one. */
static bool has_cold_free(unsigned k, uint64_t w)
{
	uint64_t bits = pmm.map[k].lv[0][w] & FREE_BITS;

	if (pmm.hot[k] / BLOCKS_PER_WORD == w)
		bits &= ~FREE_BIT(pmm.hot[k]);
	return bits;
}

/* Is the summary bit of word w of level l right? Above level 1, it is
 * exactly "word not zero"; at level 1 it must be set for a word with a
 * free block besides the hot one, and clear for a word with none. */
static bool summary_ok(unsigned k, unsigned l, uint64_t w)
{
	const struct order_map *m = &pmm.map[k];
	if (l + 1 >= MAP_LEVELS)
		panic("pmm: verify: no summary level above level %u", l);
	bool bit = bit_test(m->lv[l + 1], w);

	if (l > 0)
		return bit == (m->lv[l][w] != 0);
	return bit ? has_free(m, 0, w) : !has_cold_free(k, w);
}

/* No level has bits set past its end, and every summary bit is right. */
static void verify_summaries(unsigned k)
{
	const struct order_map *m = &pmm.map[k];
	uint64_t n = blocks(k) * 2; /* bits in use in level l */

	for (unsigned l = 0; l <= m->top; l++) {
		for (uint64_t i = n; i < level_words(k, l) * WORD_BITS; i++)
			if (bit_test(m->lv[l], i))
				panic("pmm: verify: order %u map level %u has "
				      "bit %llu set past its end",
				      k, l, (unsigned long long)i);
		for (uint64_t w = 0; l < m->top && w < level_words(k, l); w++)
			if (!summary_ok(k, l, w))
				panic("pmm: verify: order %u map level %u: "
				      "summary bit of word %llu wrong",
				      k, l + 1, (unsigned long long)w);
		n = level_words(k, l);
	}
}

/* Order k's map agrees with the descriptors and the free count. */
static void verify_map(unsigned k)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < blocks(k); i++) {
		const struct page *p = &pmm.pages[i << k];
		bool fr = p->state == PAGE_FREE && p->order == k;
		bool fa = p->state == PAGE_ALLOCATED && p->order == k &&
			  !p->shares && !in_maps((i << k) << PAGE_SHIFT);
		if (fr != is_free(k, i) || fa != is_freeable(k, i))
			panic("pmm: verify: order %u map disagrees with the "
			      "descriptor of 0x%llx",
			      k, (unsigned long long)((i << k) << PAGE_SHIFT));
		n += fr;
	}
	if (n != pmm.nfree[k])
		panic("pmm: verify: order %u has %llu free blocks, count says "
		      "%llu",
		      k, (unsigned long long)n,
		      (unsigned long long)pmm.nfree[k]);
	verify_summaries(k);
}

static void verify_block(uint64_t pfn, struct page *p)
{
	unsigned o = p->order;
	uint64_t buddy = pfn ^ (1ULL << o);

	for (uint64_t i = 1; i < (1ULL << o); i++)
		if (pfn + i >= pmm.npages ||
		    pmm.pages[pfn + i].state != PAGE_TAIL ||
		    (p->state == PAGE_FREE && pmm.pages[pfn + i].private))
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
	uint64_t free_pages = 0, mapped = 0;

	drain();
	for (unsigned k = 0; k < PMM_NR_ORDERS; k++) {
		verify_map(k);
		mapped += pmm.nfree[k] << k;
	}
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
	if (mapped != pmm.free_pages || free_pages != pmm.free_pages)
		panic("pmm: verify: free pages: bitmaps %llu, scan %llu, count "
		      "%llu",
		      (unsigned long long)mapped,
		      (unsigned long long)free_pages,
		      (unsigned long long)pmm.free_pages);
}
