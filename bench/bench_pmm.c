/* bench_pmm.c — buddy order-0 alloc+free vs first-fit bitmap allocators at 90%
 * scattered use, and the buddy's cost at 1 GiB vs 16 GiB, timed side by side.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench/bench_util.h"
#include "bench/pmm_twin.h"
#include "mm/pmm.h"

#define GiB (1ULL << 30)
#define SMALL_MEM (1 * GiB)
#define BIG_MEM (16 * GiB)
#define LOW_RESERVED (1ULL << 20)
#define CMP_MEM (4 * GiB) /* the buddy-vs-bitmap comparison */
#define CMP_OPS 20000	  /* pairs in the comparison (bit scan is slow) */
#define ROUNDS 5	  /* of the comparison; median */
#define SLICE_OPS 50000	  /* timed pairs per slice of the size comparison */
/* Untimed pairs before each slice: the other size has just evicted this
 * one from the caches, and 1 GiB (4 MiB of descriptors, mostly cached
 * when run alone) takes this long to get back to its steady state. */
#define WARM_OPS 300000
#define WALK_WARM_ROUNDS 3 /* untimed rounds through live[] in order */
#define BATCH 32	   /* pages freed before allocating as many */
#define STR(x) STR_(x)
#define STR_(x) #x
#define SLICES 21 /* per size and harness, alternating 1/16 GiB */
#define SEED 0x9e3779b97f4a7c15ULL
/* Phys [0, arena) backs the descriptors and bitmaps pmm carves from the
 * lowest RAM: 16 bytes + ~0.5 byte of bitmaps a page, rounded up. */
#define ARENA(mem) (LOW_RESERVED + (mem) / PAGE_SIZE * 17)

/* One allocator instance over `mem` bytes of RAM with its own arena and
 * the benchmark's record of which pages it holds: live[] (the pages,
 * 8 bytes each, shuffled) and livemap (a bit per frame). */
struct sim {
	uint64_t mem;
	void (*init)(const struct mem_range *, size_t, const struct mem_range *,
		     size_t, void *(*)(uint64_t));
	uint64_t (*alloc)(unsigned, uint16_t);
	void (*free)(uint64_t, unsigned);
	void *(*p2v)(uint64_t);
	uint8_t *arena;
	uint64_t *live, *livemap;
	size_t nlive, walk; /* held pages; pairs_walk's next slot */
};

/* mm/pmm.c does 16 GiB (and the 4 GiB comparison), its twin 1 GiB. */
static struct sim big, small;

static void *at(const struct sim *s, uint64_t phys)
{
	if (phys >= ARENA(s->mem)) {
		fprintf(stderr, "bench: phys 0x%llx outside the arena\n",
			(unsigned long long)phys);
		exit(1);
	}
	return s->arena + phys;
}

static void *big_p2v(uint64_t phys)
{
	return at(&big, phys);
}

static void *small_p2v(uint64_t phys)
{
	return at(&small, phys);
}

static bool test_bit(const uint64_t *m, uint64_t f)
{
	return m[f / 64] >> (f % 64) & 1;
}

static void set_bit(uint64_t *m, uint64_t f)
{
	m[f / 64] |= 1ULL << (f % 64);
}

static void clear_bit(uint64_t *m, uint64_t f)
{
	m[f / 64] &= ~(1ULL << (f % 64));
}

/* ---- first-fit bitmaps (bit set = used), the classic tutorial design ---- */

static uint64_t *bitmap;
static uint64_t bm_frames;

/* Scan bit by bit from frame 0 for the first free one (the tutorial). */
static uint64_t bm_alloc_bit(void)
{
	for (uint64_t f = 0; f < bm_frames; f++)
		if (!test_bit(bitmap, f)) {
			set_bit(bitmap, f);
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
			set_bit(bitmap, f);
			return f * PAGE_SIZE;
		}
	return 0;
}

static void bm_free(uint64_t phys)
{
	clear_bit(bitmap, phys / PAGE_SIZE);
}

static uint64_t buddy_alloc(void)
{
	return pmm_alloc(0, PMM_OWNER_TEST);
}

static void buddy_free(uint64_t p)
{
	pmm_free(p, 0);
}

/* ---- the workload: 90% of the pages held, scattered ---- */

static void free_buddy_page(struct sim *s, uint64_t p)
{
	s->free(p, 0);
}

static void free_bitmap_page(struct sim *s, uint64_t p)
{
	(void)s;
	bm_free(p);
}

/* The held pages (livemap) in address order, the same list for every
 * allocator, shuffled; then a random 10% freed: 90% used, scattered. */
static void scatter(struct sim *s, void (*free_page)(struct sim *, uint64_t))
{
	size_t n = 0;
	for (uint64_t f = 0; f < s->mem / PAGE_SIZE; f++)
		if (test_bit(s->livemap, f))
			s->live[n++] = f * PAGE_SIZE;
	rng = SEED;
	for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
		size_t j = next_rand() % (i + 1);
		uint64_t t = s->live[i];
		s->live[i] = s->live[j];
		s->live[j] = t;
	}
	s->nlive = n - n / 10;
	s->walk = 0;
	for (size_t i = s->nlive; i < n; i++) {
		free_page(s, s->live[i]);
		clear_bit(s->livemap, s->live[i] / PAGE_SIZE);
	}
}

/* A fresh buddy over s->mem: every page allocated, then scattered. */
static void setup_buddy(struct sim *s)
{
	struct mem_range ram = {0, s->mem}, low = {0, LOW_RESERVED};
	uint64_t p;

	s->init(&ram, 1, &low, 1, s->p2v);
	memset(s->livemap, 0, s->mem / PAGE_SIZE / 8);
	while ((p = s->alloc(0, PMM_OWNER_TEST)))
		set_bit(s->livemap, p / PAGE_SIZE);
	scatter(s, free_buddy_page);
}

/* The same frames on the bitmap: all but the first MiB and what pmm
 * carves for its descriptors and bitmaps, every one allocated (what
 * repeated first-fit allocation from empty ends with, without its
 * quadratic time), then scattered. */
static void setup_bitmap(struct sim *s)
{
	struct mem_range ram = {0, s->mem}, low = {0, LOW_RESERVED};
	struct pmm_stats st;

	pmm_init(&ram, 1, &low, 1, s->p2v);
	pmm_stats(&st);
	bm_frames = s->mem / PAGE_SIZE;
	for (uint64_t f = 0; f < bm_frames; f++) {
		uint64_t a = f * PAGE_SIZE;
		if (a < LOW_RESERVED ||
		    (a >= st.meta_phys && a < st.map_phys + st.map_bytes))
			clear_bit(s->livemap, f);
		else
			set_bit(s->livemap, f);
		set_bit(bitmap, f);
	}
	scatter(s, free_bitmap_page);
}

/* ---- buddy vs bitmaps: pick a live[] entry, free it, allocate ---- */

struct allocator {
	uint64_t (*alloc)(void);
	void (*free)(uint64_t);
};

static const struct allocator buddy = {buddy_alloc, buddy_free};
static const struct allocator bm_bit = {bm_alloc_bit, bm_free};
static const struct allocator bm_word = {bm_alloc_word, bm_free};

static double compare_one(const struct allocator *a, long ops)
{
	double t0 = cpu_ns();
	for (long op = 0; op < ops; op++) {
		size_t i = next_rand() % big.nlive;
		a->free(big.live[i]);
		big.live[i] = a->alloc();
	}
	return (cpu_ns() - t0) / ops;
}

struct comparison {
	double buddy, bit, word; /* ns per pair */
};

static void compare_round(struct comparison *c)
{
	big.mem = CMP_MEM;
	setup_buddy(&big);
	c->buddy = compare_one(&buddy, CMP_OPS);
	setup_bitmap(&big);
	c->word = compare_one(&bm_word, CMP_OPS);
	setup_bitmap(&big);
	c->bit = compare_one(&bm_bit, CMP_OPS);
}

/* ---- 1 GiB vs 16 GiB: two ways to pick the page to free ---- */

/* Random live[] slots drawn AHEAD picks early, each prefetched when
 * drawn, so that the benchmark's own miss on live[] (30 MiB at 16 GiB)
 * is not in the way of the allocator it times. */
#define AHEAD 8
struct ahead {
	size_t slot[AHEAD];
	unsigned n;
};

static size_t ahead_draw(const struct sim *s)
{
	size_t i = next_rand() % s->nlive;
	__builtin_prefetch(&s->live[i], 1);
	return i;
}

static void ahead_start(struct ahead *a, const struct sim *s)
{
	for (unsigned k = 0; k < AHEAD; k++)
		a->slot[k] = ahead_draw(s);
	a->n = 0;
}

/* The slot drawn AHEAD calls ago; draws its replacement. */
static size_t ahead_next(struct ahead *a, const struct sim *s)
{
	size_t *p = &a->slot[a->n++ % AHEAD], i = *p;
	*p = ahead_draw(s);
	return i;
}

/* Uniform over live[] at random: the previous benchmark's way. live[]
 * is 8 bytes a held page (30 MiB at 16 GiB), so each pick is a miss to
 * DRAM at 16 GiB and a cache hit at 1 GiB. Drawn and prefetched AHEAD
 * picks early it no longer holds up the allocator (that took this row
 * from 3.2x to 1.5x), but its lines still pass through the caches the
 * allocator's maps live in: the row shows the allocator sharing the
 * caches with a client that has a large footprint of its own. */
/* The next live[] slot in order, round and round. */
static inline size_t walk_next(struct sim *s)
{
	size_t i = s->walk;
	s->walk = i + 1 >= s->nlive ? 0 : i + 1;
	return i;
}

/* live[] slots in one of the two orders, each either freed and
 * allocated again (the pair timed) or only touched like that (the
 * benchmark's own cost); the flags are constants where it is inlined. */
static inline __attribute__((always_inline)) double
run_live(struct sim *s, long ops, bool walk, bool pair)
{
	struct ahead a;
	if (!walk)
		ahead_start(&a, s);
	double t0 = cpu_ns();
	for (long op = 0; op < ops; op++) {
		size_t i = walk ? walk_next(s) : ahead_next(&a, s);
		if (pair) {
			s->free(s->live[i], 0);
			s->live[i] = s->alloc(0, PMM_OWNER_TEST);
		} else {
			s->live[i] ^= 1; /* twice in a row: restored */
			__asm__ volatile("" ::: "memory");
			s->live[i] ^= 1;
			__asm__ volatile("" ::: "memory");
		}
	}
	return (cpu_ns() - t0) / ops;
}

static double pairs_array(struct sim *s, long ops)
{
	return run_live(s, ops, false, true);
}

/* The loop and live[] traffic of pairs_array alone. */
static double alone_array(struct sim *s, long ops)
{
	return run_live(s, ops, false, false);
}

/* Through live[] in order: every held page freed once a round, in the
 * random order scatter() shuffled them into, and the page allocated in
 * its place taking its slot. The benchmark's own traffic is a stream
 * the CPU prefetches, the same at any size, so this row is the
 * allocator's cost alone. */
static double pairs_walk(struct sim *s, long ops)
{
	return run_live(s, ops, true, true);
}

/* The same walk, BATCH pages freed and then BATCH allocated: the
 * allocator no longer gets back at once the page it just freed, so
 * merges, splits and searches for the lowest free block are timed too
 * (in pairs_walk, once settled, every free leaves the page hot and the
 * next alloc takes it straight back). Time per pair. */
static double pairs_batch(struct sim *s, long ops)
{
	size_t slot[BATCH];
	double t0 = cpu_ns();
	for (long op = 0; op < ops; op += BATCH) {
		for (unsigned j = 0; j < BATCH; j++) {
			slot[j] = walk_next(s);
			s->free(s->live[slot[j]], 0);
		}
		for (unsigned j = 0; j < BATCH; j++)
			s->live[slot[j]] = s->alloc(0, PMM_OWNER_TEST);
	}
	return (cpu_ns() - t0) / ops;
}

/* The loop and live[] traffic of pairs_walk (and pairs_batch) alone. */
static double alone_walk(struct sim *s, long ops)
{
	return run_live(s, ops, true, false);
}

/* A uniformly random held frame: random frames until one is held. */
static uint64_t pick_held(const struct sim *s)
{
	uint64_t f;
	do
		f = next_rand() % (s->mem / PAGE_SIZE);
	while (!test_bit(s->livemap, f));
	return f;
}

/* Uniform over the held pages again, found through livemap: a bit a
 * page (512 KiB at 16 GiB), the least state any benchmark needs to know
 * which pages it holds, so that it measures the allocator's misses and
 * not its own. */
static double pairs_bitmap(struct sim *s, long ops)
{
	double t0 = cpu_ns();
	for (long op = 0; op < ops; op++) {
		uint64_t f = pick_held(s);
		clear_bit(s->livemap, f);
		s->free(f * PAGE_SIZE, 0);
		set_bit(s->livemap, s->alloc(0, PMM_OWNER_TEST) / PAGE_SIZE);
	}
	return (cpu_ns() - t0) / ops;
}

/* The loop and livemap traffic of pairs_bitmap alone. */
static double alone_bitmap(struct sim *s, long ops)
{
	double t0 = cpu_ns();
	for (long op = 0; op < ops; op++) {
		uint64_t f = pick_held(s);
		clear_bit(s->livemap, f);
		__asm__ volatile("" ::: "memory");
		set_bit(s->livemap, f);
		__asm__ volatile("" ::: "memory");
	}
	return (cpu_ns() - t0) / ops;
}

/* live[] -> livemap, after pairs_array changed which pages are held. */
static void sync_livemap(struct sim *s)
{
	memset(s->livemap, 0, s->mem / PAGE_SIZE / 8);
	for (size_t i = 0; i < s->nlive; i++)
		set_bit(s->livemap, s->live[i] / PAGE_SIZE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The value at fraction q (0.5: median) of the n in v; sorts v. */
static double quantile(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[(int)(q * (n - 1) + 0.5)];
}

/* Medians over SLICES alternating slices, and of the per-slice ratio
 * big/small with its quartiles. */
struct sizes {
	double small, big, ratio, q1, q3;
};

/* Alternate small and big, each slice after WARM_OPS untimed pairs. */
static void alternate(double (*run)(struct sim *, long), struct sizes *r)
{
	double s[SLICES], b[SLICES], q[SLICES];
	for (int i = 0; i < SLICES; i++) {
		run(&small, WARM_OPS);
		s[i] = run(&small, SLICE_OPS);
		run(&big, WARM_OPS);
		b[i] = run(&big, SLICE_OPS);
		q[i] = b[i] / s[i];
	}
	r->small = quantile(s, SLICES, 0.5);
	r->big = quantile(b, SLICES, 0.5);
	r->ratio = quantile(q, SLICES, 0.5);
	r->q1 = quantile(q, SLICES, 0.25);
	r->q3 = quantile(q, SLICES, 0.75);
}

struct scaling {
	struct sizes walk, walk_alone, batch, array, array_alone, bitmap,
	    bitmap_alone;
};

static void warm_walk(double (*run)(struct sim *, long))
{
	run(&small, WALK_WARM_ROUNDS * (long)small.nlive);
	run(&big, WALK_WARM_ROUNDS * (long)big.nlive);
}

static void scale(struct scaling *sc)
{
	big.mem = BIG_MEM;
	setup_buddy(&big);
	setup_buddy(&small);
	/* A few whole rounds before each walk: the first round after a
	 * change of workload is a transient (at 16 GiB a round is 3.8M
	 * pairs, half a row) that later rounds never see again; settled,
	 * the free 10% are scattered free pairs of pages. */
	warm_walk(pairs_walk);
	alternate(pairs_walk, &sc->walk);
	alternate(alone_walk, &sc->walk_alone);
	warm_walk(pairs_batch);
	alternate(pairs_batch, &sc->batch);
	alternate(pairs_array, &sc->array);
	alternate(alone_array, &sc->array_alone);
	sync_livemap(&big);
	sync_livemap(&small);
	alternate(pairs_bitmap, &sc->bitmap);
	alternate(alone_bitmap, &sc->bitmap_alone);
	pmm_verify(); /* both allocators still sound after it all (panics) */
	twin_pmm_verify();
}

/* ---- report ---- */

/* Medians over the rounds of each allocator's time. */
static struct comparison median_of(const struct comparison *c)
{
	double v[3][ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		v[0][r] = c[r].buddy;
		v[1][r] = c[r].bit;
		v[2][r] = c[r].word;
	}
	return (struct comparison){quantile(v[0], ROUNDS, 0.5),
				   quantile(v[1], ROUNDS, 0.5),
				   quantile(v[2], ROUNDS, 0.5)};
}

static void report_comparison(const struct comparison *m)
{
	printf("  4 GiB, %d pairs, same index sequence for each allocator, "
	       "median of %d rounds:\n",
	       CMP_OPS, ROUNDS);
	printf("    %-40s %12.1f ns/pair\n", "buddy (mm/pmm.c)", m->buddy);
	printf("    %-40s %12.1f ns/pair %10.0fx buddy\n",
	       "first-fit bitmap, bit-by-bit scan", m->bit, m->bit / m->buddy);
	printf("    %-40s %12.1f ns/pair %10.0fx buddy\n",
	       "first-fit bitmap, skip full words", m->word,
	       m->word / m->buddy);
}

static void report_sizes(const char *what, const struct sizes *p,
			 const struct sizes *alone)
{
	printf("    %-26s %8.1f %8.1f %7.2fx (%.2f-%.2f) %7.1f %7.1f\n", what,
	       p->small, p->big, p->ratio, p->q1, p->q3, alone->small,
	       alone->big);
}

static const char *verdict(double ratio)
{
	return ratio <= 1.5 ? "met" : "MISSED";
}

/* c: the comparison's rounds, or NULL when it was skipped. */
static void report(const struct comparison *c, const struct scaling *sc)
{
	struct comparison m = c ? median_of(c) : (struct comparison){0};
	printf("pmm: order-0 free+alloc pairs at 90%% use (random 10%% "
	       "free), seed %#llx\n",
	       (unsigned long long)SEED);
	if (c)
		report_comparison(&m);
	printf("  buddy at 1 GiB and 16 GiB, both set up at once, %d "
	       "alternating slices of %d pairs, medians (ns/pair):\n",
	       SLICES, SLICE_OPS);
	printf("    %-26s %8s %8s %8s %11s %7s %7s\n",
	       "page to free picked via", "1 GiB", "16 GiB", "16/1",
	       "(quartiles)", "pick 1", "pick 16");
	report_sizes("live[] in shuffled order", &sc->walk, &sc->walk_alone);
	report_sizes("  the same, " STR(BATCH) " at a time", &sc->batch,
		     &sc->walk_alone);
	report_sizes("livemap, at random", &sc->bitmap, &sc->bitmap_alone);
	report_sizes("live[], at random", &sc->array, &sc->array_alone);
	printf("    (pick: the benchmark's own loop and bookkeeping alone. "
	       "Every row frees held pages uniformly\n     scattered over "
	       "all of memory; live[] at random also streams 8 bytes a "
	       "page of its own through the caches)\n");
	if (c)
		printf("  targets: bit-scan bitmap / buddy >= 100x: %s "
		       "(%.0fx)\n",
		       m.bit / m.buddy >= 100 ? "met" : "MISSED",
		       m.bit / m.buddy);
	double own =
	    sc->walk.ratio > sc->batch.ratio ? sc->walk.ratio : sc->batch.ratio;
	printf("%s16 GiB / 1 GiB <= 1.5x, the allocator's own cost "
	       "(the two walks): %s (%.2fx, %.2fx)\n",
	       c ? "           " : "  targets: ", verdict(own), sc->walk.ratio,
	       sc->batch.ratio);
	printf("           the same with the benchmark's picks at random: "
	       "livemap %s (%.2fx), live[] %s (%.2fx)\n",
	       verdict(sc->bitmap.ratio), sc->bitmap.ratio,
	       verdict(sc->array.ratio), sc->array.ratio);
}

/* Zeroed memory on 2 MiB pages where the host allows: the kernel
 * reaches its frame descriptors and bitmaps through its direct map of
 * 2 MiB and 1 GiB pages, so they cost it few TLB misses; 4 KiB host
 * pages would add a TLB miss to most descriptor accesses here. */
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

/* How much of this process sits on 2 MiB pages (the premise above):
 * when the host is short of them, descriptor and bitmap accesses also
 * miss the TLB, and 16 GiB suffers more from that than 1 GiB. */
static void report_huge_pages(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "AnonHugePages:", 14))
			printf("  on 2 MiB pages: %s",
			       line + 14 + strspn(line + 14, " "));
	if (f)
		fclose(f);
}

static bool make_sim(struct sim *s, uint64_t mem)
{
	s->mem = mem;
	s->arena = alloc_big(ARENA(mem));
	s->live = alloc_big(mem / PAGE_SIZE * sizeof *s->live);
	s->livemap = alloc_big(mem / PAGE_SIZE / 8);
	return s->arena && s->live && s->livemap;
}

/* With --sizes-only, skip the (slow) bitmap comparison. */
int main(int argc, char **argv)
{
	bool sizes_only = argc > 1 && !strcmp(argv[1], "--sizes-only");
	static struct comparison c[ROUNDS];
	static struct scaling sc;

	big = (struct sim){.init = pmm_init,
			   .alloc = pmm_alloc,
			   .free = pmm_free,
			   .p2v = big_p2v};
	small = (struct sim){.init = twin_pmm_init,
			     .alloc = twin_pmm_alloc,
			     .free = twin_pmm_free,
			     .p2v = small_p2v};
	bitmap = alloc_big(BIG_MEM / PAGE_SIZE / 8);
	if (!make_sim(&big, BIG_MEM) || !make_sim(&small, SMALL_MEM) || !bitmap)
		return 1;
	for (int r = 0; r < ROUNDS && !sizes_only; r++)
		compare_round(&c[r]);
	scale(&sc);
	report(sizes_only ? NULL : c, &sc);
	report_huge_pages();
	return 0;
}
