/* ext2_file.c — file data: reads (holes read as zeros, read-ahead of the
 * blocks that follow on a miss), writes that allocate as they go, and
 * truncation in both directions. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define READAHEAD_BLOCKS 64 /* blocks mapped ahead after a cache miss */
#define EXT2_MAX_BLOCK 4096

static const uint8_t zeros[EXT2_MAX_BLOCK];

/* On a miss at lblk: read the file's next blocks in as few device
 * commands as their placement allows. Failures are left to the read. */
static void readahead(struct ext2_fs *fs, uint32_t ino,
		      const struct ext2_inode *in, uint64_t lblk, uint64_t end)
{
	uint32_t start = 0, run = 0, meta[3];
	if (end > lblk + READAHEAD_BLOCKS)
		end = lblk + READAHEAD_BLOCKS;
	for (uint64_t l = lblk; l < end; l++) {
		uint32_t p;
		if (ext2_map(fs, ino, in, l, &p, meta) || !p)
			break;
		if (run && p == start + run) {
			run++;
			continue;
		}
		if (run)
			bcache_prefetch(fs->bc, start, run);
		start = p;
		run = 1;
	}
	if (run)
		bcache_prefetch(fs->bc, start, run);
}

/* ino's inode for reading or changing its data (not a directory's). */
static int data_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		      bool change)
{
	if (change && fs->readonly)
		return -EROFS;
	int rc = ext2_iget(fs, ino, in);
	return rc ? rc : ext2_is_dir(in) ? -EISDIR : 0;
}

long ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t n,
	       ext2_copy_fn copy, void *ctx)
{
	struct ext2_inode in;
	int rc = data_inode(fs, ino, &in, false);
	if (rc)
		return rc;
	uint64_t size = ext2_isize(&in), bs = fs->block_size;
	if (off >= size)
		return 0;
	if (n > size - off)
		n = (size_t)(size - off);
	size_t done = 0;
	while (done < n && !rc) {
		uint64_t pos = off + done, lblk = pos / bs;
		size_t boff = (size_t)(pos % bs);
		size_t chunk = bs - boff < n - done ? bs - boff : n - done;
		uint32_t pblk, meta[3];
		struct buf *b = 0;
		if ((rc = ext2_map(fs, ino, &in, lblk, &pblk, meta)))
			break;
		if (pblk && !bcache_cached(fs->bc, pblk))
			readahead(fs, ino, &in, lblk, (size + bs - 1) / bs);
		if (pblk && (rc = ext2_bread(fs, ino, pblk, &b)))
			break;
		rc = copy(ctx, done, b ? b->data + boff : (void *)zeros, chunk);
		bcache_put(fs->bc, b);
		if (!rc)
			done += chunk;
	}
	return done ? (long)done : rc;
}

/* Write one block's part [boff, boff + chunk) of logical block lblk. */
static int write_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		       uint64_t lblk, size_t boff, size_t chunk,
		       ext2_copy_fn copy, void *ctx, size_t done)
{
	uint32_t pblk;
	bool fresh;
	struct buf *b;
	int rc = ext2_bmap(fs, ino, in, lblk, true, &pblk, &fresh);
	if (rc)
		return rc;
	bool whole = boff == 0 && chunk == fs->block_size;
	rc = fresh || whole ? ext2_bzero(fs, ino, pblk, &b)
			    : ext2_bread(fs, ino, pblk, &b);
	if (rc)
		return rc;
	rc = copy(ctx, done, b->data + boff, chunk);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return rc;
}

long ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t n,
		ext2_copy_fn copy, void *ctx)
{
	struct ext2_inode in;
	int rc = data_inode(fs, ino, &in, true);
	if (rc)
		return rc;
	uint64_t bs = fs->block_size, limit = ext2_max_blocks(fs) * bs;
	if (off >= limit)
		return n ? -EFBIG : 0;
	if (n > limit - off)
		n = (size_t)(limit - off);
	uint64_t size = ext2_isize(&in);
	size_t done = 0;
	while (done < n) {
		uint64_t pos = off + done;
		size_t boff = (size_t)(pos % bs);
		size_t chunk = bs - boff < n - done ? bs - boff : n - done;
		rc = write_block(fs, ino, &in, pos / bs, boff, chunk, copy, ctx,
				 done);
		if (rc)
			break;
		done += chunk;
	}
	if (off + done > size &&
	    (rc = ext2_set_isize(fs, &in, off + done)) == 0)
		size = off + done;
	if (rc) /* a block allocated past the final size goes again */
		ext2_free_from(fs, ino, &in, (size + bs - 1) / bs);
	if (done)
		in.i_mtime = in.i_ctime = ext2_time(fs);
	int wrc = ext2_iput(fs, ino, &in);
	return done ? (long)done : (rc ? rc : wrc);
}

/* Zero the part of the last block past the new end of file, so that a
 * later extension reads zeros there. */
static int zero_tail(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		     uint64_t size)
{
	uint32_t pblk, meta[3];
	uint64_t bs = fs->block_size;
	struct buf *b;
	if (size % bs == 0)
		return 0;
	int rc = ext2_map(fs, ino, in, size / bs, &pblk, meta);
	if (rc || !pblk || (rc = ext2_bread(fs, ino, pblk, &b)))
		return rc;
	memset(b->data + size % bs, 0, bs - size % bs);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return 0;
}

int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size)
{
	struct ext2_inode in;
	int rc = data_inode(fs, ino, &in, true);
	if (rc)
		return rc;
	uint64_t bs = fs->block_size;
	if (size > ext2_max_blocks(fs) * bs)
		return -EFBIG;
	if (size < ext2_isize(&in)) {
		rc = ext2_free_from(fs, ino, &in, (size + bs - 1) / bs);
		if (!rc)
			rc = zero_tail(fs, ino, &in, size);
	}
	if (!rc)
		rc = ext2_set_isize(fs, &in, size);
	in.i_mtime = in.i_ctime = ext2_time(fs);
	int wrc = ext2_iput(fs, ino, &in);
	return rc ? rc : wrc;
}
