/* ext2_priv.h — what the ext2 files share among themselves: messages about
 * corruption, inode and block access, allocation, block maps, directory
 * entries. Not for use outside fs/ext2*.c. */
#ifndef FS_EXT2_PRIV_H
#define FS_EXT2_PRIV_H

#include "fs/ext2.h"

#define EXT2_LINK_MAX 32000   /* Linux's limit on i_links_count */
#define EXT2_FAST_LINK_MAX 60 /* bytes of i_block: a fast symlink's room */

/* One line "ext2: inode I block B: what" through fs->log; counts a
 * corruption and returns -EUCLEAN. ino/block 0 leave that part out. */
int ext2_corrupt(struct ext2_fs *fs, uint32_t ino, uint64_t block,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ext2_log(struct ext2_fs *fs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
uint32_t ext2_time(struct ext2_fs *fs);

/* Block blk of the file system for inode ino (named in messages): a
 * number outside the data area is corruption. Pinned; bcache_put it. */
int ext2_bread(struct ext2_fs *fs, uint32_t ino, uint64_t blk,
	       struct buf **out);
/* The same for a block just allocated: zeroed, not read. */
int ext2_bzero(struct ext2_fs *fs, uint32_t ino, uint64_t blk,
	       struct buf **out);
bool ext2_valid_block(const struct ext2_fs *fs, uint64_t blk);

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
int ext2_iput(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
uint64_t ext2_isize(const struct ext2_inode *in);
int ext2_set_isize(struct ext2_fs *fs, struct ext2_inode *in, uint64_t size);
bool ext2_is_dir(const struct ext2_inode *in);
bool ext2_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode *in);
uint8_t ext2_ftype(uint32_t mode);

/* Group descriptor of group g, pinned in *b (dirty it after a change). */
int ext2_gd(struct ext2_fs *fs, uint32_t g, struct buf **b,
	    struct ext2_group_desc **gd);
int ext2_sb(struct ext2_fs *fs, struct buf **b, struct ext2_super **sb);

/* Allocation (ext2_alloc.c): a free block near goal / an inode for a new
 * file in dir's group (directories spread out). -ENOSPC when full. */
int ext2_balloc(struct ext2_fs *fs, uint32_t ino, uint32_t goal, uint32_t *out);
int ext2_bfree(struct ext2_fs *fs, uint32_t ino, uint32_t blk);
int ext2_ialloc(struct ext2_fs *fs, uint32_t dir, bool is_dir, uint32_t *out);
int ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool is_dir);

/* Block maps (ext2_bmap.c). With alloc, a hole gets a block (and the
 * indirect blocks on its path); *fresh says it is new (its content is
 * zeros). in->i_blocks is updated; the caller writes the inode. */
int ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
	      uint64_t lblk, bool alloc, uint32_t *pblk, bool *fresh);
/* Free every block at logical index >= keep (and indirect blocks left
 * empty). */
int ext2_free_from(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		   uint64_t keep);
uint64_t ext2_max_blocks(const struct ext2_fs *fs);

/* Directories (ext2_dir.c); din is dir's inode (updated and written when
 * the directory grows). */
int ext2_dir_find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		  const char *name, size_t len, uint32_t *ino);
int ext2_dir_add(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		 const char *name, size_t len, uint32_t ino, uint8_t type);
int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		    const char *name, size_t len);
/* Point an existing entry (name, or ".." when name is "..") at ino. */
int ext2_dir_set(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		 const char *name, size_t len, uint32_t ino, uint8_t type);
/* 1 when the directory holds only "." and "..", 0 when not. */
int ext2_dir_empty(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din);
/* Write the first block of a new directory: "." and "..". */
int ext2_dir_init(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		  uint32_t parent);

/* Shared by ext2_ops.c and ext2_rename.c. */
int ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
int ext2_check_name(const char *name, size_t len);
int ext2_get_dir(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din);

#endif
