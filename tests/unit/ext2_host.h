/* ext2_host.h — the ext2 code on the host: an image file as a block
 * device, a buffer cache of a chosen size, e2fsprogs as the truth. */
#ifndef TESTS_UNIT_EXT2_HOST_H
#define TESTS_UNIT_EXT2_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/bcache.h"
#include "fs/ext2.h"

struct host_fs {
	int fd;
	struct blkdev dev;
	struct bcache bc;
	struct buf *bufs;
	struct buf **hash;
	uint8_t *data, *bounce;
	struct ext2_fs fs;
	struct ext2_dindex dindex; /* directory index, 1024 slots */
	char log[16384];	   /* every line the file system logged */
	size_t loglen;
	uint64_t dev_reads, dev_writes; /* device commands */
	uint32_t clock;			/* seconds the now() hook returns */
	uint32_t open_ino;		/* in_use() answers true for it */
	char why[160];			/* mount's message */
};

/* Open img (nbuf cache buffers) and mount it: 0 or the mount's errno. */
int hfs_open(struct host_fs *h, const char *img, unsigned nbuf, bool ro);
/* Sync, check that no buffer is left pinned, free everything. */
void hfs_close(struct host_fs *h);

/* Run a shell command; its exit status. Output into out (n bytes) when
 * out is not NULL. */
int sh(char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A temporary directory for this test run (removed at exit). */
const char *tmpdir(void);
/* mke2fs -t ext2 with these options onto a new image of kib KiB. */
void make_image(const char *img, unsigned kib, const char *opts,
		const char *root);

/* Look up an absolute path with ext2_lookup: 0 and *ino, or errno. */
int hfs_walk(struct host_fs *h, const char *path, uint32_t *ino);
/* Read a whole file into a malloc'd buffer (*len): 0 or errno. */
int hfs_slurp(struct host_fs *h, uint32_t ino, uint8_t **data, size_t *len);
/* Write/read with plain kernel-side buffers. */
long hfs_write(struct host_fs *h, uint32_t ino, uint64_t off, const void *buf,
	       size_t n);
long hfs_read(struct host_fs *h, uint32_t ino, uint64_t off, void *buf,
	      size_t n);
/* Create/mkdir by absolute path (parent must exist). */
int hfs_create(struct host_fs *h, const char *path, uint32_t *ino);
int hfs_mkdir(struct host_fs *h, const char *path, uint32_t *ino);
/* Split path into the parent's inode and the last name. */
int hfs_parent(struct host_fs *h, const char *path, uint32_t *dir,
	       const char **name);

#endif

/* What `debugfs -R "stat <ino>"` says about an inode. */
#define DSTAT_RUNS 512
struct dstat {
	unsigned ino, links, mode, uid, gid;
	char type[16];
	uint64_t size, blockcount;
	uint32_t atime, mtime, ctime;
	char fast_link[64]; /* "Fast link dest" */
	/* BLOCKS: logical run [l0, l1] at physical p0.., indirect blocks */
	struct {
		uint64_t l0, l1;
		uint32_t p0;
	} runs[DSTAT_RUNS];
	int nruns;
	uint32_t meta[DSTAT_RUNS];
	int nmeta;
};
/* Parse debugfs stat's text (or ext2_dump_inode's, the same layout). */
void dstat_parse(const char *text, struct dstat *d);
/* stat every inode of inos[0..n) in one debugfs run; false if debugfs
 * did not describe one of them. */
bool debugfs_stat(const char *img, const uint32_t *inos, int n,
		  struct dstat *out);
