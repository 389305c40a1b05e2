/* ext2_bmap.c — block maps: 12 direct blocks, then single, double and
 * triple indirect blocks; mapping, allocation on write, freeing on
 * truncate. A block number outside the file system or an indirect block
 * that points back at one of its parents is reported, never followed. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define MAX_DEPTH 3

uint64_t ext2_max_blocks(const struct ext2_fs *fs)
{
	uint64_t a = fs->addr_per_block;
	return EXT2_NDIR_BLOCKS + a + a * a + a * a * a;
}

/* Split lblk into the i_block slot and the index at each indirect level:
 * the depth (0 direct .. 3 triple), or -EFBIG beyond the map. */
static int split(const struct ext2_fs *fs, uint64_t lblk, uint32_t *slot,
		 uint32_t idx[MAX_DEPTH])
{
	uint64_t a = fs->addr_per_block;
	if (lblk < EXT2_NDIR_BLOCKS) {
		*slot = (uint32_t)lblk;
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < a) {
		*slot = EXT2_IND_BLOCK;
		idx[0] = (uint32_t)lblk;
		return 1;
	}
	lblk -= a;
	if (lblk < a * a) {
		*slot = EXT2_DIND_BLOCK;
		idx[0] = (uint32_t)(lblk / a);
		idx[1] = (uint32_t)(lblk % a);
		return 2;
	}
	lblk -= a * a;
	if (lblk < a * a * a) {
		*slot = EXT2_TIND_BLOCK;
		idx[0] = (uint32_t)(lblk / (a * a));
		idx[1] = (uint32_t)(lblk / a % a);
		idx[2] = (uint32_t)(lblk % a);
		return 3;
	}
	return -EFBIG;
}

static uint32_t *entries(struct buf *b)
{
	return (uint32_t *)b->data;
}

/* Check that blk can be followed from a path holding seen[0..n). */
static int check_ptr(struct ext2_fs *fs, uint32_t ino, uint32_t blk,
		     const uint32_t *seen, int n)
{
	if (!ext2_valid_block(fs, blk))
		return ext2_corrupt(fs, ino, blk,
				    "block number outside the file system "
				    "(%u blocks)",
				    fs->blocks);
	for (int i = 0; i < n; i++)
		if (seen[i] == blk)
			return ext2_corrupt(fs, ino, blk,
					    "indirect block loop: points "
					    "back at its own parent");
	return 0;
}

int ext2_map(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in,
	     uint64_t lblk, uint32_t *pblk, uint32_t meta[MAX_DEPTH])
{
	uint32_t slot, idx[MAX_DEPTH];
	int depth = split(fs, lblk, &slot, idx);
	if (depth < 0)
		return depth;
	uint32_t blk = in->i_block[slot];
	for (int l = 0; l < depth && blk; l++) {
		int rc = check_ptr(fs, ino, blk, meta, l);
		if (rc)
			return rc;
		meta[l] = blk;
		struct buf *b;
		if ((rc = ext2_bread(fs, ino, blk, &b)))
			return rc;
		blk = entries(b)[idx[l]];
		bcache_put(fs->bc, b);
	}
	for (int l = depth; l < MAX_DEPTH; l++)
		meta[l] = 0;
	if (blk && !ext2_valid_block(fs, blk))
		return ext2_corrupt(fs, ino, blk,
				    "data block number outside the file "
				    "system (logical block %lu)",
				    (unsigned long)lblk);
	*pblk = blk;
	return 0;
}

/* Free blocks[0..n) (allocated but not linked: an allocation rolled
 * back). */
static void unalloc(struct ext2_fs *fs, uint32_t ino, const uint32_t *blocks,
		    int n)
{
	for (int i = 0; i < n; i++)
		ext2_bfree(fs, ino, blocks[i]);
}

/* Allocate the n blocks a path needs below `from` (its indirect blocks
 * and the data block, in that order), zero the indirect ones and chain
 * them: fresh[k] holds fresh[k+1] at idx[k]. */
static int alloc_chain(struct ext2_fs *fs, uint32_t ino, uint32_t goal, int n,
		       const uint32_t *idx, uint32_t *fresh)
{
	for (int k = 0; k < n; k++) {
		int rc = ext2_balloc(fs, ino, goal, &fresh[k]);
		if (rc) {
			unalloc(fs, ino, fresh, k);
			return rc;
		}
		goal = fresh[k] + 1;
	}
	for (int k = 0; k + 1 < n; k++) {
		struct buf *b;
		int rc = ext2_bzero(fs, ino, fresh[k], &b);
		if (rc) {
			unalloc(fs, ino, fresh, n);
			return rc;
		}
		entries(b)[idx[k]] = fresh[k + 1];
		bcache_put(fs->bc, b);
	}
	return 0;
}

/* Where to look for a new block of lblk: right after the previous
 * logical block's, else the inode's group. */
static uint32_t goal_for(struct ext2_fs *fs, uint32_t ino,
			 const struct ext2_inode *in, uint64_t lblk)
{
	uint32_t prev = 0, meta[MAX_DEPTH];
	if (lblk && ext2_map(fs, ino, in, lblk - 1, &prev, meta) == 0 && prev)
		return prev + 1;
	return fs->first_data + ((ino - 1) / fs->ipg) * fs->bpg;
}

/* Allocate the missing part of lblk's path from level l (blk's holder:
 * parent buffer, or the inode slot when parent is NULL). */
static int grow(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		uint64_t lblk, int depth, int l, const uint32_t *idx,
		struct buf *parent, uint32_t slot, uint32_t *pblk)
{
	uint32_t fresh[MAX_DEPTH + 1];
	int n = depth - l + 1;
	int rc = alloc_chain(fs, ino, goal_for(fs, ino, in, lblk), n, idx + l,
			     fresh);
	if (rc)
		return rc;
	if (parent) {
		entries(parent)[idx[l - 1]] = fresh[0];
		bcache_dirty(fs->bc, parent);
	} else {
		in->i_block[slot] = fresh[0];
	}
	in->i_blocks += (uint32_t)n * (fs->block_size / 512);
	*pblk = fresh[n - 1];
	return 0;
}

int ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
	      uint64_t lblk, bool alloc, uint32_t *pblk, bool *fresh)
{
	uint32_t slot, idx[MAX_DEPTH], seen[MAX_DEPTH];
	int depth = split(fs, lblk, &slot, idx);
	*fresh = false;
	if (depth < 0)
		return depth;
	uint32_t blk = in->i_block[slot];
	struct buf *parent = 0;
	int l = 0, rc = 0;
	for (; l < depth && blk; l++) {
		if ((rc = check_ptr(fs, ino, blk, seen, l)))
			break;
		seen[l] = blk;
		bcache_put(fs->bc, parent);
		if ((rc = ext2_bread(fs, ino, blk, &parent)))
			return rc;
		blk = entries(parent)[idx[l]];
	}
	if (!rc && blk && !ext2_valid_block(fs, blk))
		rc = ext2_corrupt(fs, ino, blk,
				  "data block number outside the file system");
	if (!rc && !blk && alloc) {
		rc = grow(fs, ino, in, lblk, depth, l, idx, l ? parent : 0,
			  slot, &blk);
		*fresh = rc == 0;
	}
	bcache_put(fs->bc, parent);
	*pblk = rc ? 0 : blk;
	return rc;
}

/* ---- freeing ---- */

static int free_one(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		    uint32_t blk)
{
	int rc = ext2_bfree(fs, ino, blk);
	if (!rc)
		in->i_blocks -= fs->block_size / 512;
	return rc;
}

/* Free the children of indirect block blk (level 1..3) whose logical
 * index within it is >= keep, and blk itself when nothing is left.
 * *empty says whether blk was freed. */
static int trunc_tree(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		      uint32_t blk, int level, uint64_t keep, uint32_t *seen,
		      int nseen, bool *empty)
{
	struct buf *b;
	int rc = check_ptr(fs, ino, blk, seen, nseen);
	if (rc || (rc = ext2_bread(fs, ino, blk, &b)))
		return rc;
	seen[nseen] = blk;
	uint64_t span = 1;
	for (int i = 1; i < level; i++)
		span *= fs->addr_per_block;
	bool any = false;
	for (uint32_t i = 0; i < fs->addr_per_block && !rc; i++) {
		uint32_t child = entries(b)[i];
		uint64_t start = i * span;
		if (!child)
			continue;
		bool gone = true;
		if (start + span <= keep)
			gone = false;
		else if (level > 1)
			rc = trunc_tree(fs, ino, in, child, level - 1,
					keep > start ? keep - start : 0, seen,
					nseen + 1, &gone);
		else
			rc = free_one(fs, ino, in, child);
		if (!rc && gone) {
			entries(b)[i] = 0;
			bcache_dirty(fs->bc, b);
		}
		any |= !gone || rc;
	}
	bcache_put(fs->bc, b);
	*empty = !any && !rc;
	if (*empty)
		rc = free_one(fs, ino, in, blk);
	return rc;
}

int ext2_free_from(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		   uint64_t keep)
{
	uint64_t a = fs->addr_per_block, start = EXT2_NDIR_BLOCKS, span = a;
	int rc = 0;
	for (uint64_t i = keep; i < EXT2_NDIR_BLOCKS && !rc; i++)
		if (in->i_block[i] &&
		    !(rc = free_one(fs, ino, in, in->i_block[i])))
			in->i_block[i] = 0;
	for (int level = 1; level <= MAX_DEPTH && !rc; level++) {
		uint32_t slot = EXT2_NDIR_BLOCKS + level - 1;
		uint32_t seen[MAX_DEPTH + 1];
		bool empty = false;
		if (in->i_block[slot] && keep < start + span) {
			rc = trunc_tree(fs, ino, in, in->i_block[slot], level,
					keep > start ? keep - start : 0, seen,
					0, &empty);
			if (!rc && empty)
				in->i_block[slot] = 0;
		}
		start += span;
		span *= a;
	}
	return rc;
}
