/* bcache.c — the buffer cache: a hash of blocks, an LRU list, write-back
 * of dirty blocks in runs (see bcache.h). */
#include "fs/bcache.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define RUN_MAX 64 /* blocks in one run read or written */

static unsigned hash_of(const struct bcache *c, uint64_t block)
{
	return (unsigned)((block * 0x9e3779b97f4a7c15ULL) >> 32) & c->hmask;
}

static void lru_unlink(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void lru_push_front(struct bcache *c, struct buf *b)
{
	b->next = c->lru.next;
	b->prev = &c->lru;
	c->lru.next->prev = b;
	c->lru.next = b;
}

static void hash_remove(struct bcache *c, struct buf *b)
{
	struct buf **p = &c->hash[hash_of(c, b->block)];
	while (*p && *p != b)
		p = &(*p)->hnext;
	if (*p)
		*p = b->hnext;
	b->hnext = 0;
}

static void hash_insert(struct bcache *c, struct buf *b)
{
	unsigned h = hash_of(c, b->block);
	b->hnext = c->hash[h];
	c->hash[h] = b;
}

static struct buf *lookup(struct bcache *c, uint64_t block)
{
	for (struct buf *b = c->hash[hash_of(c, block)]; b; b = b->hnext)
		if (b->block == block && b->valid)
			return b;
	return 0;
}

int bcache_init(struct bcache *c, struct blkdev *dev, unsigned block_size,
		struct buf *bufs, unsigned nbuf, struct buf **hash,
		unsigned nhash, uint8_t *bounce, size_t bounce_bytes)
{
	if (!block_size || block_size % BLK_SECTOR || !nbuf || !nhash ||
	    (nhash & (nhash - 1)) || bounce_bytes < block_size)
		return -EINVAL;
	memset(c, 0, sizeof *c);
	c->dev = dev;
	c->block_size = block_size;
	c->spb = block_size / BLK_SECTOR;
	c->nblocks = dev->sectors / c->spb;
	c->bufs = bufs;
	c->nbuf = nbuf;
	c->hash = hash;
	c->hmask = nhash - 1;
	c->bounce = bounce;
	c->bounce_blocks = (unsigned)(bounce_bytes / block_size);
	memset(hash, 0, nhash * sizeof *hash);
	c->lru.next = c->lru.prev = &c->lru;
	for (unsigned i = 0; i < nbuf; i++) {
		bufs[i].valid = bufs[i].dirty = false;
		bufs[i].refs = 0;
		bufs[i].hnext = 0;
		lru_push_front(c, &bufs[i]);
	}
	return 0;
}

/* Write the blocks of bufs run[0..n) (consecutive block numbers). */
static int write_blocks(struct bcache *c, struct buf **run, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		memcpy(c->bounce + (size_t)i * c->block_size, run[i]->data,
		       c->block_size);
	c->st.writes++;
	int rc = c->dev->write(c->dev, run[0]->block * c->spb, n * c->spb,
			       c->bounce);
	if (rc) {
		c->st.errors++;
		return rc;
	}
	c->st.written_blocks += n;
	for (unsigned i = 0; i < n; i++) {
		run[i]->dirty = false;
		c->ndirty--;
	}
	return 0;
}

static struct buf *dirty_at(struct bcache *c, uint64_t block)
{
	struct buf *b = lookup(c, block);
	return b && b->dirty ? b : 0;
}

/* Write b and the dirty blocks next to it, bounce_blocks per command. */
static int write_run(struct bcache *c, struct buf *b)
{
	struct buf *run[RUN_MAX];
	unsigned max = c->bounce_blocks < RUN_MAX ? c->bounce_blocks : RUN_MAX;
	while (b->block > 0 && dirty_at(c, b->block - 1))
		b = dirty_at(c, b->block - 1);
	int rc = 0;
	while (b && !rc) {
		unsigned n = 0;
		for (; b && n < max; b = dirty_at(c, b->block + 1))
			run[n++] = b;
		rc = write_blocks(c, run, n);
	}
	return rc;
}

/* A buffer to reuse: the least recently used unpinned one, written back
 * first when dirty. NULL with *err when none can be had. */
static struct buf *take_victim(struct bcache *c, int *err)
{
	for (struct buf *b = c->lru.prev; b != &c->lru; b = b->prev) {
		if (b->refs)
			continue;
		if (b->dirty) {
			c->st.dirty_evictions++;
			*err = write_run(c, b);
			if (*err)
				return 0;
		}
		if (b->valid) {
			c->st.evictions++;
			hash_remove(c, b);
			b->valid = false;
		}
		return b;
	}
	*err = -ENOMEM;
	return 0;
}

/* Claim a buffer for block (not yet valid), pinned and most recent. */
static struct buf *claim(struct bcache *c, uint64_t block, int *err)
{
	struct buf *b = take_victim(c, err);
	if (!b)
		return 0;
	b->block = block;
	b->refs = 1;
	lru_unlink(b);
	lru_push_front(c, b);
	return b;
}

static struct buf *get(struct bcache *c, uint64_t block, bool zero, int *err)
{
	if (block >= c->nblocks) {
		*err = -ERANGE;
		return 0;
	}
	struct buf *b = lookup(c, block);
	if (b) {
		c->st.hits++;
		b->refs++;
		lru_unlink(b);
		lru_push_front(c, b);
		if (zero) {
			memset(b->data, 0, c->block_size);
			bcache_dirty(c, b);
		}
		return b;
	}
	c->st.misses++;
	if (!(b = claim(c, block, err)))
		return 0;
	if (zero) {
		memset(b->data, 0, c->block_size);
	} else {
		c->st.reads++;
		*err = c->dev->read(c->dev, block * c->spb, c->spb, b->data);
		if (*err) {
			c->st.errors++;
			b->refs = 0;
			return 0;
		}
		c->st.read_blocks++;
	}
	b->valid = true;
	hash_insert(c, b);
	if (zero)
		bcache_dirty(c, b);
	return b;
}

struct buf *bcache_get(struct bcache *c, uint64_t block, int *err)
{
	c->busy = true;
	struct buf *b = get(c, block, false, err);
	c->busy = false;
	return b;
}

struct buf *bcache_get_zero(struct bcache *c, uint64_t block, int *err)
{
	c->busy = true;
	struct buf *b = get(c, block, true, err);
	c->busy = false;
	return b;
}

void bcache_put(struct bcache *c, struct buf *b)
{
	(void)c;
	if (b && b->refs)
		b->refs--;
}

void bcache_dirty(struct bcache *c, struct buf *b)
{
	if (!b->dirty) {
		b->dirty = true;
		c->ndirty++;
	}
}

static void release(struct buf **got, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		got[i]->refs = 0;
}

/* Read blocks [block, block + n) (none cached, n <= RUN_MAX and
 * bounce_blocks) in one command into fresh buffers. The buffers are
 * claimed first: writing back a victim uses the bounce buffer too. */
static int read_run(struct bcache *c, uint64_t block, unsigned n)
{
	struct buf *got[RUN_MAX];
	int rc = 0;
	for (unsigned i = 0; i < n; i++)
		if (!(got[i] = claim(c, block + i, &rc))) {
			release(got, i);
			return rc;
		}
	c->st.reads++;
	rc = c->dev->read(c->dev, block * c->spb, n * c->spb, c->bounce);
	if (rc) {
		c->st.errors++;
		release(got, n);
		return rc;
	}
	c->st.read_blocks += n;
	for (unsigned i = 0; i < n; i++) {
		memcpy(got[i]->data, c->bounce + (size_t)i * c->block_size,
		       c->block_size);
		got[i]->valid = true;
		hash_insert(c, got[i]);
	}
	release(got, n);
	return 0;
}

bool bcache_cached(struct bcache *c, uint64_t block)
{
	return lookup(c, block) != 0;
}

int bcache_prefetch(struct bcache *c, uint64_t block, unsigned n)
{
	int rc = 0;
	c->busy = true;
	if (block >= c->nblocks)
		n = 0;
	else if (n > c->nblocks - block)
		n = (unsigned)(c->nblocks - block);
	unsigned max =
	    c->bounce_blocks < c->nbuf / 2 ? c->bounce_blocks : c->nbuf / 2;
	max = max < RUN_MAX ? max : RUN_MAX;
	max = max ? max : 1;
	while (n && !rc) {
		if (lookup(c, block)) {
			block++, n--;
			continue;
		}
		unsigned run = 1;
		while (run < n && run < max && !lookup(c, block + run))
			run++;
		rc = read_run(c, block, run);
		block += run, n -= run;
	}
	c->busy = false;
	return rc;
}

int bcache_sync(struct bcache *c)
{
	int rc = 0;
	c->busy = true;
	c->st.syncs++;
	for (unsigned i = 0; i < c->nbuf && c->ndirty; i++) {
		struct buf *b = &c->bufs[i];
		if (b->valid && b->dirty) {
			int r = write_run(c, b);
			rc = rc ? rc : r;
		}
	}
	if (!rc && c->dev->flush && (rc = c->dev->flush(c->dev)))
		c->st.errors++;
	c->busy = false;
	return rc;
}

int bcache_sync_if_due(struct bcache *c, uint64_t now_ms, uint64_t interval_ms)
{
	if (!c->ndirty) {
		c->last_sync_ms = now_ms;
		return 0;
	}
	if (now_ms - c->last_sync_ms < interval_ms)
		return 0;
	c->last_sync_ms = now_ms;
	return bcache_sync(c);
}

unsigned bcache_drop(struct bcache *c)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < c->nbuf; i++) {
		struct buf *b = &c->bufs[i];
		if (!b->valid)
			continue;
		if (b->dirty || b->refs) {
			kept++;
			continue;
		}
		hash_remove(c, b);
		b->valid = false;
	}
	return kept;
}

unsigned bcache_pinned(const struct bcache *c)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->nbuf; i++)
		n += c->bufs[i].refs != 0;
	return n;
}
