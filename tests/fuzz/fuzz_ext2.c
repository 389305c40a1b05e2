/* fuzz_ext2.c — libFuzzer target for ext2 over image bytes: mount, walk
 * every directory, stat, read files and symlinks, then a few writes. A
 * corrupt image may fail with errors; it must never crash or trip a
 * sanitizer. The input is the image's head: the device is padded with
 * zeros to the size the superblock claims (at most 8 MiB), so a corpus
 * of mke2fs images stays small. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/bcache.h"
#include "fs/ext2.h"

#define MAX_DEV (8u << 20)
#define NBUF 32
#define MAX_ENTRIES 400
#define MAX_DEPTH 6
#define READ_MAX 65536

static uint8_t *img;
static size_t img_size;
static int budget;

static int rd(struct blkdev *d, uint64_t s, unsigned n, void *buf)
{
	(void)d;
	if ((s + n) * 512 > img_size)
		return -5;
	memcpy(buf, img + s * 512, (size_t)n * 512);
	return 0;
}

static int wr(struct blkdev *d, uint64_t s, unsigned n, const void *buf)
{
	(void)d;
	if ((s + n) * 512 > img_size)
		return -5;
	memcpy(img + s * 512, buf, (size_t)n * 512);
	return 0;
}

static int sink(void *ctx, size_t off, void *data, size_t n)
{
	(void)ctx, (void)off;
	volatile uint8_t x = n ? ((uint8_t *)data)[n - 1] : 0;
	(void)x;
	return 0;
}

static int source(void *ctx, size_t off, void *data, size_t n)
{
	(void)ctx, (void)off;
	memset(data, 0x5a, n);
	return 0;
}

static void walk(struct ext2_fs *fs, uint32_t dir, int depth)
{
	uint64_t pos = 0;
	struct ext2_dirent_info e;
	while (budget-- > 0 && ext2_readdir(fs, dir, &pos, &e) == 1) {
		struct ext2_stat st;
		uint32_t ino;
		char link[256];
		if (ext2_lookup(fs, dir, e.name, e.name_len, &ino) ||
		    ext2_stat(fs, ino, &st))
			continue;
		switch (st.mode & EXT2_S_IFMT) {
		case EXT2_S_IFREG:
			ext2_read(fs, ino, 0, READ_MAX, sink, 0);
			ext2_read(fs, ino, st.size > 10 ? st.size - 10 : 0, 100,
				  sink, 0);
			break;
		case EXT2_S_IFLNK:
			ext2_readlink(fs, ino, link, sizeof link);
			break;
		case EXT2_S_IFDIR:
			if (depth < MAX_DEPTH && strcmp(e.name, ".") &&
			    strcmp(e.name, ".."))
				walk(fs, ino, depth + 1);
			break;
		}
	}
}

static void writes(struct ext2_fs *fs)
{
	uint32_t f, d;
	if (ext2_create(fs, 2, "fz", 2, 0644, &f) == 0) {
		ext2_write(fs, f, 0, 3000, source, 0);
		ext2_write(fs, f, 20000, 10, source, 0);
		ext2_truncate(fs, f, 100);
	}
	if (ext2_mkdir(fs, 2, "fzd", 3, 0755, &d) == 0) {
		ext2_rename(fs, 2, "fz", 2, d, "moved", 5);
		ext2_unlink(fs, d, "moved", 5);
		ext2_rmdir(fs, 2, "fzd", 3);
	}
	ext2_sync(fs);
}

static size_t claimed_size(const uint8_t *data, size_t size)
{
	uint32_t blocks, log;
	if (size < 1024 + 28)
		return size;
	memcpy(&blocks, data + 1024 + 4, 4);
	memcpy(&log, data + 1024 + 24, 4);
	if (log > 2)
		return size;
	uint64_t want = (uint64_t)blocks << (10 + log);
	return want > size && want <= MAX_DEV ? (size_t)want : size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_DEV)
		return 0;
	img_size = claimed_size(data, size) & ~(size_t)4095;
	if (img_size < 4096)
		return 0;
	img = calloc(1, img_size);
	memcpy(img, data, size < img_size ? size : img_size);
	struct blkdev dev = {"fuzz", img_size / 512, rd, wr, 0, 0};
	unsigned bs;
	char why[160];
	if (ext2_probe(&dev, &bs, why, sizeof why) == 0) {
		static struct buf bufs[NBUF];
		static struct buf *hash[64];
		static uint8_t data_area[NBUF][4096], bounce[64 * 4096];
		for (int i = 0; i < NBUF; i++)
			bufs[i].data = data_area[i];
		struct bcache c;
		struct ext2_fs fs;
		memset(&fs, 0, sizeof fs);
		if (bcache_init(&c, &dev, bs, bufs, NBUF, hash, 64, bounce,
				sizeof bounce) == 0 &&
		    ext2_mount(&fs, &c, false, why, sizeof why) == 0) {
			budget = MAX_ENTRIES;
			walk(&fs, 2, 0);
			if (!fs.readonly)
				writes(&fs);
			if (bcache_pinned(&c))
				abort(); /* a path forgot to unpin a buffer */
		}
	}
	free(img);
	return 0;
}
