/* ext2.h — the second extended file system, revisions 0 and 1, 1/2/4 KiB
 * blocks, read and write, over the buffer cache. Pure logic: the same
 * files run in the kernel and in host tests against mke2fs images.
 *
 * Errors are negative errnos: -ENOENT, -ENOSPC, ... ; a corrupt structure
 * gives -EUCLEAN and a device error -EIO, each with one line through the
 * log hook naming the inode and block. */
#ifndef FS_EXT2_H
#define FS_EXT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/bcache.h"
#include "fs/ext2_dindex.h"
#include "fs/ext2_format.h"

struct ext2_fs {
	struct bcache *bc;
	uint32_t block_size, blocks, inodes, first_data, bpg, ipg, ngroups;
	uint32_t inode_size, first_ino, itb_per_group, addr_per_block;
	uint32_t gdt_block;	      /* first block of the descriptors */
	uint32_t sb_block, sb_offset; /* where the superblock sits */
	uint32_t rev, compat, incompat, ro_compat;
	bool readonly, filetype;
	/* hooks: where messages go, the time, whether an inode is open */
	void (*log)(void *ctx, const char *line);
	uint32_t (*now)(void *ctx); /* seconds since 1970 */
	bool (*in_use)(void *ctx, uint32_t ino);
	void *ctx;
	struct ext2_dindex *dindex; /* one large directory indexed; or NULL */
	uint64_t corruptions;	    /* corrupt structures met */
	char last_msg[160];
};

/* Read the superblock with raw sector reads: 0 and the block size, or a
 * negative errno with why filled (no ext2 magic, bad block size). */
int ext2_probe(struct blkdev *dev, unsigned *block_size, char *why, size_t n);
/* Mount from bc (set up with the block size ext2_probe gave). Checks the
 * superblock and group descriptors; refuses an unknown incompatible
 * feature (named in why); mounts read-only (why says so, return 0) with
 * an unknown read-only-compatible one or when readonly is asked. The
 * hooks in fs must be set before (log may be NULL). */
int ext2_mount(struct ext2_fs *fs, struct bcache *bc, bool readonly, char *why,
	       size_t n);
/* Write what is dirty, then flush the device. */
int ext2_sync(struct ext2_fs *fs);

struct ext2_stat {
	uint32_t ino, mode, links, uid, gid;
	uint64_t size, blocks; /* blocks in 512-byte units (i_blocks) */
	uint32_t atime, mtime, ctime;
};

/* Copy n bytes between the file's data and the caller's buffer at buf +
 * off (a user buffer in the kernel): 0 or a negative errno. */
typedef int (*ext2_copy_fn)(void *ctx, size_t off, void *data, size_t n);

int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint32_t *ino);
int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st);
/* Bytes read (0 at or past the end) or a negative errno. */
long ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t n,
	       ext2_copy_fn copy, void *ctx);
/* Bytes written, or a negative errno when none were (-ENOSPC, -EFBIG). */
long ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t n,
		ext2_copy_fn copy, void *ctx);
/* Set the size: blocks past it are freed, a larger size is a hole. */
int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size);
/* A new regular file (mode: permission bits) / directory in dir. */
int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint32_t mode, uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
	       uint32_t mode, uint32_t *ino);
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		 const char *target, uint32_t *ino);
/* Remove a non-directory's name; its inode goes with the last link
 * unless in_use() says it is open (then ext2_release frees it). */
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
/* POSIX rename: replaces an existing target (a file, or an empty
 * directory when moving a directory), across directories too. */
int ext2_rename(struct ext2_fs *fs, uint32_t odir, const char *oname,
		size_t olen, uint32_t ndir, const char *nname, size_t nlen);
/* The last user of ino let go: free it if it has no links left. */
int ext2_release(struct ext2_fs *fs, uint32_t ino);
/* The target of a symlink, NUL-terminated: its length or an errno. */
long ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t n);

struct ext2_dirent_info {
	uint32_t ino;
	uint8_t type; /* EXT2_FT_* (UNKNOWN without the filetype feature) */
	uint8_t name_len;
	char name[EXT2_NAME_LEN + 1];
};
/* The entry at or after *pos (a byte offset into the directory): 1 and
 * *pos moved past it, 0 at the end, or a negative errno. */
int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos,
		 struct ext2_dirent_info *out);

struct ext2_statfs {
	uint32_t block_size, blocks, free_blocks, reserved_blocks;
	uint32_t inodes, free_inodes;
};
void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st);

/* ---- for the monitor and tests ---- */

/* The raw inode (the first 128 + extra bytes): 0 or a negative errno. */
int ext2_read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
/* Physical block of logical block lblk (0 for a hole); *meta gets the
 * indirect blocks walked (up to 3, 0-terminated). */
int ext2_map(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in,
	     uint64_t lblk, uint32_t *pblk, uint32_t meta[3]);
/* The superblock as on disk now (free counts current). */
int ext2_super(struct ext2_fs *fs, struct ext2_super *sb);
int ext2_group(struct ext2_fs *fs, uint32_t g, struct ext2_group_desc *gd);
/* Feature names: "filetype sparse_super ..." for each mask bit. */
size_t ext2_feature_names(uint32_t compat, uint32_t incompat,
			  uint32_t ro_compat, char *buf, size_t n);

#endif
