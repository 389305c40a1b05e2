/* bench_kmalloc.c — slab kmalloc/kfree vs a first-fit free-list heap: speed and
 * memory overhead. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/slab_pmm.h"

#define MiB (1ULL << 20)
#define ARENA (128 * MiB) /* fully backed "physical memory" */
#define LIVE 10000	  /* working set of live objects */
#define OPS 30000	  /* free-one + alloc-one pairs (first-fit is slow) */
#define MAXSZ 256	  /* sizes 1..MAXSZ */
#define ROUNDS 2

static uint8_t *arena;

static void *p2v(uint64_t phys)
{
	return arena + phys;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rng;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- the classic tutorial heap: an address-ordered list of blocks with
 * headers, first-fit search from the start, split on alloc, merge with
 * both neighbours on free; grows by moving a break pointer. ---- */

struct ff_block {
	size_t size; /* payload bytes */
	bool free;
	struct ff_block *prev, *next;
};

#define FF_HDR ((sizeof(struct ff_block) + 15) & ~(size_t)15)
static uint8_t *ff_base, *ff_brk, *ff_end;
static struct ff_block *ff_first, *ff_last;

static void ff_init(void *mem, size_t len)
{
	ff_base = ff_brk = mem;
	ff_end = ff_base + len;
	ff_first = ff_last = NULL;
}

static void ff_split(struct ff_block *b, size_t n)
{
	if (b->size < n + FF_HDR + 16)
		return;
	struct ff_block *r = (struct ff_block *)((uint8_t *)b + FF_HDR + n);
	r->size = b->size - n - FF_HDR;
	r->free = true;
	r->prev = b;
	r->next = b->next;
	if (b->next)
		b->next->prev = r;
	else
		ff_last = r;
	b->next = r;
	b->size = n;
}

static void *ff_malloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	for (struct ff_block *b = ff_first; b; b = b->next)
		if (b->free && b->size >= n) {
			ff_split(b, n);
			b->free = false;
			return (uint8_t *)b + FF_HDR;
		}
	if (ff_brk + FF_HDR + n > ff_end)
		return NULL;
	struct ff_block *b = (struct ff_block *)ff_brk;
	ff_brk += FF_HDR + n;
	*b = (struct ff_block){n, false, ff_last, NULL};
	if (ff_last)
		ff_last->next = b;
	else
		ff_first = b;
	ff_last = b;
	return (uint8_t *)b + FF_HDR;
}

static void ff_merge_next(struct ff_block *b)
{
	struct ff_block *n = b->next;
	if (!n || !n->free)
		return;
	b->size += FF_HDR + n->size;
	b->next = n->next;
	if (n->next)
		n->next->prev = b;
	else
		ff_last = b;
}

static void ff_free(void *p)
{
	struct ff_block *b = (struct ff_block *)((uint8_t *)p - FF_HDR);
	b->free = true;
	ff_merge_next(b);
	if (b->prev && b->prev->free)
		ff_merge_next(b->prev);
}

/* ---- the workload ---- */

struct heap_impl {
	void *(*alloc)(size_t);
	void (*free)(void *);
};

struct result {
	double ns;
	uint64_t live_bytes; /* requested bytes live at the end */
};

static void *slab_alloc(size_t n)
{
	return kmalloc(n);
}

static void fill(void **live, size_t *sz, const struct heap_impl *h)
{
	for (size_t i = 0; i < LIVE; i++) {
		sz[i] = 1 + next_rand() % MAXSZ;
		live[i] = h->alloc(sz[i]);
		if (!live[i])
			abort();
	}
}

static struct result run(const struct heap_impl *h)
{
	static void *live[LIVE];
	static size_t sz[LIVE];
	struct result r = {0, 0};

	rng = 0x2545f4914f6cdd1dULL;
	fill(live, sz, h);
	double t0 = now_ns();
	for (int op = 0; op < OPS; op++) {
		size_t i = next_rand() % LIVE;
		h->free(live[i]);
		sz[i] = 1 + next_rand() % MAXSZ;
		live[i] = h->alloc(sz[i]);
		if (!live[i])
			abort();
	}
	r.ns = (now_ns() - t0) / OPS;
	for (size_t i = 0; i < LIVE; i++)
		r.live_bytes += sz[i];
	return r;
}

static void slab_start(unsigned flags)
{
	struct mem_range ram = {MiB, ARENA - MiB};
	struct slab_page_source src;

	pmm_init(&ram, 1, NULL, 0, p2v);
	slab_pmm_source(&src, (uint64_t)(uintptr_t)arena);
	slab_init(&src, flags);
}

int main(void)
{
	static const struct heap_impl slab = {slab_alloc, kfree},
				      ff = {ff_malloc, ff_free};
	struct result rs = {1e30, 0}, rp = {1e30, 0}, rf = {1e30, 0}, r;
	uint64_t slab_held = 0, ff_held = 0;

	arena = aligned_alloc(4096, ARENA);
	if (!arena)
		return 1;
	for (int round = 0; round < ROUNDS; round++) {
		slab_start(0);
		r = run(&slab);
		slab_held = slab_bytes_held();
		rs = r.ns < rs.ns ? r : rs;
		slab_start(SLAB_POISON);
		r = run(&slab);
		rp = r.ns < rp.ns ? r : rp;
		ff_init(arena, ARENA);
		r = run(&ff);
		ff_held = (uint64_t)(ff_brk - ff_base);
		rf = r.ns < rf.ns ? r : rf;
	}
	printf("kmalloc: %d live objects of 1..%d bytes, %d x (kfree a random "
	       "one + kmalloc a random size), best of %d\n",
	       LIVE, MAXSZ, OPS, ROUNDS);
	printf("  %-32s %10s %14s %10s\n", "heap", "ns/op", "bytes held",
	       "overhead");
	printf("  %-32s %10.1f %14llu %9.2fx\n", "slab kmalloc (no poisoning)",
	       rs.ns, (unsigned long long)slab_held,
	       (double)slab_held / rs.live_bytes);
	printf("  %-32s %10.1f %14s %10s\n", "slab kmalloc (poisoning on)",
	       rp.ns, "same", "");
	printf("  %-32s %10.1f %14llu %9.2fx\n", "first-fit free-list heap",
	       rf.ns, (unsigned long long)ff_held,
	       (double)ff_held / rf.live_bytes);
	printf("  ratio first-fit / slab: time %.1fx, memory held %.2fx "
	       "(overhead = bytes held / bytes requested live)\n",
	       rf.ns / rs.ns, (double)ff_held / slab_held);
	printf("  frame descriptor: %zu bytes per 4 KiB page\n",
	       sizeof(struct page));
	return 0;
}
