/* test_pmm.c — host tests of the buddy page allocator against a shadow model.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pmm.h"
#include "tests/unit/harness.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Only the descriptor area is backed: phys [0, arena_size) maps here. */
static uint8_t *arena;
static uint64_t arena_size;

static void *p2v(uint64_t phys)
{
	if (phys >= arena_size)
		fail_msg("phys_to_virt(0x%llx) outside the test arena",
			 (unsigned long long)phys);
	return arena + phys;
}

static void use_arena(uint64_t size)
{
	free(arena);
	arena = malloc(size);
	assert_non_null(arena);
	arena_size = size;
}

/* ---- a PC-like memory map of `ram` bytes: low 639 KiB, 1 MiB .. 3 GiB,
 * the rest above 4 GiB (PCI hole); first MiB, a kernel image and a
 * module reserved. ---- */

struct memmap {
	struct mem_range av[4], rs[4];
	size_t nav, nrs;
};

static struct memmap pc_map(uint64_t ram)
{
	struct memmap m = {.nav = 0, .nrs = 0};
	uint64_t below = ram < 3 * GiB ? ram : 3 * GiB;

	m.av[m.nav++] = (struct mem_range){0, 0x9fc00};
	m.av[m.nav++] = (struct mem_range){MiB, below - MiB};
	if (ram > below)
		m.av[m.nav++] = (struct mem_range){4 * GiB, ram - below};
	m.rs[m.nrs++] = (struct mem_range){0, MiB};
	m.rs[m.nrs++] = (struct mem_range){MiB, 2 * MiB + 123}; /* kernel */
	m.rs[m.nrs++] = (struct mem_range){5 * MiB + 7, 40000}; /* module */
	return m;
}

static void init_map(const struct memmap *m)
{
	pmm_init(m->av, m->nav, m->rs, m->nrs, p2v);
}

/* ---- shadow model: one byte per page: free-able RAM, allocated, never
 * allowed (hole, reserved, descriptors), or the allocator's own bitmaps
 * (allocated at init, never freed) ---- */

enum { SH_FREE, SH_ALLOC, SH_NEVER, SH_MAPS };

struct shadow {
	uint8_t *pg;
	uint64_t npages, allocated_pages, allocs, frees;
	uint64_t *blk_phys;
	unsigned *blk_order, *blk_shares; /* shares: pmm_share count */
	size_t nblk, cap;
};

static bool in_ranges(uint64_t a, const struct mem_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a >= r[i].base && a < r[i].base + r[i].len)
			return true;
	return false;
}

/* What the model expects of the page at a. */
static uint8_t shadow_class(uint64_t a, const struct memmap *m,
			    const struct pmm_stats *st)
{
	bool ram = in_ranges(a, m->av, m->nav) &&
		   in_ranges(a + PAGE_SIZE - 1, m->av, m->nav);
	bool res = a == 0 ||
		   (a >= st->meta_phys && a < st->meta_phys + st->meta_bytes);

	for (size_t i = 0; i < m->nrs; i++)
		if (a < m->rs[i].base + m->rs[i].len &&
		    m->rs[i].base < a + PAGE_SIZE)
			res = true;
	if (!ram || res)
		return SH_NEVER;
	if (a >= st->map_phys && a < st->map_phys + st->map_bytes)
		return SH_MAPS;
	return SH_FREE;
}

static void shadow_init(struct shadow *s, const struct memmap *m)
{
	struct pmm_stats st;
	uint64_t top = 0;

	pmm_stats(&st);
	for (size_t i = 0; i < m->nav; i++)
		if (m->av[i].base + m->av[i].len > top)
			top = m->av[i].base + m->av[i].len;
	memset(s, 0, sizeof *s);
	s->npages = top / PAGE_SIZE;
	s->pg = malloc(s->npages);
	for (uint64_t p = 0; p < s->npages; p++) {
		s->pg[p] = shadow_class(p * PAGE_SIZE, m, &st);
		s->allocated_pages += s->pg[p] == SH_MAPS;
	}
	assert_int_equal(s->allocated_pages, st.map_bytes / PAGE_SIZE);
	s->cap = 1 << 16;
	s->blk_phys = malloc(s->cap * sizeof *s->blk_phys);
	s->blk_order = malloc(s->cap * sizeof *s->blk_order);
	s->blk_shares = malloc(s->cap * sizeof *s->blk_shares);
}

static void shadow_free(struct shadow *s)
{
	free(s->pg);
	free(s->blk_phys);
	free(s->blk_order);
	free(s->blk_shares);
}

static uint64_t shadow_usable(const struct shadow *s)
{
	uint64_t n = 0;
	for (uint64_t p = 0; p < s->npages; p++)
		n += s->pg[p] != SH_NEVER;
	return n;
}

/* Allocate through the pmm and check the block against the model. */
static bool model_alloc(struct shadow *s, unsigned order)
{
	uint64_t phys = pmm_alloc(order, PMM_OWNER_TEST);
	uint64_t n = 1ULL << order;

	if (!phys)
		return false;
	assert_int_equal(phys % (PAGE_SIZE << order), 0);
	assert_true(phys / PAGE_SIZE + n <= s->npages);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *e = &s->pg[phys / PAGE_SIZE + i];
		if (*e != SH_FREE)
			fail_msg(
			    "pmm_alloc(%u) returned 0x%llx whose page %llu "
			    "is %s",
			    order, (unsigned long long)phys,
			    (unsigned long long)i,
			    *e == SH_ALLOC ? "already allocated"
					   : "never allocatable");
		*e = SH_ALLOC;
	}
	assert_true(s->nblk < s->cap);
	s->blk_phys[s->nblk] = phys;
	s->blk_shares[s->nblk] = 0;
	s->blk_order[s->nblk++] = order;
	s->allocated_pages += n;
	s->allocs++;
	return true;
}

/* One more mapping of block i (copy-on-write). */
static void model_share(struct shadow *s, size_t i)
{
	assert_int_equal(pmm_share(s->blk_phys[i], 1), ++s->blk_shares[i]);
}

/* Free block i; if shared, that must panic until the shares are gone. */
static void model_free(struct shadow *s, size_t i)
{
	uint64_t phys = s->blk_phys[i];
	unsigned order = s->blk_order[i];

	if (s->blk_shares[i]) {
		EXPECT_PANIC(pmm_free(phys, order), "still mapped");
		assert_int_equal(pmm_share(phys, -(int)s->blk_shares[i]), 0);
	}
	pmm_free(phys, order);
	for (uint64_t j = 0; j < (1ULL << order); j++)
		s->pg[phys / PAGE_SIZE + j] = SH_FREE;
	s->allocated_pages -= 1ULL << order;
	s->frees++;
	s->blk_phys[i] = s->blk_phys[--s->nblk];
	s->blk_order[i] = s->blk_order[s->nblk];
	s->blk_shares[i] = s->blk_shares[s->nblk];
}

static void check_stats(const struct shadow *s, uint64_t usable)
{
	struct pmm_stats st;
	uint64_t blocks_pages = 0;

	pmm_stats(&st);
	assert_int_equal(st.usable_pages, usable);
	assert_int_equal(st.allocated_pages, s->allocated_pages);
	assert_int_equal(st.free_pages, usable - s->allocated_pages);
	assert_int_equal(st.alloc_count, s->allocs);
	assert_int_equal(st.free_count, s->frees);
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		blocks_pages += st.free_blocks[o] << o;
	assert_int_equal(blocks_pages, st.free_pages);
	assert_int_equal(st.total_pages, st.usable_pages + st.reserved_pages);
}

static unsigned random_order(void)
{
	unsigned r = (unsigned)rand() % 100;
	if (r < 60)
		return 0;
	if (r < 80)
		return 1 + (unsigned)rand() % 3;
	return (unsigned)rand() % PMM_NR_ORDERS;
}

/* Thousands of random allocs/frees of mixed orders (and shares of
 * blocks, which must block their free) on a `ram`-byte PC map, checked
 * op by op; freeing everything must restore the initial per-order
 * free-block counts exactly. */
static void random_run(uint64_t ram, unsigned seed, int ops)
{
	struct memmap m = pc_map(ram);
	struct shadow s;
	struct pmm_stats init, end;

	init_map(&m);
	pmm_stats(&init);
	shadow_init(&s, &m);
	uint64_t usable = shadow_usable(&s);
	assert_int_equal(init.usable_pages, usable);
	srand(seed);
	for (int i = 0; i < ops; i++) {
		int r = rand() % 100;
		if (s.nblk && r < 3)
			model_share(&s, (size_t)rand() % s.nblk);
		else if (s.nblk && (r < 45 || s.nblk + 1 >= s.cap))
			model_free(&s, (size_t)rand() % s.nblk);
		else
			model_alloc(&s, random_order());
		if (i % 97 == 0)
			check_stats(&s, usable);
		if (i % 5000 == 0)
			pmm_verify();
	}
	check_stats(&s, usable);
	pmm_verify();
	while (s.nblk)
		model_free(&s, s.nblk - 1);
	pmm_verify();
	pmm_stats(&end);
	assert_memory_equal(end.free_blocks, init.free_blocks,
			    sizeof init.free_blocks);
	assert_int_equal(end.free_pages, init.free_pages);
	shadow_free(&s);
}

static void test_random_32m(void **state)
{
	(void)state;
	random_run(32 * MiB, 1, 20000);
}

static void test_random_128m(void **state)
{
	(void)state;
	random_run(128 * MiB, 2, 20000);
}

static void test_random_1g(void **state)
{
	(void)state;
	random_run(1 * GiB, 3, 20000);
}

static void test_random_4g(void **state)
{
	(void)state;
	random_run(4 * GiB, 4, 20000);
}

static void test_random_8g(void **state)
{
	(void)state;
	random_run(8 * GiB, 5, 30000);
}

/* Allocate order-0 pages until exhaustion: exactly the usable pages, no
 * duplicates, never reserved; then free all and coalesce back. */
static void test_exhaust_and_coalesce(void **state)
{
	struct memmap m = pc_map(32 * MiB);
	struct shadow s;
	struct pmm_stats init, st;

	(void)state;
	init_map(&m);
	pmm_stats(&init);
	shadow_init(&s, &m);
	s.cap = (size_t)init.free_pages + 1;
	s.blk_phys = realloc(s.blk_phys, s.cap * sizeof *s.blk_phys);
	s.blk_order = realloc(s.blk_order, s.cap * sizeof *s.blk_order);
	s.blk_shares = realloc(s.blk_shares, s.cap * sizeof *s.blk_shares);
	while (model_alloc(&s, 0))
		;
	assert_int_equal(s.nblk, init.free_pages);
	assert_int_equal(init.free_pages,
			 init.usable_pages - init.map_bytes / PAGE_SIZE);
	pmm_stats(&st);
	assert_int_equal(st.free_pages, 0);
	assert_int_equal(st.largest_free_order, -1);
	assert_int_equal(st.failed_allocs, 1);
	assert_int_equal(pmm_alloc(0, 1), 0);
	srand(9);
	while (s.nblk)
		model_free(&s, (size_t)rand() % s.nblk);
	pmm_stats(&st);
	assert_memory_equal(st.free_blocks, init.free_blocks,
			    sizeof init.free_blocks);
	assert_int_equal(st.frag_permille, init.frag_permille);
	pmm_verify();
	shadow_free(&s);
}

/* The map may be unsorted, overlapping, unaligned, with holes. */
static void test_messy_map(void **state)
{
	struct memmap m = {
	    .av = {{0x40000123, 0x10000000},
		   {0x100000, 0x2000000},
		   {0x1800000, 0x1000000}, /* overlaps the previous one */
		   {0x9000000, 0x3fff}},   /* less than a page aligned */
	    .nav = 4,
	    .rs = {{0x100000, 0x300000}, {0x40100000, 0x1}},
	    .nrs = 2};
	struct shadow s;

	(void)state;
	init_map(&m);
	shadow_init(&s, &m);
	struct pmm_stats st;
	pmm_stats(&st);
	assert_int_equal(st.usable_pages, shadow_usable(&s));
	/* descriptors in the lowest free RAM: just above the reservation */
	assert_int_equal(st.meta_phys, 0x400000);
	assert_int_equal(st.desc_bytes_per_page, 16);
	srand(77);
	for (int i = 0; i < 5000; i++)
		if (s.nblk && rand() % 2)
			model_free(&s, (size_t)rand() % s.nblk);
		else
			model_alloc(&s, random_order());
	check_stats(&s, shadow_usable(&s));
	pmm_verify();
	shadow_free(&s);
}

/* Order-10 blocks come out 4 MiB aligned; a split leaves one free block
 * per lower order. */
static void test_split_counts(void **state)
{
	struct mem_range av = {8 * MiB, 8 * MiB};
	struct pmm_stats st;

	(void)state;
	pmm_init(&av, 1, NULL, 0, p2v);
	pmm_stats(&st);
	/* 8..16 MiB = two order-10 blocks; descriptors for 4096 frames
	 * (64 KiB) take the first 16 pages, the bitmaps the next one,
	 * leaving orders 0..3, 5..9 + one 10 */
	assert_int_equal(st.meta_phys, 8 * MiB);
	assert_int_equal(st.meta_bytes, 64 * 1024);
	assert_int_equal(st.map_phys, 8 * MiB + 64 * 1024);
	assert_int_equal(st.map_bytes, PAGE_SIZE);
	assert_int_equal(st.allocated_pages, 1);
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		assert_int_equal(st.free_blocks[o], o != 4);
	uint64_t a = pmm_alloc(0, 1);
	assert_int_equal(a, 8 * MiB + 17 * PAGE_SIZE);
	pmm_stats(&st);
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		assert_int_equal(st.free_blocks[o], o != 0 && o != 4);
	assert_int_equal(pmm_alloc(10, 1), 12 * MiB);
	assert_int_equal(pmm_page(a)->owner, 1);
	assert_int_equal(pmm_page(a)->state, PAGE_ALLOCATED);
	pmm_free(a, 0);
	pmm_verify();
}

static void test_fragmentation_measure(void **state)
{
	struct mem_range av = {4 * MiB, 4 * MiB};
	struct pmm_stats st;
	uint64_t pages[1024];

	(void)state;
	pmm_init(&av, 1, NULL, 0, p2v);
	for (int i = 0; i < 1024; i++)
		pages[i] = pmm_alloc(0, 1);
	assert_int_equal(pmm_alloc(0, 1), 0); /* 8 pages hold descriptors */
	for (int i = 0; i < 1024; i += 2)
		if (pages[i])
			pmm_free(pages[i], 0);
	pmm_stats(&st);
	/* only single pages free: 1 - 1/free_pages */
	assert_int_equal(st.largest_free_order, 0);
	assert_int_equal(st.frag_permille, 1000 - 1000 / st.free_pages);
}

/* ---- misuse: every bad free panics naming the address and the fault --- */

static void test_bad_frees(void **state)
{
	struct memmap m = pc_map(64 * MiB);

	(void)state;
	init_map(&m);
	uint64_t a = pmm_alloc(0, 1), b = pmm_alloc(2, 1);
	EXPECT_PANIC(pmm_free(a + 8, 0), "unaligned address");
	EXPECT_PANIC(pmm_free(b + PAGE_SIZE, 0), "inside the allocated block");
	EXPECT_PANIC(pmm_free(b, 1), "wrong order 1 (allocated as order 2)");
	EXPECT_PANIC(pmm_free(b, 0), "wrong order");
	EXPECT_PANIC(pmm_free(0, 0), "free of reserved page 0x0");
	EXPECT_PANIC(pmm_free(MiB, 0), "free of reserved page 0x100000");
	EXPECT_PANIC(pmm_free(64 * GiB, 0), "outside managed memory");
	EXPECT_PANIC(pmm_free(0xa0000, 0), "0xa0000 (order 0) outside managed");
	EXPECT_PANIC(pmm_free(a, 11), "order 11 (max 10)");
	EXPECT_PANIC(pmm_alloc(11, 1), "alloc of order 11");
	pmm_free(a, 0);
	char want[64];
	snprintf(want, sizeof want, "double free of 0x%llx (order 0)",
		 (unsigned long long)a);
	EXPECT_PANIC(pmm_free(a, 0), want);
	pmm_free(b, 2);
	snprintf(want, sizeof want, "double free of 0x%llx (order 2)",
		 (unsigned long long)b);
	EXPECT_PANIC(pmm_free(b, 2), want);
	uint64_t never = 60 * MiB;
	EXPECT_PANIC(pmm_free(never, 0), "double free");
	pmm_verify();
}

static void test_private(void **state)
{
	struct memmap m = pc_map(64 * MiB);
	int tag;

	(void)state;
	init_map(&m);
	uint64_t b = pmm_alloc(3, PMM_OWNER_SLAB);
	assert_null(pmm_get_private(b));
	assert_null(pmm_get_private(b + 5 * PAGE_SIZE));
	pmm_set_private(b + 5 * PAGE_SIZE, &tag);
	assert_ptr_equal(pmm_get_private(b + 5 * PAGE_SIZE), &tag);
	assert_null(pmm_get_private(0));
	assert_null(pmm_get_private(64 * GiB));
	pmm_set_private(b + 5 * PAGE_SIZE, NULL);
	pmm_free(b, 3);
	EXPECT_PANIC(pmm_set_private(b, &tag), "not allocated");
	assert_null(pmm_get_private(b));
	uint64_t head;
	unsigned order;
	assert_true(pmm_block_of(b + PAGE_SIZE, &head, &order));
	assert_true(order >= 3);
}

/* A shared block (copy-on-write) is not freeable until its shares are
 * dropped; the allocator's own bitmaps are never freeable. */
static void test_shares_and_maps(void **state)
{
	struct memmap m = pc_map(64 * MiB);
	struct pmm_stats st;
	char want[80];

	(void)state;
	init_map(&m);
	pmm_stats(&st);
	uint64_t a = pmm_alloc(1, 1);
	assert_int_equal(pmm_share(a, 1), 1);
	assert_int_equal(pmm_share(a, 1), 2);
	EXPECT_PANIC(pmm_free(a, 1), "still mapped 2 more times");
	EXPECT_PANIC(pmm_free(a, 0), "wrong order 0 (allocated as order 1)");
	pmm_verify();
	assert_int_equal(pmm_share(a, -2), 0);
	EXPECT_PANIC(pmm_share(a, -1), "below zero");
	EXPECT_PANIC(pmm_share(a + PAGE_SIZE, 1), "not an allocated block");
	pmm_free(a, 1);
	EXPECT_PANIC(pmm_share(a, 1), "not an allocated block");
	snprintf(want, sizeof want,
		 "0x%llx (order 0), which holds the "
		 "allocator's own bitmaps",
		 (unsigned long long)st.map_phys);
	EXPECT_PANIC(pmm_free(st.map_phys, 0), want);
	EXPECT_PANIC(pmm_share(st.map_phys, 1), "not an allocated block");
	assert_int_equal(pmm_page(st.map_phys)->state, PAGE_ALLOCATED);
	assert_int_equal(pmm_page(st.map_phys)->owner, PMM_OWNER_KERNEL);
	pmm_verify();
}

/* The page freed last is the next one handed out (its bitmap word and
 * descriptor are the ones in cache), and descriptors catch up with the
 * bitmaps whenever they are read. */
static void test_last_freed_comes_back(void **state)
{
	struct memmap m = pc_map(64 * MiB);
	uint64_t p[100];

	(void)state;
	init_map(&m);
	for (int i = 0; i < 100; i++)
		p[i] = pmm_alloc(0, (uint16_t)(i + 1));
	pmm_free(p[0], 0); /* lower, and free all along: not taken */
	for (int i = 3; i < 100; i += 3) {
		pmm_free(p[i], 0);
		assert_int_equal(pmm_alloc(0, 7), p[i]);
		assert_int_equal(pmm_page(p[i])->owner, 7);
		assert_int_equal(pmm_page(p[i])->state, PAGE_ALLOCATED);
	}
	for (int i = 1; i < 100; i++)
		pmm_free(p[i], 0);
	assert_int_equal(pmm_page(p[50])->private, NULL);
	assert_int_not_equal(pmm_page(p[50])->state, PAGE_ALLOCATED);
	pmm_verify();
}

/* The order-0 map: word i/32, bits 2i (FREE) and 2i+1 (FREEABLE), at
 * the start of the bitmaps. */
static uint64_t *order0_word(uint64_t phys)
{
	struct pmm_stats st;

	pmm_stats(&st);
	return (uint64_t *)p2v(st.map_phys) + phys / PAGE_SIZE / 32;
}

static uint64_t order0_bit(uint64_t phys, int freeable)
{
	return 1ULL << (2 * (phys / PAGE_SIZE % 32) + freeable);
}

/* pmm_verify checks the bitmaps against the descriptors, and a page the
 * bitmaps lost panics when freed instead of corrupting the lists. */
static void test_verify_catches_bad_maps(void **state)
{
	struct memmap m = pc_map(64 * MiB);

	(void)state;
	init_map(&m);
	uint64_t a = pmm_alloc(0, 1);
	pmm_verify();
	*order0_word(a) ^= order0_bit(a, 0); /* "free" too */
	EXPECT_PANIC(pmm_verify(), "order 0 map disagrees with the "
				   "descriptor of");
	*order0_word(a) ^= order0_bit(a, 0);
	*order0_word(a) ^= order0_bit(a, 1); /* no longer freeable */
	EXPECT_PANIC(pmm_verify(), "order 0 map disagrees");
	EXPECT_PANIC(pmm_free(a, 0), "not in the freeable bitmap");
	*order0_word(a) ^= order0_bit(a, 1);
	pmm_free(a, 0);
	pmm_verify();
}

/* RAM above 64 GiB is dropped with a warning. */
static void test_above_64g(void **state)
{
	struct mem_range av[] = {{MiB, 300 * MiB},
				 {64 * GiB - 4 * MiB, 1 * GiB}};
	struct pmm_stats st;

	(void)state;
	use_arena(300 * MiB);
	harness_printk_reset();
	pmm_init(av, 2, NULL, 0, p2v);
	pmm_stats(&st);
	assert_non_null(strstr(harness_printk_buf, "ignoring 1020 MiB"));
	assert_int_equal(st.ignored_pages, 1020 * MiB / PAGE_SIZE);
	assert_int_equal(st.meta_phys, MiB);
	assert_int_equal(st.meta_bytes, 256 * MiB);
	assert_int_equal(st.usable_pages,
			 (300 * MiB + 4 * MiB - st.meta_bytes) / PAGE_SIZE);
	use_arena(64 * MiB);
}

/* Descriptors (1604 KiB) and bitmaps (52 KiB) for ~400 MiB of address
 * space fit in no 4 KiB range. */
static void test_no_room_for_metadata(void **state)
{
	struct mem_range av[100];

	(void)state;
	for (int i = 0; i < 100; i++)
		av[i] =
		    (struct mem_range){(uint64_t)(i + 1) * 4 * MiB, PAGE_SIZE};
	EXPECT_PANIC(pmm_init(av, 100, NULL, 0, p2v),
		     "no free RAM below 64 GiB for 1695744 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_counts),
	    cmocka_unit_test(test_fragmentation_measure),
	    cmocka_unit_test(test_bad_frees),
	    cmocka_unit_test(test_private),
	    cmocka_unit_test(test_messy_map),
	    cmocka_unit_test(test_exhaust_and_coalesce),
	    cmocka_unit_test(test_random_32m),
	    cmocka_unit_test(test_random_128m),
	    cmocka_unit_test(test_random_1g),
	    cmocka_unit_test(test_random_4g),
	    cmocka_unit_test(test_random_8g),
	    cmocka_unit_test(test_shares_and_maps),
	    cmocka_unit_test(test_last_freed_comes_back),
	    cmocka_unit_test(test_verify_catches_bad_maps),
	    cmocka_unit_test(test_above_64g),
	    cmocka_unit_test(test_no_room_for_metadata),
	};
	use_arena(64 * MiB);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
