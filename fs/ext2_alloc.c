/* ext2_alloc.c — block and inode bitmaps: allocation near a goal, freeing,
 * and the free counts in the group descriptors and the superblock. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"

/* Add delta to the free blocks (or inodes) of group g and of the whole
 * file system; dirs changes bg_used_dirs_count. */
static int adjust_counts(struct ext2_fs *fs, uint32_t g, int blocks, int inodes,
			 int dirs)
{
	struct buf *gb, *sbb;
	struct ext2_group_desc *gd;
	struct ext2_super *sb;
	int rc = ext2_gd(fs, g, &gb, &gd);
	if (rc)
		return rc;
	if ((rc = ext2_sb(fs, &sbb, &sb))) {
		bcache_put(fs->bc, gb);
		return rc;
	}
	gd->bg_free_blocks_count =
	    (uint16_t)(gd->bg_free_blocks_count + blocks);
	gd->bg_free_inodes_count =
	    (uint16_t)(gd->bg_free_inodes_count + inodes);
	gd->bg_used_dirs_count = (uint16_t)(gd->bg_used_dirs_count + dirs);
	sb->s_free_blocks_count += (uint32_t)blocks;
	sb->s_free_inodes_count += (uint32_t)inodes;
	sb->s_wtime = ext2_time(fs);
	bcache_dirty(fs->bc, gb);
	bcache_dirty(fs->bc, sbb);
	bcache_put(fs->bc, gb);
	bcache_put(fs->bc, sbb);
	return 0;
}

/* The first clear bit in [from, n) of map, or n. */
static uint32_t find_clear(const uint8_t *map, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < n; i++) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff) {
			i += 7;
			continue;
		}
		if (!(map[i >> 3] & (1u << (i & 7))))
			return i;
	}
	return n;
}

/* Blocks in group g (the last group may be short). */
static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
	uint32_t start = fs->first_data + g * fs->bpg;
	return fs->blocks - start < fs->bpg ? fs->blocks - start : fs->bpg;
}

/* Take a free block in group g at or after bit `from`: 0 and *out, or
 * -ENOSPC when the group has none there. */
static int take_block(struct ext2_fs *fs, uint32_t ino, uint32_t g,
		      uint32_t from, uint32_t *out)
{
	struct buf *gb, *mb;
	struct ext2_group_desc *gd;
	int rc = ext2_gd(fs, g, &gb, &gd);
	if (rc)
		return rc;
	uint32_t map = gd->bg_block_bitmap, free = gd->bg_free_blocks_count;
	bcache_put(fs->bc, gb);
	if (!free)
		return -ENOSPC;
	if ((rc = ext2_bread(fs, ino, map, &mb)))
		return rc;
	uint32_t n = group_blocks(fs, g);
	uint32_t bit = find_clear(mb->data, from, n);
	if (bit == n && from)
		bit = find_clear(mb->data, 0, from);
	if (bit >= n) {
		bcache_put(fs->bc, mb);
		return ext2_corrupt(fs, 0, map,
				    "group %u counts %u free blocks, its "
				    "bitmap none",
				    g, free);
	}
	mb->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	bcache_dirty(fs->bc, mb);
	bcache_put(fs->bc, mb);
	*out = fs->first_data + g * fs->bpg + bit;
	return adjust_counts(fs, g, -1, 0, 0);
}

int ext2_balloc(struct ext2_fs *fs, uint32_t ino, uint32_t goal, uint32_t *out)
{
	if (fs->readonly)
		return -EROFS;
	if (!ext2_valid_block(fs, goal))
		goal = fs->first_data + ((ino - 1) / fs->ipg) * fs->bpg;
	uint32_t g0 = (goal - fs->first_data) / fs->bpg;
	uint32_t from = (goal - fs->first_data) % fs->bpg;
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		int rc = take_block(fs, ino, g, k ? 0 : from, out);
		if (rc != -ENOSPC)
			return rc;
	}
	return -ENOSPC;
}

/* Clear bit `bit` of the bitmap in block map: 0, or corruption when it
 * was clear already (a block or inode freed twice). */
static int clear_bit(struct ext2_fs *fs, uint32_t ino, uint32_t map,
		     uint32_t bit, const char *what, uint32_t which)
{
	struct buf *mb;
	int rc = ext2_bread(fs, ino, map, &mb);
	if (rc)
		return rc;
	uint8_t mask = (uint8_t)(1u << (bit & 7));
	if (!(mb->data[bit >> 3] & mask)) {
		bcache_put(fs->bc, mb);
		return ext2_corrupt(fs, ino, which, "%s already free", what);
	}
	mb->data[bit >> 3] &= (uint8_t)~mask;
	bcache_dirty(fs->bc, mb);
	bcache_put(fs->bc, mb);
	return 0;
}

int ext2_bfree(struct ext2_fs *fs, uint32_t ino, uint32_t blk)
{
	if (!ext2_valid_block(fs, blk))
		return ext2_corrupt(fs, ino, blk,
				    "freeing a block outside the file system");
	uint32_t g = (blk - fs->first_data) / fs->bpg;
	struct buf *gb;
	struct ext2_group_desc *gd;
	int rc = ext2_gd(fs, g, &gb, &gd);
	if (rc)
		return rc;
	uint32_t map = gd->bg_block_bitmap;
	bcache_put(fs->bc, gb);
	rc = clear_bit(fs, ino, map, (blk - fs->first_data) % fs->bpg, "block",
		       blk);
	return rc ? rc : adjust_counts(fs, g, 1, 0, 0);
}

/* A group for a new inode: a file's parent group first; a directory goes
 * to the group with the most free inodes among those with free blocks
 * above the average (spreads directories, as Linux's find_group_dir). */
static uint32_t pick_group(struct ext2_fs *fs, uint32_t dir, bool is_dir)
{
	uint32_t parent = (dir - 1) / fs->ipg;
	if (!is_dir || fs->ngroups == 1)
		return parent < fs->ngroups ? parent : 0;
	struct ext2_super sb;
	if (ext2_super(fs, &sb))
		return parent;
	uint32_t avg_blocks = sb.s_free_blocks_count / fs->ngroups;
	uint32_t best = parent, best_free = 0;
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group_desc gd;
		if (ext2_group(fs, g, &gd))
			break;
		if (gd.bg_free_blocks_count >= avg_blocks &&
		    gd.bg_free_inodes_count > best_free) {
			best = g;
			best_free = gd.bg_free_inodes_count;
		}
	}
	return best;
}

static int take_inode(struct ext2_fs *fs, uint32_t g, bool is_dir,
		      uint32_t *out)
{
	struct buf *gb, *mb;
	struct ext2_group_desc *gd;
	int rc = ext2_gd(fs, g, &gb, &gd);
	if (rc)
		return rc;
	uint32_t map = gd->bg_inode_bitmap, free = gd->bg_free_inodes_count;
	bcache_put(fs->bc, gb);
	if (!free)
		return -ENOSPC;
	if ((rc = ext2_bread(fs, 0, map, &mb)))
		return rc;
	/* the reserved inodes 1 .. first_ino-1 are never handed out */
	uint32_t first = g == 0 ? fs->first_ino - 1 : 0;
	uint32_t bit = find_clear(mb->data, first, fs->ipg);
	if (bit >= fs->ipg) {
		bcache_put(fs->bc, mb);
		return ext2_corrupt(fs, 0, map,
				    "group %u counts %u free inodes, its "
				    "bitmap none",
				    g, free);
	}
	mb->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	bcache_dirty(fs->bc, mb);
	bcache_put(fs->bc, mb);
	*out = g * fs->ipg + bit + 1;
	return adjust_counts(fs, g, 0, -1, is_dir ? 1 : 0);
}

int ext2_ialloc(struct ext2_fs *fs, uint32_t dir, bool is_dir, uint32_t *out)
{
	if (fs->readonly)
		return -EROFS;
	uint32_t g0 = pick_group(fs, dir, is_dir);
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		int rc = take_inode(fs, (g0 + k) % fs->ngroups, is_dir, out);
		if (rc != -ENOSPC)
			return rc;
	}
	return -ENOSPC;
}

int ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool is_dir)
{
	if (ino < fs->first_ino || ino > fs->inodes)
		return ext2_corrupt(fs, ino, 0, "freeing a reserved inode");
	uint32_t g = (ino - 1) / fs->ipg;
	struct buf *gb;
	struct ext2_group_desc *gd;
	int rc = ext2_gd(fs, g, &gb, &gd);
	if (rc)
		return rc;
	uint32_t map = gd->bg_inode_bitmap;
	bcache_put(fs->bc, gb);
	rc = clear_bit(fs, ino, map, (ino - 1) % fs->ipg, "inode", 0);
	return rc ? rc : adjust_counts(fs, g, 0, 1, is_dir ? -1 : 0);
}
