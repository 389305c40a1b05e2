/* bench_pmm.c — buddy order-0 alloc+free vs first-fit bitmap allocators at 90%
 * scattered use, and the buddy's cost as RAM grows from 1 to 16 GiB. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench/bench_util.h"
#include "mm/pmm.h"

#define GiB (1ULL << 30)
#define MAX_MEM (16 * GiB)
#define MAX_FRAMES (MAX_MEM / PAGE_SIZE)
#define LOW_RESERVED (1ULL << 20)
#define CMP_MEM (4 * GiB) /* the buddy-vs-bitmap comparison */
#define CMP_OPS 20000	  /* pairs in the comparison (bit scan is slow) */
#define FLAT_OPS 1000000  /* pairs in the buddy-only scaling runs */
#define WS_PAGES 16384	  /* the fixed working set of the second scaling run */
#define ROUNDS 5	  /* median of these */
#define SEED 0x9e3779b97f4a7c15ULL
/* descriptors (16 bytes a page), then pmm's bitmaps (~0.5 byte a page) */
#define ARENA (LOW_RESERVED + MAX_FRAMES * (sizeof(struct page) + 1))

static uint8_t *arena; /* backs phys [0, ARENA): the frame descriptors */

static void *p2v(uint64_t phys)
{
	if (phys >= ARENA) {
		fprintf(stderr, "bench: phys 0x%llx outside the arena\n",
			(unsigned long long)phys);
		exit(1);
	}
	return arena + phys;
}

/* ---- first-fit bitmaps (bit set = used), the classic tutorial design ---- */

static uint64_t *bitmap;
static uint64_t bm_frames;

static int bm_test(uint64_t f)
{
	return bitmap[f / 64] >> (f % 64) & 1;
}

static void bm_set(uint64_t f)
{
	bitmap[f / 64] |= 1ULL << (f % 64);
}

/* Scan bit by bit from frame 0 for the first free one (the tutorial). */
static uint64_t bm_alloc_bit(void)
{
	for (uint64_t f = 0; f < bm_frames; f++)
		if (!bm_test(f)) {
			bm_set(f);
			return f * PAGE_SIZE;
		}
	return 0;
}

/* A common refinement: skip full 64-bit words, then find the bit. */
static uint64_t bm_alloc_word(void)
{
	for (uint64_t w = 0; w < bm_frames / 64; w++)
		if (bitmap[w] != ~0ULL) {
			uint64_t f =
			    w * 64 + (uint64_t)__builtin_ctzll(~bitmap[w]);
			bm_set(f);
			return f * PAGE_SIZE;
		}
	return 0;
}

static void bm_free(uint64_t phys)
{
	uint64_t f = phys / PAGE_SIZE;
	bitmap[f / 64] &= ~(1ULL << (f % 64));
}

/* Same frames as pmm: everything but the first MiB and the descriptors. */
static void bm_reset(uint64_t mem, const struct pmm_stats *st)
{
	bm_frames = mem / PAGE_SIZE;
	memset(bitmap, 0, bm_frames / 8);
	for (uint64_t f = 0; f < bm_frames; f++)
		if (f * PAGE_SIZE < LOW_RESERVED ||
		    (f * PAGE_SIZE >= st->meta_phys &&
		     f * PAGE_SIZE < st->meta_phys + st->meta_bytes))
			bm_set(f);
}

/* ---- the workload ---- */

struct allocator {
	const char *name;
	uint64_t (*alloc)(void);
	void (*free)(uint64_t);
};

static uint64_t buddy_alloc(void)
{
	return pmm_alloc(0, PMM_OWNER_TEST);
}

static void buddy_free(uint64_t p)
{
	pmm_free(p, 0);
}

static const struct allocator buddy = {"buddy", buddy_alloc, buddy_free};
static const struct allocator bm_bit = {"bitmap bit", bm_alloc_bit, bm_free};
static const struct allocator bm_word = {"bitmap word", bm_alloc_word, bm_free};
static uint64_t *live;

static uint64_t *mark; /* frames handed out by the fill, for sorting */

/* Buddy: allocate every page. */
static void fill_buddy(uint64_t mem)
{
	uint64_t p;
	memset(mark, 0, mem / PAGE_SIZE / 8);
	while ((p = pmm_alloc(0, PMM_OWNER_TEST)))
		mark[p / PAGE_SIZE / 64] |= 1ULL << (p / PAGE_SIZE % 64);
}

/* Bitmap: what repeated first-fit allocation from empty ends with
 * (every bit set), without its quadratic time. */
static void fill_bitmap(uint64_t mem)
{
	for (uint64_t w = 0; w < mem / PAGE_SIZE / 64; w++) {
		mark[w] = ~bitmap[w];
		bitmap[w] = ~0ULL;
	}
}

/* The filled pages in address order (the same list for every
 * allocator), shuffled, then a random 10% freed: 90% used, scattered. */
static size_t setup(const struct allocator *a, uint64_t mem)
{
	size_t n = 0;
	for (uint64_t f = 0; f < mem / PAGE_SIZE; f++)
		if (mark[f / 64] >> (f % 64) & 1)
			live[n++] = f * PAGE_SIZE;
	rng = SEED;
	for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
		size_t j = next_rand() % (i + 1);
		uint64_t t = live[i];
		live[i] = live[j];
		live[j] = t;
	}
	size_t keep = n - n / 10;
	for (size_t i = keep; i < n; i++)
		a->free(live[i]);
	return keep;
}

/* ops x (free a random live page, allocate one page): ns per pair. With
 * a NULL allocator, the loop and live[] traffic alone. */
static double timed(const struct allocator *a, size_t n, long ops)
{
	double t0 = now_ns();
	for (long op = 0; op < ops; op++) {
		size_t i = next_rand() % n; /* n <= live pages */
		if (a) {
			a->free(live[i]);
			live[i] = a->alloc();
		} else {
			live[i] ^= 1; /* twice in a row: restored */
			__asm__ volatile("" ::: "memory");
			live[i] ^= 1;
			__asm__ volatile("" ::: "memory");
		}
	}
	return (now_ns() - t0) / ops;
}

struct times {
	double buddy[3], overhead[3]; /* 1, 4, 16 GiB, FLAT_OPS pairs */
	double ws[3];		      /* the same on WS_PAGES scattered pages */
	double cmp_buddy, cmp_bit, cmp_word; /* 4 GiB, CMP_OPS pairs */
};

/* Uniform over all live pages; then (ws) over the first WS_PAGES of
 * the shuffled list: pages scattered over all RAM, but the same number
 * of descriptors touched at every size (no cache-size effect). */
static double run_buddy(uint64_t mem, long ops, double *overhead, double *ws)
{
	struct mem_range ram = {0, mem}, low = {0, LOW_RESERVED};
	pmm_init(&ram, 1, &low, 1, p2v);
	fill_buddy(mem);
	size_t n = setup(&buddy, mem);
	double t = timed(&buddy, n, ops);
	if (overhead)
		*overhead = timed(NULL, n, ops);
	if (ws)
		*ws = timed(&buddy, WS_PAGES, ops);
	return t;
}

static double run_bitmap(const struct allocator *a, long ops)
{
	struct mem_range ram = {0, CMP_MEM}, low = {0, LOW_RESERVED};
	struct pmm_stats st;
	pmm_init(&ram, 1, &low, 1, p2v); /* for the same reserved frames */
	pmm_stats(&st);
	bm_reset(CMP_MEM, &st);
	fill_bitmap(CMP_MEM);
	return timed(a, setup(a, CMP_MEM), ops);
}

static void one_round(struct times *t)
{
	static const uint64_t sizes[3] = {1 * GiB, 4 * GiB, 16 * GiB};
	for (int s = 0; s < 3; s++)
		t->buddy[s] =
		    run_buddy(sizes[s], FLAT_OPS, &t->overhead[s], &t->ws[s]);
	t->cmp_buddy = run_buddy(CMP_MEM, CMP_OPS, NULL, NULL);
	t->cmp_word = run_bitmap(&bm_word, CMP_OPS);
	t->cmp_bit = run_bitmap(&bm_bit, CMP_OPS);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median over rounds of the field at offset off in struct times. */
static double median(const struct times *t, size_t off)
{
	double v[ROUNDS];
	for (int r = 0; r < ROUNDS; r++)
		v[r] = *(const double *)((const char *)&t[r] + off);
	qsort(v, ROUNDS, sizeof *v, cmp_double);
	return v[ROUNDS / 2];
}

#define MED(field) median(t, offsetof(struct times, field))

static int report(const struct times *t)
{
	double b = MED(cmp_buddy), bit = MED(cmp_bit), word = MED(cmp_word);
	double b1 = MED(buddy[0]), b4 = MED(buddy[1]), b16 = MED(buddy[2]);
	double o1 = MED(overhead[0]), o16 = MED(overhead[2]);
	printf("pmm: order-0 free+alloc pairs at 90%% use (random 10%% free), "
	       "seed %#llx, median of %d rounds\n",
	       (unsigned long long)SEED, ROUNDS);
	printf("  4 GiB, %d pairs, same index sequence for each allocator:\n",
	       CMP_OPS);
	printf("    %-40s %12.1f ns/pair\n", "buddy (mm/pmm.c)", b);
	printf("    %-40s %12.1f ns/pair %10.0fx buddy\n",
	       "first-fit bitmap, bit-by-bit scan", bit, bit / b);
	printf("    %-40s %12.1f ns/pair %10.0fx buddy\n",
	       "first-fit bitmap, skip full words", word, word / b);
	printf("  buddy as RAM grows, %d pairs (loop + live[] access alone "
	       "in brackets):\n",
	       FLAT_OPS);
	printf("    %-40s %12.1f ns/pair  (%.1f)\n", "1 GiB", b1, o1);
	printf("    %-40s %12.1f ns/pair  (%.1f)\n", "4 GiB", b4,
	       MED(overhead[1]));
	printf("    %-40s %12.1f ns/pair  (%.1f)\n", "16 GiB", b16, o16);
	printf("    %-40s %12.2fx  (loop subtracted: %.2fx)\n",
	       "ratio 16 GiB / 1 GiB", b16 / b1, (b16 - o16) / (b1 - o1));
	printf("    %-40s %12.2fx  (both past the caches)\n",
	       "ratio 16 GiB / 4 GiB", b16 / b4);
	double w1 = MED(ws[0]), w16 = MED(ws[2]);
	printf("  buddy as RAM grows, %d pairs on %d pages scattered over all "
	       "RAM (same cache footprint):\n",
	       FLAT_OPS, WS_PAGES);
	printf("    %-40s %12.1f ns/pair\n", "1 GiB", w1);
	printf("    %-40s %12.1f ns/pair\n", "4 GiB", MED(ws[1]));
	printf("    %-40s %12.1f ns/pair\n", "16 GiB", w16);
	printf("    %-40s %12.2fx\n", "ratio 16 GiB / 1 GiB", w16 / w1);
	printf("    %-40s %12.2fx\n", "ratio 16 GiB / 4 GiB", w16 / MED(ws[1]));
	printf(
	    "  frame descriptors: %zu bytes/page = %llu MiB at 1 GiB, %llu "
	    "MiB at 16 GiB: each free reads the freed page's descriptor, "
	    "a cache miss once they outgrow the caches\n",
	    sizeof(struct page),
	    (unsigned long long)(GiB / PAGE_SIZE * sizeof(struct page) >> 20),
	    (unsigned long long)(MAX_FRAMES * sizeof(struct page) >> 20));
	printf("  targets: bit-scan bitmap / buddy >= 100x: %s (%.0fx); "
	       "16 GiB / 1 GiB <= 1.5x: uniform %s (%.2fx), fixed working "
	       "set %s (%.2fx)\n",
	       bit / b >= 100 ? "met" : "MISSED", bit / b,
	       b16 / b1 <= 1.5 ? "met" : "MISSED", b16 / b1,
	       w16 / w1 <= 1.5 ? "met" : "MISSED", w16 / w1);
	return 0;
}

/* Zeroed memory on 2 MiB pages where the host allows, as the kernel
 * reaches its frame descriptors through its large-page direct map. */
static void *alloc_big(size_t len)
{
	size_t huge = 2u << 20;
	len = (len + huge - 1) & ~(huge - 1);
	void *p = aligned_alloc(huge, len);
	if (p) {
		madvise(p, len, MADV_HUGEPAGE);
		memset(p, 0, len);
	}
	return p;
}

int main(void)
{
	static struct times t[ROUNDS];
	arena = alloc_big(ARENA);
	bitmap = alloc_big(MAX_FRAMES / 8);
	mark = alloc_big(MAX_FRAMES / 8);
	live = alloc_big(MAX_FRAMES * sizeof *live);
	if (!arena || !bitmap || !mark || !live)
		return 1;
	for (int r = 0; r < ROUNDS; r++)
		one_round(&t[r]);
	return report(t);
}
