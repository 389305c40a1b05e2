/* ext2_ops.c — namespace operations: lookup, create, mkdir, symlink,
 * unlink, rmdir, rename, and freeing an inode with its last link. Each
 * checks what can fail (names, space) before it changes anything it
 * could not undo. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

/* A name a directory entry can hold ("." and ".." are managed here). */
static int check_name(const char *name, size_t len)
{
	if (len == 0)
		return -ENOENT;
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	return 0;
}

/* dir's inode, which must be a live directory. */
static int get_dir(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	int rc = ext2_iget(fs, dir, din);
	if (rc)
		return rc;
	if (!ext2_is_dir(din))
		return -ENOTDIR;
	return din->i_links_count ? 0 : -ENOENT; /* removed meanwhile */
}

int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint32_t *ino)
{
	struct ext2_inode din;
	int rc = get_dir(fs, dir, &din);
	if (rc)
		return rc;
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	return ext2_dir_find(fs, dir, &din, name, len, ino);
}

static void touch(struct ext2_fs *fs, struct ext2_inode *in)
{
	in->i_mtime = in->i_ctime = ext2_time(fs);
}

/* A new inode of mode, its fields set, written out. */
static int new_inode(struct ext2_fs *fs, uint32_t dir, uint32_t mode,
		     uint32_t *ino, struct ext2_inode *in)
{
	bool is_dir = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	int rc = ext2_ialloc(fs, dir, is_dir, ino);
	if (rc)
		return rc;
	memset(in, 0, sizeof *in);
	in->i_mode = (uint16_t)mode;
	in->i_links_count = is_dir ? 2 : 1;
	in->i_atime = in->i_ctime = in->i_mtime = ext2_time(fs);
	if (fs->inode_size >= EXT2_GOOD_OLD_INODE_SIZE + EXT2_INODE_EXTRA) {
		in->i_extra_isize = EXT2_INODE_EXTRA;
		in->i_crtime = in->i_ctime;
	}
	return ext2_iput(fs, *ino, in);
}

/* Give back an inode whose last link went: its blocks (a fast symlink's
 * i_block holds text, not blocks), its extended-attribute block, the
 * inode itself. */
static int free_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	int rc = 0;
	bool is_dir = ext2_is_dir(in);
	if (is_dir && fs->dindex)
		ext2_dindex_forget(fs->dindex, ino);
	if (!ext2_fast_symlink(fs, in))
		rc = ext2_free_from(fs, ino, in, 0);
	if (!rc && in->i_file_acl) {
		struct buf *b;
		if (!(rc = ext2_bread(fs, ino, in->i_file_acl, &b))) {
			struct ext2_ea_header *h = (void *)b->data;
			bool last =
			    h->h_magic == EXT2_EA_MAGIC && h->h_refcount <= 1;
			if (h->h_magic == EXT2_EA_MAGIC && h->h_refcount > 1) {
				h->h_refcount--;
				bcache_dirty(fs->bc, b);
			}
			bcache_put(fs->bc, b);
			if (last && !(rc = ext2_bfree(fs, ino, in->i_file_acl)))
				in->i_blocks -= fs->block_size / 512;
			in->i_file_acl = 0;
		}
	}
	in->i_links_count = 0;
	in->i_dtime = ext2_time(fs);
	int wrc = ext2_iput(fs, ino, in);
	if (rc || wrc)
		return rc ? rc : wrc;
	return ext2_ifree(fs, ino, is_dir);
}

/* Drop one link of ino (in): freed now with its last link unless open. */
static int drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	if (!in->i_links_count)
		return ext2_corrupt(fs, ino, 0, "link count already 0");
	in->i_links_count--;
	if (ext2_is_dir(in))
		in->i_links_count = 0; /* "." goes with the last name */
	in->i_ctime = ext2_time(fs);
	if (!in->i_links_count && !(fs->in_use && fs->in_use(fs->ctx, ino)))
		return free_inode(fs, ino, in);
	return ext2_iput(fs, ino, in);
}

int ext2_release(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_inode in;
	if (fs->readonly)
		return 0;
	int rc = ext2_iget(fs, ino, &in);
	if (rc || in.i_links_count || !in.i_mode)
		return rc;
	return free_inode(fs, ino, &in);
}

/* Make a new inode of mode named name in dir; init fills it (a
 * directory's first block, a symlink's target) before it is linked. */
static int make(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint32_t mode, uint32_t *ino,
		int (*init)(struct ext2_fs *, uint32_t, struct ext2_inode *,
			    uint32_t, const void *),
		const void *arg)
{
	struct ext2_inode din, in;
	uint32_t existing;
	bool is_dir = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	if (fs->readonly)
		return -EROFS;
	int rc = check_name(name, len);
	if (rc == -EINVAL && len <= 2)
		rc = -EEXIST; /* "." and ".." exist */
	if (rc || (rc = get_dir(fs, dir, &din)))
		return rc;
	rc = ext2_dir_find(fs, dir, &din, name, len, &existing);
	if (rc != -ENOENT)
		return rc ? rc : -EEXIST;
	if (is_dir && din.i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	if ((rc = new_inode(fs, dir, mode, ino, &in)))
		return rc;
	if (init && (rc = init(fs, *ino, &in, dir, arg)) == 0)
		rc = ext2_iput(fs, *ino, &in);
	touch(fs, &din);
	if (is_dir)
		din.i_links_count++;
	if (!rc)
		rc = ext2_dir_add(fs, dir, &din, name, len, *ino,
				  ext2_ftype(mode));
	if (rc) {
		in.i_links_count = 0;
		free_inode(fs, *ino, &in);
	}
	return rc;
}

int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint32_t mode, uint32_t *ino)
{
	return make(fs, dir, name, len, EXT2_S_IFREG | (mode & 07777), ino, 0,
		    0);
}

static int init_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		    uint32_t parent, const void *arg)
{
	(void)arg;
	return ext2_dir_init(fs, ino, in, parent);
}

int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
	       uint32_t mode, uint32_t *ino)
{
	return make(fs, dir, name, len, EXT2_S_IFDIR | (mode & 07777), ino,
		    init_dir, 0);
}

static int copy_in(void *ctx, size_t off, void *data, size_t n)
{
	memcpy(data, (const char *)ctx + off, n);
	return 0;
}

static int init_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
		     uint32_t parent, const void *target)
{
	(void)parent;
	size_t len = strlen(target);
	if (len < EXT2_FAST_LINK_MAX) {
		memcpy(in->i_block, target, len);
		in->i_size = (uint32_t)len;
		return 0;
	}
	if (len >= fs->block_size)
		return -ENAMETOOLONG;
	long n = ext2_write(fs, ino, 0, len, copy_in, (void *)target);
	if (n < 0)
		return (int)n;
	return ext2_iget(fs, ino, in); /* ext2_write updated it on disk */
}

int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		 const char *target, uint32_t *ino)
{
	return make(fs, dir, name, len, EXT2_S_IFLNK | 0777, ino, init_link,
		    target);
}

long ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t n)
{
	struct ext2_inode in;
	int rc = ext2_iget(fs, ino, &in);
	if (rc)
		return rc;
	if ((in.i_mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
		return -EINVAL;
	uint64_t size = ext2_isize(&in);
	if (size >= fs->block_size || size + 1 > n)
		return size >= fs->block_size
			   ? ext2_corrupt(fs, ino, 0, "symlink of %lu bytes",
					  (unsigned long)size)
			   : -ERANGE;
	if (ext2_fast_symlink(fs, &in)) {
		memcpy(buf, in.i_block, size);
	} else {
		uint32_t pblk, meta[3];
		struct buf *b;
		if ((rc = ext2_map(fs, ino, &in, 0, &pblk, meta)))
			return rc;
		if (!pblk)
			return ext2_corrupt(fs, ino, 0,
					    "slow symlink without "
					    "a block");
		if ((rc = ext2_bread(fs, ino, pblk, &b)))
			return rc;
		memcpy(buf, b->data, size);
		bcache_put(fs->bc, b);
	}
	buf[size] = '\0';
	return (long)size;
}

int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode din, in;
	uint32_t ino;
	if (fs->readonly)
		return -EROFS;
	int rc = check_name(name, len);
	if (rc == -EINVAL && len <= 2)
		rc = -EISDIR; /* "." and ".." are directories */
	if (rc || (rc = get_dir(fs, dir, &din)) ||
	    (rc = ext2_dir_find(fs, dir, &din, name, len, &ino)) ||
	    (rc = ext2_iget(fs, ino, &in)))
		return rc;
	if (ext2_is_dir(&in))
		return -EISDIR;
	touch(fs, &din);
	if ((rc = ext2_dir_remove(fs, dir, &din, name, len)))
		return rc;
	return drop_link(fs, ino, &in);
}

int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode din, in;
	uint32_t ino;
	if (fs->readonly)
		return -EROFS;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;
	int rc = check_name(name, len);
	if (rc || (rc = get_dir(fs, dir, &din)) ||
	    (rc = ext2_dir_find(fs, dir, &din, name, len, &ino)) ||
	    (rc = ext2_iget(fs, ino, &in)))
		return rc;
	if (!ext2_is_dir(&in))
		return -ENOTDIR;
	if ((rc = ext2_dir_empty(fs, ino, &in)) <= 0)
		return rc ? rc : -ENOTEMPTY;
	touch(fs, &din);
	if (din.i_links_count > 2)
		din.i_links_count--; /* the child's ".." */
	if ((rc = ext2_dir_remove(fs, dir, &din, name, len)))
		return rc;
	return drop_link(fs, ino, &in);
}

/* rename's helpers (ext2_rename.c) */
int ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	return drop_link(fs, ino, in);
}

int ext2_check_name(const char *name, size_t len)
{
	return check_name(name, len);
}

int ext2_get_dir(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	return get_dir(fs, dir, din);
}
