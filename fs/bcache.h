/* bcache.h — the buffer cache: file-system blocks of one device kept in
 * memory, least recently used reused first, written back when dirty (on
 * sync, on a timer, before a buffer is reused). Pure logic: the memory
 * and the device come from the caller. */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/blkdev.h"

struct buf {
	uint64_t block;
	uint8_t *data;	   /* block_size bytes, set by the caller before init */
	struct buf *hnext; /* hash chain */
	struct buf *prev, *next; /* LRU list: most recently used first */
	unsigned refs;		 /* pinned while > 0: never reused */
	bool valid, dirty;
};

struct bcache_stats {
	uint64_t hits, misses;		     /* lookups */
	uint64_t reads, read_blocks;	     /* device commands, blocks */
	uint64_t writes, written_blocks;     /* device commands, blocks */
	uint64_t evictions, dirty_evictions; /* buffers reused */
	uint64_t syncs, errors;		     /* sync calls; failed I/O */
};

struct bcache {
	struct blkdev *dev;
	unsigned block_size, spb; /* bytes, sectors per block */
	uint64_t nblocks;	  /* whole blocks on the device */
	struct buf *bufs;
	unsigned nbuf, ndirty;
	struct buf **hash;
	unsigned hmask;	 /* hash size - 1 (a power of two) */
	struct buf lru;	 /* sentinel: lru.next most, lru.prev least recent */
	uint8_t *bounce; /* multi-block transfers go through here */
	unsigned bounce_blocks;
	struct bcache_stats st;
	uint64_t last_sync_ms;
	bool busy; /* inside a call (the debugger may have stopped it) */
};

/* Set up c over dev with blocks of block_size (a multiple of 512).
 * bufs[i].data must point at block_size bytes each; hash has nhash (a
 * power of two) slots; bounce holds bounce_bytes (>= block_size) for
 * runs of blocks. Returns 0 or -EINVAL. */
int bcache_init(struct bcache *c, struct blkdev *dev, unsigned block_size,
		struct buf *bufs, unsigned nbuf, struct buf **hash,
		unsigned nhash, uint8_t *bounce, size_t bounce_bytes);

/* Block `block`, read if not cached, pinned: NULL with *err = -EIO on a
 * device error or -ERANGE past the device's end (or when every buffer is
 * pinned: -ENOMEM). */
struct buf *bcache_get(struct bcache *c, uint64_t block, int *err);
/* Block `block` zero-filled and dirty without reading it (a block just
 * allocated), pinned. */
struct buf *bcache_get_zero(struct bcache *c, uint64_t block, int *err);
void bcache_put(struct bcache *c, struct buf *b);
void bcache_dirty(struct bcache *c, struct buf *b);
/* Whether block is in the cache now (no I/O, no statistics). */
bool bcache_cached(struct bcache *c, uint64_t block);
/* Read the uncached blocks of [block, block + n) in as few device
 * commands as possible (read-ahead). 0 or -EIO. */
int bcache_prefetch(struct bcache *c, uint64_t block, unsigned n);
/* Write every dirty block (contiguous ones in one command), then flush
 * the device's cache. 0, or -EIO (those blocks stay dirty). */
int bcache_sync(struct bcache *c);
/* Sync when dirty blocks are older than interval_ms by now_ms. */
int bcache_sync_if_due(struct bcache *c, uint64_t now_ms, uint64_t interval_ms);
/* Forget every clean unpinned block (tests, unmount): the next gets read
 * again. Returns how many buffers were still dirty or pinned. */
unsigned bcache_drop(struct bcache *c);
/* Buffers pinned now (tests check that nothing leaks a pin). */
unsigned bcache_pinned(const struct bcache *c);

#endif
