/* test_slab.c — host tests of slab caches and kmalloc, over the real pmm in an
 * arena. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/slab_pmm.h"
#include "tests/unit/harness.h"

#define MiB (1ULL << 20)
#define ARENA (64 * MiB) /* all of "physical memory", fully backed */

static uint8_t *arena;
static struct slab_page_source pmm_src, src;
static int fail_after = -1; /* page allocations left before OOM; -1 never */
static uint64_t pmm_free_at_start;

static void *p2v(uint64_t phys)
{
	return arena + phys;
}

static void *oom_alloc(void *ctx, unsigned order)
{
	(void)ctx;
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	return pmm_src.alloc_pages(pmm_src.ctx, order);
}

static uint64_t pmm_free_pages(void)
{
	struct pmm_stats st;
	pmm_stats(&st);
	return st.free_pages;
}

static void start(unsigned flags)
{
	struct mem_range ram = {MiB, ARENA - MiB};
	pmm_init(&ram, 1, NULL, 0, p2v);
	slab_pmm_source(&pmm_src, (uint64_t)(uintptr_t)arena);
	src = pmm_src;
	src.alloc_pages = oom_alloc;
	fail_after = -1;
	slab_init(&src, flags);
	pmm_free_at_start = pmm_free_pages();
}

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(4096, ARENA);
	if (!arena)
		return -1;
	start(SLAB_POISON);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static struct kmem_cache_stats find_stats_result;
static const char *find_stats_name;

static void find_fn(void *ctx, const struct kmem_cache_stats *st)
{
	(void)ctx;
	if (!strcmp(st->name, find_stats_name))
		find_stats_result = *st;
}

static struct kmem_cache_stats stats_of(const char *name)
{
	memset(&find_stats_result, 0, sizeof find_stats_result);
	find_stats_name = name;
	kmem_for_each_cache(find_fn, NULL);
	assert_non_null(find_stats_result.name);
	return find_stats_result;
}

/* ---- tests ---- */

static void test_size_classes(void **state)
{
	(void)state;
	static const size_t req[] = {1, 16, 17, 33, 100, 255, 1000, 2048};
	static const size_t got[] = {16, 16, 32, 64, 128, 256, 1024, 2048};
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
		void *p = kmalloc(req[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % KMALLOC_ALIGN, 0);
		assert_int_equal(ksize(p), got[i]);
		kfree(p);
	}
	void *big = kmalloc(2049), *bigger = kmalloc(5000);
	assert_int_equal(ksize(big), 4096);
	assert_int_equal(ksize(bigger), 8192);
	assert_int_equal((uintptr_t)big % 4096, 0);
	assert_null(kmalloc(0));
	assert_null(kmalloc((4 << 20) + 1));
	kfree(NULL);
	struct kmem_cache_stats st = stats_of("kmalloc-large");
	assert_int_equal(st.objs_inuse, 2);
	assert_int_equal(st.bytes, 3 * 4096);
	kfree(big);
	kfree(bigger);
	assert_int_equal(stats_of("kmalloc-large").objs_inuse, 0);
}

static void test_poison_and_uaf(void **state)
{
	(void)state;
	uint8_t *p = kmalloc(64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], SLAB_POISON_FREE);
	memset(p, 0, 64);
	kfree(p);
	for (int i = 8; i < 64; i++)
		assert_int_equal(p[i], SLAB_POISON_FREE);
	p[20] = 0x42; /* write after free */
	char want[160];
	snprintf(want, sizeof want,
		 "use after free: %p (offset 20 of free object %p in cache "
		 "'kmalloc-64') was written: 0x42",
		 (void *)(p + 20), (void *)p);
	EXPECT_PANIC(kmalloc(64), want);
}

/* check_poison compares 8 bytes at a time: a write in the last word, or
 * in the tail of a size that is not a multiple of 8, is still named to
 * the exact byte. */
static void test_poison_last_bytes(void **state)
{
	(void)state;
	struct kmem_cache *c = kmem_cache_create("odd-21", 21, 1);
	uint8_t *p = kmem_cache_alloc(c);
	kmem_cache_free(c, p);
	p[20] = 0x43; /* the 5-byte tail after two whole words */
	char want[160];
	snprintf(want, sizeof want,
		 "use after free: %p (offset 20 of free object %p in cache "
		 "'odd-21') was written: 0x43",
		 (void *)(p + 20), (void *)p);
	EXPECT_PANIC(kmem_cache_alloc(c), want);
	uint8_t *q = kmalloc(2048);
	kfree(q);
	q[2047] = 0x44; /* the last byte of the last word */
	snprintf(want, sizeof want,
		 "use after free: %p (offset 2047 of free object %p in cache "
		 "'kmalloc-2048') was written: 0x44",
		 (void *)(q + 2047), (void *)q);
	EXPECT_PANIC(kmalloc(2048), want);
}

static void test_freelist_overwrite(void **state)
{
	(void)state;
	uint8_t *a = kmalloc(32), *b = kmalloc(32);
	kfree(a);
	kfree(b);
	memset(b, 0x11, 8); /* b is the free-list head; smash its link */
	EXPECT_PANIC(kmalloc(32), "overwritten with 0x1111111111111111");
}

static void test_no_poison(void **state)
{
	(void)state;
	start(0);
	uint8_t *p = kmalloc(64);
	kfree(p);
	p[20] = 0x42;
	assert_ptr_equal(kmalloc(64), p); /* not checked, not detected */
}

static void test_double_free_and_bad_pointers(void **state)
{
	(void)state;
	static int not_heap;
	char want[160];
	uint8_t *p = kmalloc(50), *q = kmalloc(50);
	kfree(p);
	snprintf(want, sizeof want, "double free of %p in cache 'kmalloc-64'",
		 (void *)p);
	EXPECT_PANIC(kfree(p), want);
	snprintf(want, sizeof want,
		 "bad pointer %p: not the start of an object in cache "
		 "'kmalloc-64'",
		 (void *)(q + 8));
	EXPECT_PANIC(kfree(q + 8), want);
	EXPECT_PANIC(kfree(&not_heap), "not a live heap block");
	EXPECT_PANIC(ksize(&not_heap), "ksize(");
	uint8_t *big = kmalloc(3 * 4096);
	EXPECT_PANIC(kfree(big + 16), "points into a 4-page kmalloc block");
	EXPECT_PANIC(kfree(big + 4096), "not a live heap block");
	kfree(big);
	EXPECT_PANIC(kfree(big), "not a live heap block");
	struct kmem_cache *c = kmem_cache_create("thing", 40, 8);
	snprintf(want, sizeof want,
		 "%p belongs to cache 'kmalloc-64', not 'thing'", (void *)q);
	EXPECT_PANIC(kmem_cache_free(c, q), want);
	void *o = kmem_cache_alloc(c);
	EXPECT_PANIC(kmem_cache_destroy(c), "'thing' with 1 objects in use");
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	EXPECT_PANIC(kmem_cache_create("huge", 9000, 8), "object size 9000");
	EXPECT_PANIC(kmem_cache_create("odd", 64, 24), "bad alignment 24");
}

static void test_cache_stats_exact(void **state)
{
	(void)state;
	struct kmem_cache *c = kmem_cache_create("task", 200, 64);
	void *objs[100];
	struct kmem_cache_stats st;
	kmem_cache_stats(c, &st);
	assert_string_equal(st.name, "task");
	assert_int_equal(st.obj_size, 256);
	assert_int_equal(st.slabs, 0);
	unsigned per = st.objs_per_slab;
	assert_true(per >= 14); /* (4096 << order) minus a header */
	for (int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(c);
		assert_int_equal((uintptr_t)objs[i] % 64, 0);
	}
	kmem_cache_stats(c, &st);
	uint64_t slabs = (100 + per - 1) / per;
	assert_int_equal(st.objs_inuse, 100);
	assert_int_equal(st.slabs, slabs);
	assert_int_equal(st.objs_free, slabs * per - 100);
	assert_int_equal(st.bytes, slabs * (4096u << st.slab_order));
	assert_int_equal(st.allocs, 100);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_stats(c, &st);
	assert_int_equal(st.objs_inuse, 0);
	assert_int_equal(st.slabs, 1); /* one empty slab is kept */
	assert_int_equal(st.frees, 100);
	kmem_cache_destroy(c);
	/* slab geometry: tiny objects fill one page, 2 KiB ones take 4 */
	struct kmem_cache *tiny = kmem_cache_create("tiny", 1, 0);
	kmem_cache_stats(tiny, &st);
	assert_int_equal(st.obj_size, 8);
	assert_int_equal(st.slab_order, 0);
	assert_true(st.objs_per_slab >= 490);
	kmem_cache_destroy(tiny);
	st = stats_of("kmalloc-2048");
	assert_int_equal(st.slab_order, 2);
	assert_int_equal(st.objs_per_slab, 7);
	struct kmem_cache_stats none = {0};
	find_stats_name = "task";
	find_stats_result = none;
	kmem_for_each_cache(find_fn, NULL);
	assert_null(find_stats_result.name);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	char *p = kmalloc(100);
	strcpy(p, "keep me");
	fail_after = 0;
	assert_null(kmalloc(3000));
	assert_null(kmalloc(16)); /* kmalloc-16 has no slab yet */
	assert_null(krealloc(p, 5000));
	assert_string_equal(p, "keep me");
	assert_null(kmem_cache_create("x", 32, 0));
	fail_after = -1;
	p = krealloc(p, 5000);
	assert_string_equal(p, "keep me");
	assert_ptr_equal(krealloc(p, 10), p); /* shrinking stays in place */
	assert_null(krealloc(p, 0));
	char *z = kzalloc(300);
	for (int i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	kfree(z);
}

/* ---- randomized against a shadow model ---- */

#define NLIVE 2000
struct live {
	uint8_t *p;
	size_t n;     /* bytes in use */
	size_t block; /* ksize: its class, or its pages for large ones */
	uint8_t fill;
};

static size_t class_of(size_t n)
{
	size_t c = 16;
	while (c < n)
		c <<= 1;
	return c;
}

static size_t expected_block(size_t n)
{
	size_t pages = 1;
	if (n <= KMALLOC_MAX)
		return class_of(n);
	while (pages * 4096 < n)
		pages <<= 1;
	return pages * 4096;
}

static void check_block(const struct live *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->p[i] != l->fill)
			fail_msg("block %p (%zu bytes) corrupted at %zu",
				 (void *)l->p, l->n, i);
}

static size_t random_size(void)
{
	int r = rand() % 100;
	if (r < 85)
		return 1 + (size_t)rand() % 300;
	if (r < 97)
		return 1 + (size_t)rand() % 2048;
	return 2049 + (size_t)rand() % 30000;
}

static void check_class_counts(const struct live *l, size_t n)
{
	uint64_t want[12] = {0};
	for (size_t i = 0; i < n; i++)
		if (l[i].block <= KMALLOC_MAX) {
			size_t c = l[i].block, k = 0;
			while ((16u << k) < c)
				k++;
			want[k]++;
		} else {
			want[11]++;
		}
	for (unsigned k = 0; k < 8; k++) {
		char name[32];
		snprintf(name, sizeof name, "kmalloc-%u", 16u << k);
		assert_int_equal(stats_of(name).objs_inuse, want[k]);
	}
	assert_int_equal(stats_of("kmalloc-large").objs_inuse, want[11]);
}

static void model_op(struct live *l, size_t *n)
{
	int r = rand() % 100;
	if (*n && (r < 40 || *n == NLIVE)) {
		size_t i = (size_t)rand() % *n;
		check_block(&l[i]);
		kfree(l[i].p);
		l[i] = l[--*n];
	} else if (*n && r < 55) {
		size_t i = (size_t)rand() % *n, m = random_size();
		check_block(&l[i]);
		uint8_t *old = l[i].p;
		l[i].p = krealloc(l[i].p, m);
		assert_non_null(l[i].p);
		if (m <= l[i].block) /* fits: must stay in place */
			assert_ptr_equal(l[i].p, old);
		else
			l[i].block = expected_block(m);
		assert_int_equal(ksize(l[i].p), l[i].block);
		l[i].n = l[i].n < m ? l[i].n : m; /* the kept prefix */
		check_block(&l[i]);
		memset(l[i].p, l[i].fill, m);
		l[i].n = m;
	} else {
		size_t m = random_size();
		l[*n].p = kmalloc(m);
		l[*n].n = m;
		l[*n].fill = (uint8_t)rand();
		assert_non_null(l[*n].p);
		l[*n].block = expected_block(m);
		assert_int_equal(ksize(l[*n].p), l[*n].block);
		memset(l[*n].p, l[*n].fill, m);
		++*n;
	}
}

static void test_random_shadow(void **state)
{
	(void)state;
	static struct live l[NLIVE];
	size_t n = 0;
	srand(1234);
	for (int op = 0; op < 30000; op++) {
		model_op(l, &n);
		if (op % 1000 == 0)
			check_class_counts(l, n);
	}
	check_class_counts(l, n);
	while (n) {
		check_block(&l[n - 1]);
		kfree(l[--n].p);
	}
	check_class_counts(l, 0);
	/* every page went back except at most one empty slab per cache */
	uint64_t held = slab_bytes_held();
	assert_int_equal(pmm_free_pages() * 4096 + held,
			 pmm_free_at_start * 4096);
	assert_true(held <= 9 * 8 * 4096);
	pmm_verify();
}

struct names {
	const char *names[16];
	int n;
};

static void names_fn(void *ctx, const struct kmem_cache_stats *st)
{
	struct names *got = ctx;
	if (got->n < 16)
		got->names[got->n++] = st->name;
}

static void test_iterator_lists_all(void **state)
{
	(void)state;
	static const char *const want[] = {
	    "kmalloc-16",  "kmalloc-32",  "kmalloc-64",	  "kmalloc-128",
	    "kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
	    "kmem_cache",  "mine",	  "kmalloc-large"};
	struct names got = {.n = 0};
	assert_non_null(kmem_cache_create("mine", 24, 0));
	kmem_for_each_cache(names_fn, &got);
	assert_int_equal(got.n, 11);
	for (int i = 0; i < 11; i++)
		assert_string_equal(got.names[i], want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_size_classes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_poison_and_uaf, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_poison_last_bytes, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_freelist_overwrite, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_no_poison, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_double_free_and_bad_pointers,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_stats_exact, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_random_shadow, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_iterator_lists_all, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
