/* ext2_vfs.c — ext2 behind the VFS: each operation unwraps the mount's
 * struct ext2_fs and converts stat and directory entries. */
#include "fs/ext2_vfs.h"
#include "kernel/lib/string.h"

static struct ext2_fs *E(struct vfs_mount *m)
{
	return m->fs;
}

static int lookup(struct vfs_mount *m, uint32_t dir, const char *name,
		  size_t len, uint32_t *ino)
{
	return ext2_lookup(E(m), dir, name, len, ino);
}

static int stat(struct vfs_mount *m, uint32_t ino, struct vfs_stat *st)
{
	struct ext2_stat e;
	int rc = ext2_stat(E(m), ino, &e);
	if (rc)
		return rc;
	memset(st, 0, sizeof *st);
	st->ino = e.ino;
	st->mode = e.mode;
	st->links = e.links;
	st->uid = e.uid;
	st->gid = e.gid;
	st->size = e.size;
	st->blocks = e.blocks;
	st->atime = e.atime;
	st->mtime = e.mtime;
	st->ctime = e.ctime;
	st->blksize = E(m)->block_size;
	return 0;
}

static long read(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		 vfs_copy_fn copy, void *ctx)
{
	return ext2_read(E(m), ino, off, n, copy, ctx);
}

static long write(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		  vfs_copy_fn copy, void *ctx)
{
	return ext2_write(E(m), ino, off, n, copy, ctx);
}

static long readlink(struct vfs_mount *m, uint32_t ino, char *buf, size_t n)
{
	return ext2_readlink(E(m), ino, buf, n);
}

static uint8_t dtype(uint8_t ft)
{
	switch (ft) {
	case EXT2_FT_DIR:
		return VFS_DT_DIR;
	case EXT2_FT_REG_FILE:
		return VFS_DT_REG;
	case EXT2_FT_SYMLINK:
		return VFS_DT_LNK;
	}
	return VFS_DT_UNKNOWN;
}

static int readdir(struct vfs_mount *m, uint32_t dir, uint64_t *pos,
		   struct vfs_dirent *out)
{
	struct ext2_dirent_info e;
	int rc = ext2_readdir(E(m), dir, pos, &e);
	if (rc == 1) {
		out->ino = e.ino;
		out->type = dtype(e.type);
		memcpy(out->name, e.name, (size_t)e.name_len + 1);
	}
	return rc;
}

static void statfs(struct vfs_mount *m, struct vfs_statfs *st)
{
	struct ext2_statfs e;
	ext2_statfs(E(m), &e);
	st->bsize = e.block_size;
	st->blocks = e.blocks;
	st->bfree = e.free_blocks;
	st->files = e.inodes;
	st->ffree = e.free_inodes;
}

static int truncate(struct vfs_mount *m, uint32_t ino, uint64_t size)
{
	return ext2_truncate(E(m), ino, size);
}

static int create(struct vfs_mount *m, uint32_t dir, const char *name,
		  size_t len, uint32_t mode, uint32_t *ino)
{
	return ext2_create(E(m), dir, name, len, mode, ino);
}

static int mkdir(struct vfs_mount *m, uint32_t dir, const char *name,
		 size_t len, uint32_t mode, uint32_t *ino)
{
	return ext2_mkdir(E(m), dir, name, len, mode, ino);
}

static int unlink(struct vfs_mount *m, uint32_t dir, const char *name,
		  size_t len)
{
	return ext2_unlink(E(m), dir, name, len);
}

static int rmdir(struct vfs_mount *m, uint32_t dir, const char *name,
		 size_t len)
{
	return ext2_rmdir(E(m), dir, name, len);
}

static int rename(struct vfs_mount *m, uint32_t odir, const char *oname,
		  size_t olen, uint32_t ndir, const char *nname, size_t nlen)
{
	return ext2_rename(E(m), odir, oname, olen, ndir, nname, nlen);
}

static int release(struct vfs_mount *m, uint32_t ino)
{
	return ext2_release(E(m), ino);
}

static int sync(struct vfs_mount *m)
{
	return ext2_sync(E(m));
}

const struct vfs_ops ext2_vfs_ops = {
    .lookup = lookup,
    .stat = stat,
    .read = read,
    .readlink = readlink,
    .readdir = readdir,
    .statfs = statfs,
    .write = write,
    .truncate = truncate,
    .create = create,
    .mkdir = mkdir,
    .unlink = unlink,
    .rmdir = rmdir,
    .rename = rename,
    .release = release,
    .sync = sync,
};

bool ext2_vfs_in_use(void *ctx, uint32_t ino)
{
	return vfs_in_use(ctx, ino);
}
