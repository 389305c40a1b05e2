/* devfs.c — /dev/diskN: an ATA disk's sectors as a read-only file, read
 * through the driver without the buffer cache (raw reads for `cat`, for
 * looking at a disk, and for make bench's comparison with read()). */
#include "drivers/ata.h"
#include "fs/devfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define FIRST_DISK_INO 2
#define CHUNK_SECTORS 128 /* sectors per driver call */

static uint8_t bounce[CHUNK_SECTORS * ATA_SECTOR];

/* The index-th disk (ATAPI drives are not listed). */
static struct ata_device *disk(uint32_t index)
{
	struct ata_device *d;
	uint32_t n = 0;
	for (int i = 0; (d = ata_device(i)); i++)
		if (d->kind == ATA_DISK && n++ == index)
			return d;
	return 0;
}

static int lookup(struct vfs_mount *m, uint32_t dir, const char *name,
		  size_t len, uint32_t *ino)
{
	(void)m;
	if (dir != DEVFS_ROOT_INO)
		return -ENOTDIR;
	for (uint32_t i = 0; disk(i); i++) {
		char n[16];
		ksnprintf(n, sizeof n, "disk%u", i);
		if (strlen(n) == len && !memcmp(n, name, len)) {
			*ino = FIRST_DISK_INO + i;
			return 0;
		}
	}
	return -ENOENT;
}

static int stat(struct vfs_mount *m, uint32_t ino, struct vfs_stat *st)
{
	(void)m;
	memset(st, 0, sizeof *st);
	st->ino = ino;
	st->blksize = ATA_SECTOR;
	st->links = 1;
	if (ino == DEVFS_ROOT_INO) {
		st->mode = VFS_S_IFDIR | 0555;
		st->links = 2;
		return 0;
	}
	struct ata_device *d = disk(ino - FIRST_DISK_INO);
	if (!d)
		return -ENOENT;
	st->mode = VFS_S_IFREG | 0444;
	st->size = d->sectors * ATA_SECTOR;
	return 0;
}

/* Bytes [off, off + n) of the disk, a chunk of sectors at a time. */
static long read(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		 vfs_copy_fn copy, void *ctx)
{
	(void)m;
	struct ata_device *d = ino >= FIRST_DISK_INO ? disk(ino - 2) : 0;
	if (!d)
		return ino == DEVFS_ROOT_INO ? -EISDIR : -ENOENT;
	uint64_t size = d->sectors * ATA_SECTOR;
	if (off >= size)
		return 0;
	if (n > size - off)
		n = (size_t)(size - off);
	size_t done = 0;
	while (done < n) {
		uint64_t pos = off + done, lba = pos / ATA_SECTOR;
		size_t skip = (size_t)(pos % ATA_SECTOR);
		unsigned count =
		    (unsigned)((skip + n - done + ATA_SECTOR - 1) / ATA_SECTOR);
		count = count < CHUNK_SECTORS ? count : CHUNK_SECTORS;
		size_t bytes = count * ATA_SECTOR - skip;
		bytes = bytes < n - done ? bytes : n - done;
		int rc = ata_read(d, lba, count, bounce);
		if (!rc)
			rc = copy(ctx, done, bounce + skip, bytes);
		if (rc)
			return done ? (long)done : (rc == -EFAULT ? rc : -EIO);
		done += bytes;
	}
	return (long)done;
}

static long readlink(struct vfs_mount *m, uint32_t ino, char *buf, size_t n)
{
	(void)m, (void)ino, (void)buf, (void)n;
	return -EINVAL;
}

static int readdir(struct vfs_mount *m, uint32_t dir, uint64_t *pos,
		   struct vfs_dirent *out)
{
	(void)m;
	if (dir != DEVFS_ROOT_INO)
		return -ENOTDIR;
	if (*pos < 2) {
		ksnprintf(out->name, sizeof out->name, "%s", *pos ? ".." : ".");
		out->ino = DEVFS_ROOT_INO;
		out->type = VFS_DT_DIR;
		++*pos;
		return 1;
	}
	if (!disk((uint32_t)(*pos - 2)))
		return 0;
	ksnprintf(out->name, sizeof out->name, "disk%lu",
		  (unsigned long)(*pos - 2));
	out->ino = (uint32_t)*pos;
	out->type = VFS_DT_REG;
	++*pos;
	return 1;
}

static void statfs(struct vfs_mount *m, struct vfs_statfs *st)
{
	(void)m;
	st->bsize = ATA_SECTOR;
}

const struct vfs_ops devfs_ops = {
    .lookup = lookup,
    .stat = stat,
    .read = read,
    .readlink = readlink,
    .readdir = readdir,
    .statfs = statfs,
};
