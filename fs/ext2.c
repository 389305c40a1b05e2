/* ext2.c — ext2 mount checks, features, superblock and group descriptor
 * access, inodes, messages about corruption. */
#include <stdarg.h>

#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

_Static_assert(sizeof(struct ext2_super) == 1024, "superblock layout");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "descriptor layout");
_Static_assert(sizeof(struct ext2_inode) == 160, "inode layout");

void ext2_log(struct ext2_fs *fs, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(fs->last_msg, sizeof fs->last_msg, fmt, ap);
	va_end(ap);
	if (fs->log)
		fs->log(fs->ctx, fs->last_msg);
}

int ext2_corrupt(struct ext2_fs *fs, uint32_t ino, uint64_t block,
		 const char *fmt, ...)
{
	char what[112], where[48] = "";
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (ino && block)
		ksnprintf(where, sizeof where, "inode %u block %lu: ", ino,
			  (unsigned long)block);
	else if (ino)
		ksnprintf(where, sizeof where, "inode %u: ", ino);
	else if (block)
		ksnprintf(where, sizeof where,
			  "block %lu: ", (unsigned long)block);
	fs->corruptions++;
	ext2_log(fs, "ext2: %s%s (corrupt file system: run e2fsck)", where,
		 what);
	return -EUCLEAN;
}

uint32_t ext2_time(struct ext2_fs *fs)
{
	return fs->now ? fs->now(fs->ctx) : 0;
}

bool ext2_valid_block(const struct ext2_fs *fs, uint64_t blk)
{
	return blk >= fs->first_data && blk < fs->blocks;
}

static int get_block(struct ext2_fs *fs, uint32_t ino, uint64_t blk,
		     struct buf **out, bool zero)
{
	int err = 0;
	if (!ext2_valid_block(fs, blk))
		return ext2_corrupt(fs, ino, blk,
				    "block number outside the file system "
				    "(%u blocks)",
				    fs->blocks);
	*out = zero ? bcache_get_zero(fs->bc, blk, &err)
		    : bcache_get(fs->bc, blk, &err);
	if (!*out) {
		ext2_log(fs, "ext2: inode %u block %lu: cannot read (error %d)",
			 ino, (unsigned long)blk, err);
		return err == -ENOMEM ? err : -EIO;
	}
	return 0;
}

int ext2_bread(struct ext2_fs *fs, uint32_t ino, uint64_t blk, struct buf **out)
{
	return get_block(fs, ino, blk, out, false);
}

int ext2_bzero(struct ext2_fs *fs, uint32_t ino, uint64_t blk, struct buf **out)
{
	return get_block(fs, ino, blk, out, true);
}

int ext2_sb(struct ext2_fs *fs, struct buf **b, struct ext2_super **sb)
{
	int rc = ext2_bread(fs, 0, fs->sb_block, b);
	if (!rc)
		*sb = (struct ext2_super *)((*b)->data + fs->sb_offset);
	return rc;
}

int ext2_gd(struct ext2_fs *fs, uint32_t g, struct buf **b,
	    struct ext2_group_desc **gd)
{
	uint32_t per = fs->block_size / sizeof(struct ext2_group_desc);
	int rc = ext2_bread(fs, 0, fs->gdt_block + g / per, b);
	if (!rc)
		*gd = (struct ext2_group_desc *)(*b)->data + g % per;
	return rc;
}

/* Where inode ino lives: its block and byte offset in it. */
static int inode_place(struct ext2_fs *fs, uint32_t ino, uint64_t *blk,
		       uint32_t *off)
{
	if (ino < 1 || ino > fs->inodes)
		return ext2_corrupt(fs, ino, 0,
				    "inode number out of range (1..%u)",
				    fs->inodes);
	uint32_t g = (ino - 1) / fs->ipg, idx = (ino - 1) % fs->ipg;
	struct buf *b;
	struct ext2_group_desc *gd;
	int rc = ext2_gd(fs, g, &b, &gd);
	if (rc)
		return rc;
	uint64_t table = gd->bg_inode_table;
	bcache_put(fs->bc, b);
	uint64_t byte = (uint64_t)idx * fs->inode_size;
	*blk = table + byte / fs->block_size;
	*off = (uint32_t)(byte % fs->block_size);
	return 0;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	uint64_t blk;
	uint32_t off;
	struct buf *b;
	int rc = inode_place(fs, ino, &blk, &off);
	if (rc || (rc = ext2_bread(fs, ino, blk, &b)))
		return rc;
	size_t n = fs->inode_size < sizeof *in ? fs->inode_size : sizeof *in;
	memset(in, 0, sizeof *in);
	memcpy(in, b->data + off, n);
	bcache_put(fs->bc, b);
	return 0;
}

int ext2_iput(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
	uint64_t blk;
	uint32_t off;
	struct buf *b;
	if (fs->readonly)
		return -EROFS;
	int rc = inode_place(fs, ino, &blk, &off);
	if (rc || (rc = ext2_bread(fs, ino, blk, &b)))
		return rc;
	size_t n = fs->inode_size < sizeof *in ? fs->inode_size : sizeof *in;
	if (fs->inode_size > EXT2_GOOD_OLD_INODE_SIZE &&
	    (size_t)EXT2_GOOD_OLD_INODE_SIZE + in->i_extra_isize < n)
		n = EXT2_GOOD_OLD_INODE_SIZE + in->i_extra_isize;
	memcpy(b->data + off, in, n);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return 0;
}

int ext2_read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	return ext2_iget(fs, ino, in);
}

bool ext2_is_dir(const struct ext2_inode *in)
{
	return (in->i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

uint64_t ext2_isize(const struct ext2_inode *in)
{
	uint64_t s = in->i_size;
	if ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		s |= (uint64_t)in->i_size_high << 32;
	return s;
}

/* A size of 2 GiB or more needs large_file (set it on a revision 1 file
 * system, as Linux does); revision 0 cannot have it. */
int ext2_set_isize(struct ext2_fs *fs, struct ext2_inode *in, uint64_t size)
{
	bool reg = (in->i_mode & EXT2_S_IFMT) == EXT2_S_IFREG;
	if (size >> 31 && reg &&
	    !(fs->ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		struct buf *b;
		struct ext2_super *sb;
		if (fs->rev == EXT2_GOOD_OLD_REV)
			return -EFBIG;
		int rc = ext2_sb(fs, &b, &sb);
		if (rc)
			return rc;
		fs->ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		sb->s_feature_ro_compat = fs->ro_compat;
		bcache_dirty(fs->bc, b);
		bcache_put(fs->bc, b);
	}
	if (!reg && size >> 32)
		return -EFBIG;
	in->i_size = (uint32_t)size;
	if (reg)
		in->i_size_high = (uint32_t)(size >> 32);
	return 0;
}

bool ext2_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode *in)
{
	uint32_t ea = in->i_file_acl ? fs->block_size / 512 : 0;
	return (in->i_mode & EXT2_S_IFMT) == EXT2_S_IFLNK &&
	       in->i_blocks == ea && in->i_size < EXT2_FAST_LINK_MAX;
}

uint8_t ext2_ftype(uint32_t mode)
{
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG:
		return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR:
		return EXT2_FT_DIR;
	case EXT2_S_IFCHR:
		return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK:
		return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO:
		return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK:
		return EXT2_FT_SOCK;
	case EXT2_S_IFLNK:
		return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st)
{
	struct ext2_inode in;
	int rc = ext2_iget(fs, ino, &in);
	if (rc)
		return rc;
	st->ino = ino;
	st->mode = in.i_mode;
	st->links = in.i_links_count;
	st->uid = in.i_uid | (uint32_t)in.i_uid_high << 16;
	st->gid = in.i_gid | (uint32_t)in.i_gid_high << 16;
	st->size = ext2_isize(&in);
	st->blocks = in.i_blocks;
	st->atime = in.i_atime;
	st->mtime = in.i_mtime;
	st->ctime = in.i_ctime;
	return 0;
}

int ext2_super(struct ext2_fs *fs, struct ext2_super *out)
{
	struct buf *b;
	struct ext2_super *sb;
	int rc = ext2_sb(fs, &b, &sb);
	if (rc)
		return rc;
	memcpy(out, sb, sizeof *out);
	bcache_put(fs->bc, b);
	return 0;
}

int ext2_group(struct ext2_fs *fs, uint32_t g, struct ext2_group_desc *out)
{
	struct buf *b;
	struct ext2_group_desc *gd;
	if (g >= fs->ngroups)
		return -EINVAL;
	int rc = ext2_gd(fs, g, &b, &gd);
	if (rc)
		return rc;
	*out = *gd;
	bcache_put(fs->bc, b);
	return 0;
}

void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st)
{
	struct ext2_super sb;
	memset(st, 0, sizeof *st);
	if (ext2_super(fs, &sb))
		return;
	st->block_size = fs->block_size;
	st->blocks = sb.s_blocks_count;
	st->free_blocks = sb.s_free_blocks_count;
	st->reserved_blocks = sb.s_r_blocks_count;
	st->inodes = sb.s_inodes_count;
	st->free_inodes = sb.s_free_inodes_count;
}

int ext2_sync(struct ext2_fs *fs)
{
	return bcache_sync(fs->bc);
}
