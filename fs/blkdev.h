/* blkdev.h — a block device as the file systems see it: 512-byte sectors
 * read and written in runs, and a cache flush. */
#ifndef FS_BLKDEV_H
#define FS_BLKDEV_H

#include <stdint.h>

#define BLK_SECTOR 512

struct blkdev {
	const char *name; /* "ata0 master" */
	uint64_t sectors; /* capacity */
	/* count sectors at sector into/from buf: 0 or -EIO / -EINVAL. */
	int (*read)(struct blkdev *d, uint64_t sector, unsigned count,
		    void *buf);
	int (*write)(struct blkdev *d, uint64_t sector, unsigned count,
		     const void *buf);
	int (*flush)(struct blkdev *d); /* may be NULL */
	void *priv;
};

#endif
