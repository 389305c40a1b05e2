/* test_bcache.c — the buffer cache over a memory device that counts its
 * commands: hits and misses, LRU reuse, write-back of dirty blocks (in
 * runs, on reuse and on sync), read-ahead, pins, device errors. */
#include <stdlib.h>
#include <string.h>

#include "fs/bcache.h"
#include "kernel/lib/errno.h"
#include "tests/unit/harness.h"

#define BS 1024
#define NBLK 256
#define NBUF 8

static uint8_t disk[NBLK * BS];
static int reads, writes, flushes, fail_at = -1;
static unsigned last_write_count;

static int mread(struct blkdev *d, uint64_t s, unsigned n, void *buf)
{
	(void)d;
	reads++;
	if (fail_at >= 0 && (uint64_t)fail_at >= s / 2 &&
	    (uint64_t)fail_at < (s + n) / 2)
		return -EIO;
	memcpy(buf, disk + s * 512, n * 512);
	return 0;
}

static int mwrite(struct blkdev *d, uint64_t s, unsigned n, const void *buf)
{
	(void)d;
	writes++;
	last_write_count = n / 2;
	memcpy(disk + s * 512, buf, n * 512);
	return 0;
}

static int mflush(struct blkdev *d)
{
	(void)d;
	flushes++;
	return 0;
}

static struct blkdev dev = {"mem", NBLK * 2, mread, mwrite, mflush, 0};
static struct bcache c;
static struct buf bufs[NBUF];
static struct buf *hash[16];
static uint8_t data[NBUF][BS], bounce[8 * BS];

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < NBLK * BS; i++)
		disk[i] = (uint8_t)(i / BS);
	reads = writes = flushes = 0;
	fail_at = -1;
	for (int i = 0; i < NBUF; i++)
		bufs[i].data = data[i];
	assert_int_equal(bcache_init(&c, &dev, BS, bufs, NBUF, hash, 16, bounce,
				     sizeof bounce),
			 0);
	return 0;
}

static struct buf *get(uint64_t b)
{
	int err = 0;
	struct buf *x = bcache_get(&c, b, &err);
	assert_non_null(x);
	return x;
}

static void test_hits_misses_lru(void **state)
{
	(void)state;
	for (int b = 0; b < NBUF; b++)
		bcache_put(&c, get((uint64_t)b));
	assert_int_equal(c.st.misses, NBUF);
	bcache_put(&c, get(0)); /* hit; 0 becomes most recent */
	assert_int_equal(c.st.hits, 1);
	bcache_put(&c, get(100)); /* reuses the least recent: 1 */
	assert_true(bcache_cached(&c, 0));
	assert_false(bcache_cached(&c, 1));
	struct buf *x = get(100);
	assert_int_equal(x->data[0], 100);
	bcache_put(&c, x);
	assert_int_equal(reads, NBUF + 1);
}

static void test_pinned_never_reused(void **state)
{
	(void)state;
	struct buf *pinned[NBUF];
	for (int b = 0; b < NBUF; b++)
		pinned[b] = get((uint64_t)b);
	int err = 0;
	assert_null(bcache_get(&c, 50, &err));
	assert_int_equal(err, -ENOMEM);
	assert_int_equal(bcache_pinned(&c), NBUF);
	for (int b = 0; b < NBUF; b++)
		bcache_put(&c, pinned[b]);
	assert_int_equal(bcache_pinned(&c), 0);
}

static void test_write_back_in_runs(void **state)
{
	(void)state;
	for (int b = 10; b < 14; b++) { /* four neighbours, dirty */
		int err;
		struct buf *x = bcache_get_zero(&c, (uint64_t)b, &err);
		memset(x->data, 0xa0 + b, BS);
		bcache_put(&c, x);
	}
	assert_int_equal(reads, 0); /* zeroed blocks are not read */
	assert_int_equal(c.ndirty, 4);
	assert_int_equal(disk[10 * BS], 10); /* not written yet */
	assert_int_equal(bcache_sync(&c), 0);
	assert_int_equal(writes, 1); /* one command for the run */
	assert_int_equal(last_write_count, 4);
	assert_int_equal(flushes, 1);
	for (int b = 10; b < 14; b++)
		assert_int_equal(disk[b * BS + 7], 0xa0 + b);
	assert_int_equal(c.ndirty, 0);
	assert_int_equal(bcache_sync(&c), 0);
	assert_int_equal(writes, 1);
}

static void test_dirty_written_before_reuse(void **state)
{
	(void)state;
	struct buf *x = get(5);
	x->data[0] = 0x55;
	bcache_dirty(&c, x);
	bcache_put(&c, x);
	for (int b = 20; b < 20 + NBUF; b++)
		bcache_put(&c, get((uint64_t)b));
	assert_int_equal(c.st.dirty_evictions, 1);
	assert_int_equal(disk[5 * BS], 0x55);
	assert_false(bcache_cached(&c, 5));
}

static void test_prefetch_one_command(void **state)
{
	(void)state;
	bcache_put(&c, get(31));
	reads = 0;
	assert_int_equal(bcache_prefetch(&c, 30, 5), 0); /* 30, 32-34 */
	assert_int_equal(reads, 2);
	for (int b = 30; b < 35; b++)
		assert_true(bcache_cached(&c, (uint64_t)b));
	struct buf *x = get(33);
	assert_int_equal(x->data[BS - 1], 33);
	bcache_put(&c, x);
	assert_int_equal(reads, 2);
}

static void test_errors(void **state)
{
	(void)state;
	int err = 0;
	fail_at = 7;
	assert_null(bcache_get(&c, 7, &err));
	assert_int_equal(err, -EIO);
	assert_false(bcache_cached(&c, 7));
	assert_int_equal(bcache_pinned(&c), 0);
	assert_null(bcache_get(&c, NBLK, &err));
	assert_int_equal(err, -ERANGE);
	assert_int_equal(bcache_sync_if_due(&c, 1000, 5000), 0);
	struct buf *x = get(3);
	bcache_dirty(&c, x);
	bcache_put(&c, x);
	assert_int_equal(bcache_sync_if_due(&c, 2000, 5000), 0);
	assert_int_equal(writes, 0); /* not yet due */
	assert_int_equal(bcache_sync_if_due(&c, 7000, 5000), 0);
	assert_int_equal(writes, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_hits_misses_lru, setup),
	    cmocka_unit_test_setup(test_pinned_never_reused, setup),
	    cmocka_unit_test_setup(test_write_back_in_runs, setup),
	    cmocka_unit_test_setup(test_dirty_written_before_reuse, setup),
	    cmocka_unit_test_setup(test_prefetch_one_command, setup),
	    cmocka_unit_test_setup(test_errors, setup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
