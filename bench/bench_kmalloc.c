/* bench_kmalloc.c — slab kmalloc/kfree vs glibc malloc/free on the
 * host, 16..2048 bytes, same run. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench/bench_util.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/slab_pmm.h"

#define MiB (1ULL << 20)
#define ARENA (256 * MiB) /* "physical memory" behind the slab heap */
#define LIVE 10000	  /* live objects in the churn workload */
#define OPS 1000000	  /* pairs per workload */
#define MINSZ 16
#define MAXSZ 2048
#define ROUNDS 5 /* median of these */
#define SEED 0x2545f4914f6cdd1dULL

static uint8_t *arena;

static void *p2v(uint64_t phys)
{
	return arena + phys;
}

static size_t rand_size(void)
{
	return MINSZ + next_rand() % (MAXSZ - MINSZ + 1);
}

/* NOIPA: the compiler may not see through these and drop a malloc/free
 * pair (GCC elides unused ones). Clang has no noipa; noinline plus
 * optnone keeps it from doing the same. */
#ifdef __clang__
#define NOIPA __attribute__((noinline, optnone))
#else
#define NOIPA __attribute__((noipa))
#endif

struct heap_impl {
	void *(*alloc)(size_t);
	void (*free)(void *);
};

NOIPA static void *glibc_alloc(size_t n)
{
	return malloc(n);
}

NOIPA static void glibc_free(void *p)
{
	free(p);
}

NOIPA static void *slab_alloc(size_t n)
{
	return kmalloc(n);
}

NOIPA static void slab_free(void *p)
{
	kfree(p);
}

static const struct heap_impl glibc = {glibc_alloc, glibc_free};
static const struct heap_impl slab = {slab_alloc, slab_free};

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	*(volatile uint8_t *)p = 1; /* touch it, as a caller would */
	return p;
}

/* LIVE random-sized objects; OPS x (free a random one, allocate a new
 * random size). Returns ns per pair; frees everything. */
static double churn(const struct heap_impl *h)
{
	static void *live[LIVE];
	rng = SEED;
	for (size_t i = 0; i < LIVE; i++)
		live[i] = must(h->alloc(rand_size()));
	double t0 = now_ns();
	for (long op = 0; op < OPS; op++) {
		size_t i = next_rand() % LIVE;
		h->free(live[i]);
		live[i] = must(h->alloc(rand_size()));
	}
	double t = (now_ns() - t0) / OPS;
	for (size_t i = 0; i < LIVE; i++)
		h->free(live[i]);
	return t;
}

/* OPS x (allocate a random size, free it): the hot LIFO path. */
static double pairs(const struct heap_impl *h)
{
	rng = SEED;
	double t0 = now_ns();
	for (long op = 0; op < OPS; op++)
		h->free(must(h->alloc(rand_size())));
	return (now_ns() - t0) / OPS;
}

static void slab_start(unsigned flags)
{
	struct mem_range ram = {MiB, ARENA - MiB};
	struct slab_page_source src;
	pmm_init(&ram, 1, NULL, 0, p2v);
	slab_pmm_source(&src, (uint64_t)(uintptr_t)arena);
	slab_init(&src, flags);
}

enum {
	SLAB_CHURN,
	SLAB_PAIRS,
	POISON_CHURN,
	POISON_PAIRS,
	GLIBC_CHURN,
	GLIBC_PAIRS,
	NRESULTS
};

static void one_round(double *r)
{
	slab_start(0);
	r[SLAB_CHURN] = churn(&slab);
	r[SLAB_PAIRS] = pairs(&slab);
	slab_start(SLAB_POISON);
	r[POISON_CHURN] = churn(&slab);
	r[POISON_PAIRS] = pairs(&slab);
	r[GLIBC_CHURN] = churn(&glibc);
	r[GLIBC_PAIRS] = pairs(&glibc);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double t[][NRESULTS], int k)
{
	double v[ROUNDS];
	for (int r = 0; r < ROUNDS; r++)
		v[r] = t[r][k];
	qsort(v, ROUNDS, sizeof *v, cmp_double);
	return v[ROUNDS / 2];
}

static void row(const char *name, double churn_ns, double pairs_ns,
		double g_churn, double g_pairs)
{
	printf("  %-34s %9.1f %7.2fx %9.1f %7.2fx\n", name, churn_ns,
	       churn_ns / g_churn, pairs_ns, pairs_ns / g_pairs);
}

/* Bytes the slab heap holds for LIVE random objects vs bytes asked for. */
static void memory_overhead(void)
{
	static void *live[LIVE];
	uint64_t asked = 0;
	slab_start(0);
	rng = SEED;
	for (size_t i = 0; i < LIVE; i++) {
		size_t n = rand_size();
		asked += n;
		live[i] = must(kmalloc(n));
	}
	printf("  slab memory: %d live objects, %llu bytes asked, %llu held "
	       "(%.2fx: power-of-two classes)\n",
	       LIVE, (unsigned long long)asked,
	       (unsigned long long)slab_bytes_held(),
	       (double)slab_bytes_held() / asked);
	for (size_t i = 0; i < LIVE; i++)
		kfree(live[i]);
}

int main(void)
{
	static double t[ROUNDS][NRESULTS];
	arena = aligned_alloc(2 * MiB, ARENA);
	if (!arena)
		return 1;
	madvise(arena, ARENA, MADV_HUGEPAGE); /* as the kernel's direct map */
	memset(arena, 0, ARENA);
	for (int r = 0; r < ROUNDS; r++)
		one_round(t[r]);
	double gc = median(t, GLIBC_CHURN), gp = median(t, GLIBC_PAIRS);
	printf("kmalloc: %d-%d-byte objects, seed %#llx, %d pairs per "
	       "workload, median of %d rounds\n",
	       MINSZ, MAXSZ, (unsigned long long)SEED, OPS, ROUNDS);
	printf("  churn: %d live objects, free a random one + allocate a "
	       "random size; pairs: allocate + free at once\n",
	       LIVE);
	printf("  %-34s %9s %8s %9s %8s\n", "heap", "churn ns", "/glibc",
	       "pairs ns", "/glibc");
	row("glibc malloc/free", gc, gp, gc, gp);
	row("slab kmalloc/kfree, poisoning off", median(t, SLAB_CHURN),
	    median(t, SLAB_PAIRS), gc, gp);
	row("slab kmalloc/kfree, poisoning on", median(t, POISON_CHURN),
	    median(t, POISON_PAIRS), gc, gp);
	double worst = median(t, SLAB_CHURN) / gc;
	if (median(t, SLAB_PAIRS) / gp > worst)
		worst = median(t, SLAB_PAIRS) / gp;
	printf("  target: poisoning off <= 1.5x glibc per pair: %s (worst "
	       "%.2fx)\n",
	       worst <= 1.5 ? "met" : "MISSED", worst);
	memory_overhead();
	return 0;
}
