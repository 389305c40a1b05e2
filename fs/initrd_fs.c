/* initrd_fs.c — the initrd as a read-only file system: one directory
 * holding the archive's regular files (names with a '/' are not listed),
 * mode r-xr-xr-x, inode i + 2 for the i-th file. */
#include "fs/initrd_fs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define FIRST_FILE_INO 2

static int file_of(struct vfs_mount *m, uint32_t ino, struct initrd_file *f)
{
	if (ino < FIRST_FILE_INO)
		return -ENOENT;
	return initrd_file_at(m->fs, ino - FIRST_FILE_INO, f, 0) ? -ENOENT : 0;
}

static int lookup(struct vfs_mount *m, uint32_t dir, const char *name,
		  size_t len, uint32_t *ino)
{
	struct initrd_file f;
	if (dir != INITRD_ROOT_INO)
		return -ENOTDIR;
	if (len == 1 && name[0] == '.') {
		*ino = INITRD_ROOT_INO;
		return 0;
	}
	for (size_t i = 0; initrd_file_at(m->fs, i, &f, 0) == 0; i++)
		if (strlen(f.name) == len && !memcmp(f.name, name, len)) {
			*ino = (uint32_t)i + FIRST_FILE_INO;
			return 0;
		}
	return -ENOENT;
}

static int stat(struct vfs_mount *m, uint32_t ino, struct vfs_stat *st)
{
	struct initrd_file f;
	memset(st, 0, sizeof *st);
	st->ino = ino;
	st->blksize = USTAR_BLOCK;
	if (ino == INITRD_ROOT_INO) {
		st->mode = VFS_S_IFDIR | 0555;
		st->links = 2;
		return 0;
	}
	int rc = file_of(m, ino, &f);
	if (rc)
		return rc;
	st->mode = VFS_S_IFREG | 0555;
	st->links = 1;
	st->size = f.size;
	st->blocks = (f.size + 511) / 512;
	return 0;
}

static long read(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		 vfs_copy_fn copy, void *ctx)
{
	struct initrd_file f;
	if (ino == INITRD_ROOT_INO)
		return -EISDIR;
	int rc = file_of(m, ino, &f);
	if (rc)
		return rc;
	if (off >= f.size)
		return 0;
	if (n > f.size - off)
		n = (size_t)(f.size - off);
	rc = copy(ctx, 0, (void *)(f.data + off), n);
	return rc ? rc : (long)n;
}

static long readlink(struct vfs_mount *m, uint32_t ino, char *buf, size_t n)
{
	(void)m, (void)ino, (void)buf, (void)n;
	return -EINVAL;
}

/* pos 0 ".", 1 "..", then file pos - 2. */
static int readdir(struct vfs_mount *m, uint32_t dir, uint64_t *pos,
		   struct vfs_dirent *out)
{
	struct initrd_file f;
	if (dir != INITRD_ROOT_INO)
		return -ENOTDIR;
	for (;;) {
		if (*pos < 2) {
			const char *dots = *pos == 0 ? "." : "..";
			out->ino = INITRD_ROOT_INO;
			out->type = VFS_DT_DIR;
			memcpy(out->name, dots, strlen(dots) + 1);
			++*pos;
			return 1;
		}
		if (initrd_file_at(m->fs, *pos - 2, &f, 0))
			return 0;
		++*pos;
		if (strchr(f.name, '/') || strlen(f.name) > VFS_NAME_MAX)
			continue;
		out->ino = (uint32_t)(*pos - 1);
		out->type = VFS_DT_REG;
		memcpy(out->name, f.name, strlen(f.name) + 1);
		return 1;
	}
}

static void statfs(struct vfs_mount *m, struct vfs_statfs *st)
{
	const struct initrd *rd = m->fs;
	st->bsize = USTAR_BLOCK;
	st->blocks = rd->size / USTAR_BLOCK;
}

const struct vfs_ops initrd_vfs_ops = {
    .lookup = lookup,
    .stat = stat,
    .read = read,
    .readlink = readlink,
    .readdir = readdir,
    .statfs = statfs,
};
