/* bench_pmm.c — buddy page allocator vs a first-fit bitmap allocator, 4 GiB at
 * 90% use. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/pmm.h"

#define MEM (4ULL << 30) /* modelled RAM */
#define NFRAMES (MEM / PAGE_SIZE)
#define LOW_RESERVED (1ULL << 20)
#define OPS 200000 /* free-one + alloc-one pairs, same sequence for both */
#define ROUNDS 3   /* report the best of these, alternating */

static uint8_t *arena; /* backs phys [0, 32 MiB): the descriptors */
#define ARENA (32ULL << 20)

static void *p2v(uint64_t phys)
{
	if (phys >= ARENA) {
		fprintf(stderr, "bench: phys 0x%llx outside arena\n",
			(unsigned long long)phys);
		exit(1);
	}
	return arena + phys;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* xorshift64: the same sequence for both allocators */
static uint64_t rng;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- the classic first-fit bitmap allocator (bit set = used) ---- */

static uint64_t *bitmap;

static uint64_t bm_alloc(void)
{
	for (uint64_t w = 0; w < NFRAMES / 64; w++)
		if (bitmap[w] != ~0ULL) {
			unsigned b = (unsigned)__builtin_ctzll(~bitmap[w]);
			bitmap[w] |= 1ULL << b;
			return (w * 64 + b) * PAGE_SIZE;
		}
	return 0;
}

static void bm_free(uint64_t phys)
{
	uint64_t f = phys / PAGE_SIZE;
	bitmap[f / 64] &= ~(1ULL << (f % 64));
}

/* ---- the same workload on both ---- */

struct allocator {
	const char *name;
	uint64_t (*alloc)(void);
	void (*free)(uint64_t);
	size_t (*fill)(uint64_t *live); /* allocate everything */
};

static size_t buddy_fill(uint64_t *live)
{
	size_t n = 0;
	uint64_t p;

	while ((p = pmm_alloc(0, PMM_OWNER_TEST)))
		live[n++] = p;
	return n;
}

/* What repeated first-fit allocation from empty yields, without its
 * quadratic set-up time. */
static size_t bm_fill(uint64_t *live)
{
	size_t n = 0;

	for (uint64_t f = 0; f < NFRAMES; f++)
		if (!(bitmap[f / 64] >> (f % 64) & 1)) {
			bitmap[f / 64] |= 1ULL << (f % 64);
			live[n++] = f * PAGE_SIZE;
		}
	return n;
}

static uint64_t buddy_alloc(void)
{
	return pmm_alloc(0, PMM_OWNER_TEST);
}

static void buddy_free(uint64_t p)
{
	pmm_free(p, 0);
}

static void shuffle(uint64_t *a, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = next_rand() % (i + 1);
		uint64_t t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Loop overhead alone: the same random live[] traffic, no allocator. */
static double run_overhead(uint64_t *live, size_t n)
{
	rng = 0x9e3779b97f4a7c15ULL;
	double t0 = now_ns();
	for (int op = 0; op < OPS; op++) {
		size_t i = next_rand() % n;
		live[i] ^= 1;
		__asm__ volatile("" ::: "memory");
	}
	return (now_ns() - t0) / OPS;
}

/* Fill memory, free a random 10%, then time OPS x (free a random live
 * page, allocate one). Returns ns per pair. */
static double run(const struct allocator *a, uint64_t *live, size_t *nlive)
{
	size_t n;

	rng = 0x9e3779b97f4a7c15ULL;
	n = a->fill(live);
	shuffle(live, n);
	n -= n / 10;
	for (size_t i = n; i < n + n / 9; i++)
		a->free(live[i]);
	double t0 = now_ns();
	for (int op = 0; op < OPS; op++) {
		size_t i = next_rand() % n;
		a->free(live[i]);
		live[i] = a->alloc();
		if (!live[i])
			abort();
	}
	double t1 = now_ns();
	*nlive = n;
	return (t1 - t0) / OPS;
}

/* The bitmap gets the same reserved frames: first MiB + descriptors. */
static void bitmap_reset(const struct pmm_stats *st)
{
	memset(bitmap, 0, NFRAMES / 8);
	for (uint64_t f = 0; f < NFRAMES; f++)
		if (f * PAGE_SIZE < LOW_RESERVED ||
		    (f * PAGE_SIZE >= st->meta_phys &&
		     f * PAGE_SIZE < st->meta_phys + st->meta_bytes))
			bitmap[f / 64] |= 1ULL << (f % 64);
}

int main(void)
{
	struct mem_range ram = {0, MEM}, low = {0, LOW_RESERVED};
	static const struct allocator buddy = {"buddy", buddy_alloc, buddy_free,
					       buddy_fill},
				      bm = {"bitmap", bm_alloc, bm_free,
					    bm_fill};
	uint64_t *live = malloc(NFRAMES * sizeof *live);
	size_t n1, n2;
	struct pmm_stats st;

	arena = malloc(ARENA);
	bitmap = calloc(NFRAMES / 64, sizeof *bitmap);
	if (!arena || !bitmap || !live)
		return 1;
	double t_buddy = 1e30, t_bm = 1e30, t_loop = 1e30;
	for (int round = 0; round < ROUNDS; round++) { /* best of ROUNDS */
		pmm_init(&ram, 1, &low, 1, p2v);
		double t = run(&buddy, live, &n1);
		t_buddy = t < t_buddy ? t : t_buddy;
		pmm_stats(&st);
		bitmap_reset(&st);
		t = run(&bm, live, &n2);
		t_bm = t < t_bm ? t : t_bm;
		t = run_overhead(live, n2);
		t_loop = t < t_loop ? t : t_loop;
	}
	printf("pmm: %llu MiB modelled (%llu frames), %zu pages live (90%%), "
	       "%d x (free a random page + alloc 1 page), best of %d\n",
	       (unsigned long long)(MEM >> 20), (unsigned long long)NFRAMES, n1,
	       OPS, ROUNDS);
	printf("  %-28s %12s\n", "allocator", "ns/op");
	printf("  %-28s %12.1f\n", "buddy (mm/pmm.c)", t_buddy);
	printf("  %-28s %12.1f\n", "first-fit bitmap (word scan)", t_bm);
	printf("  %-28s %12.1f\n", "(loop + live[] access only)", t_loop);
	printf("  %-28s %11.1fx\n", "ratio bitmap / buddy", t_bm / t_buddy);
	printf("  frame descriptor: %zu bytes/page (%.2f%% of RAM, %llu KiB "
	       "for 4 GiB); bitmap: 1 bit/page\n",
	       st.desc_bytes_per_page,
	       100.0 * st.desc_bytes_per_page / PAGE_SIZE,
	       (unsigned long long)(st.meta_bytes >> 10));
	printf("  buddy after the run: fragmentation %u per mille, largest "
	       "free order %d\n",
	       st.frag_permille, st.largest_free_order);
	return n1 == n2 ? 0 : 1;
}
