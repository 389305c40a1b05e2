/* ext2_mount.c — finding and checking an ext2 file system: the superblock,
 * its features, the group descriptors. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

struct feature {
	uint32_t bit;
	const char *name;
};

/* Names as e2fsprogs prints them (lib/e2p/feature.c). */
static const struct feature compat_names[] = {
    {0x0001, "dir_prealloc"}, {0x0002, "imagic_inodes"},
    {0x0004, "has_journal"},  {0x0008, "ext_attr"},
    {0x0010, "resize_inode"}, {0x0020, "dir_index"},
    {0x0040, "lazy_bg"},      {0x0200, "sparse_super2"},
    {0x0400, "fast_commit"},  {0x0800, "stable_inodes"},
    {0x1000, "orphan_file"},
};
static const struct feature incompat_names[] = {
    {0x0001, "compression"},	{0x0002, "filetype"},
    {0x0004, "needs_recovery"}, {0x0008, "journal_dev"},
    {0x0010, "meta_bg"},	{0x0040, "extent"},
    {0x0080, "64bit"},		{0x0100, "mmp"},
    {0x0200, "flex_bg"},	{0x0400, "ea_inode"},
    {0x1000, "dirdata"},	{0x2000, "metadata_csum_seed"},
    {0x4000, "large_dir"},	{0x8000, "inline_data"},
    {0x10000, "encrypt"},	{0x20000, "casefold"},
};
static const struct feature ro_compat_names[] = {
    {0x0001, "sparse_super"},	 {0x0002, "large_file"},
    {0x0004, "btree_dir"},	 {0x0008, "huge_file"},
    {0x0010, "uninit_bg"},	 {0x0020, "dir_nlink"},
    {0x0040, "extra_isize"},	 {0x0080, "snapshot"},
    {0x0100, "quota"},		 {0x0200, "bigalloc"},
    {0x0400, "metadata_csum"},	 {0x0800, "replica"},
    {0x1000, "read-only"},	 {0x2000, "project"},
    {0x4000, "shared_blocks"},	 {0x8000, "verity"},
    {0x10000, "orphan_present"},
};

static size_t add_names(uint32_t mask, const struct feature *t, size_t nt,
			char *buf, size_t n, size_t used)
{
	for (uint32_t bit = 1; bit; bit <<= 1) {
		if (!(mask & bit))
			continue;
		const char *name = 0;
		for (size_t i = 0; i < nt; i++)
			if (t[i].bit == bit)
				name = t[i].name;
		char unk[24];
		if (!name) {
			ksnprintf(unk, sizeof unk, "0x%x", bit);
			name = unk;
		}
		used += (size_t)ksnprintf(buf + (used < n ? used : n),
					  used < n ? n - used : 0, "%s%s",
					  used ? " " : "", name);
	}
	return used;
}

#define NAMES(t) t, sizeof t / sizeof t[0]

size_t ext2_feature_names(uint32_t compat, uint32_t incompat,
			  uint32_t ro_compat, char *buf, size_t n)
{
	size_t used = 0;
	if (n)
		buf[0] = '\0';
	used = add_names(compat, NAMES(compat_names), buf, n, used);
	used = add_names(incompat, NAMES(incompat_names), buf, n, used);
	return add_names(ro_compat, NAMES(ro_compat_names), buf, n, used);
}

static int read_super(struct blkdev *dev, struct ext2_super *sb)
{
	if (dev->sectors < (EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE) / BLK_SECTOR)
		return -EINVAL;
	return dev->read(dev, EXT2_SUPER_OFFSET / BLK_SECTOR,
			 EXT2_SUPER_SIZE / BLK_SECTOR, sb);
}

int ext2_probe(struct blkdev *dev, unsigned *block_size, char *why, size_t n)
{
	struct ext2_super sb;
	int rc = read_super(dev, &sb);
	if (rc) {
		ksnprintf(why, n, "cannot read the superblock (error %d)", rc);
		return rc ? rc : -EIO;
	}
	if (sb.s_magic != EXT2_MAGIC) {
		ksnprintf(why, n,
			  "no ext2 superblock (magic 0x%04x, not 0xef53)",
			  sb.s_magic);
		return -EINVAL;
	}
	if (sb.s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		ksnprintf(why, n, "block size 2^(10+%u) is not 1, 2 or 4 KiB",
			  sb.s_log_block_size);
		return -EINVAL;
	}
	*block_size = 1024u << sb.s_log_block_size;
	return 0;
}

static uint32_t div_up(uint32_t a, uint32_t b)
{
	return a / b + (a % b != 0);
}

/* The geometry in sb, or why it cannot be right. */
static const char *check_geometry(struct ext2_fs *fs,
				  const struct ext2_super *sb)
{
	uint32_t bs = fs->block_size;
	if (sb->s_rev_level > EXT2_DYNAMIC_REV)
		return "revision above 1";
	if (sb->s_first_data_block != (bs == 1024 ? 1u : 0u))
		return "first data block does not match the block size";
	if (!sb->s_blocks_per_group || sb->s_blocks_per_group > 8 * bs)
		return "blocks per group is 0 or more than a bitmap holds";
	if (!sb->s_inodes_per_group || sb->s_inodes_per_group > 8 * bs)
		return "inodes per group is 0 or more than a bitmap holds";
	if (sb->s_blocks_count <= sb->s_first_data_block)
		return "block count is too small";
	if (sb->s_blocks_count > fs->bc->nblocks)
		return "the file system is larger than the device";
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > bs ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return "inode size is not a power of two in 128..block size";
	fs->ngroups = div_up(sb->s_blocks_count - sb->s_first_data_block,
			     sb->s_blocks_per_group);
	if ((uint64_t)fs->ngroups * sb->s_inodes_per_group !=
	    sb->s_inodes_count)
		return "inode count is not groups x inodes per group";
	if (fs->first_ino <= EXT2_ROOT_INO ||
	    fs->first_ino > sb->s_inodes_count)
		return "first non-reserved inode out of range";
	uint32_t gdt_blocks =
	    div_up(fs->ngroups, bs / sizeof(struct ext2_group_desc));
	if (fs->gdt_block + gdt_blocks > sb->s_blocks_count)
		return "group descriptors run past the end";
	return 0;
}

static int check_groups(struct ext2_fs *fs, char *why, size_t n)
{
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group_desc gd;
		int rc = ext2_group(fs, g, &gd);
		if (rc) {
			ksnprintf(why, n, "cannot read group descriptor %u", g);
			return rc;
		}
		if (!ext2_valid_block(fs, gd.bg_block_bitmap) ||
		    !ext2_valid_block(fs, gd.bg_inode_bitmap) ||
		    !ext2_valid_block(fs, gd.bg_inode_table) ||
		    gd.bg_inode_table + fs->itb_per_group > fs->blocks) {
			ksnprintf(why, n,
				  "group %u: bitmap or inode table outside "
				  "the file system (run e2fsck)",
				  g);
			return -EUCLEAN;
		}
	}
	return 0;
}

static void set_geometry(struct ext2_fs *fs, struct bcache *bc,
			 const struct ext2_super *sb)
{
	fs->bc = bc;
	fs->block_size = bc->block_size;
	fs->blocks = sb->s_blocks_count;
	fs->inodes = sb->s_inodes_count;
	fs->first_data = sb->s_first_data_block;
	fs->bpg = sb->s_blocks_per_group;
	fs->ipg = sb->s_inodes_per_group;
	fs->rev = sb->s_rev_level;
	bool dyn = fs->rev >= EXT2_DYNAMIC_REV;
	fs->inode_size = dyn ? sb->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
	fs->first_ino = dyn ? sb->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
	fs->compat = dyn ? sb->s_feature_compat : 0;
	fs->incompat = dyn ? sb->s_feature_incompat : 0;
	fs->ro_compat = dyn ? sb->s_feature_ro_compat : 0;
	fs->filetype = fs->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	fs->addr_per_block = fs->block_size / 4;
	fs->gdt_block = fs->first_data + 1;
	fs->sb_block = EXT2_SUPER_OFFSET / fs->block_size;
	fs->sb_offset = EXT2_SUPER_OFFSET % fs->block_size;
	fs->itb_per_group =
	    fs->inode_size ? div_up(fs->ipg * fs->inode_size, fs->block_size)
			   : 0;
}

/* Refuse unknown incompatible features; go read-only for unknown
 * read-only-compatible ones (why says which). */
static int check_features(struct ext2_fs *fs, char *why, size_t n)
{
	char names[160];
	uint32_t bad = fs->incompat & ~(uint32_t)EXT2_INCOMPAT_SUPPORTED;
	if (bad) {
		ext2_feature_names(0, bad, 0, names, sizeof names);
		ksnprintf(why, n, "unsupported incompatible feature(s): %s",
			  names);
		return -EINVAL;
	}
	bad = fs->ro_compat & ~(uint32_t)EXT2_RO_COMPAT_SUPPORTED;
	if (bad && !fs->readonly) {
		ext2_feature_names(0, 0, bad, names, sizeof names);
		ksnprintf(why, n,
			  "mounted read-only: unsupported read-only-compatible "
			  "feature(s): %s",
			  names);
		fs->readonly = true;
	}
	return 0;
}

static void note_mount(struct ext2_fs *fs)
{
	struct buf *b;
	struct ext2_super *sb;
	if (fs->readonly || ext2_sb(fs, &b, &sb))
		return;
	sb->s_mtime = ext2_time(fs);
	sb->s_mnt_count++;
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
}

int ext2_mount(struct ext2_fs *fs, struct bcache *bc, bool readonly, char *why,
	       size_t n)
{
	struct ext2_super sb;
	why[0] = '\0';
	int rc = read_super(bc->dev, &sb);
	if (rc) {
		ksnprintf(why, n, "cannot read the superblock (error %d)", rc);
		return rc;
	}
	if (sb.s_magic != EXT2_MAGIC ||
	    bc->block_size != 1024u << sb.s_log_block_size) {
		ksnprintf(why, n, "no ext2 superblock of %u-byte blocks",
			  bc->block_size);
		return -EINVAL;
	}
	set_geometry(fs, bc, &sb);
	fs->readonly = readonly;
	const char *bad = check_geometry(fs, &sb);
	if (bad) {
		ksnprintf(why, n, "bad superblock: %s", bad);
		return -EUCLEAN;
	}
	if ((rc = check_features(fs, why, n)) ||
	    (rc = check_groups(fs, why, n)))
		return rc;
	struct ext2_inode root;
	if ((rc = ext2_iget(fs, EXT2_ROOT_INO, &root)))
		return rc;
	if (!ext2_is_dir(&root) || !root.i_links_count) {
		ksnprintf(why, n, "inode 2 (the root) is not a directory");
		return -EUCLEAN;
	}
	note_mount(fs);
	return 0;
}
