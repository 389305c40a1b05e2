/* ext2_dump.h — ext2 structures as lines of text for the monitor: the
 * superblock like `dumpe2fs -h`, an inode like debugfs's `stat`. */
#ifndef FS_EXT2_DUMP_H
#define FS_EXT2_DUMP_H

#include <stdint.h>

#include "fs/ext2.h"

/* Receives one line (no newline). */
typedef void (*ext2_line_fn)(void *ctx, const char *line);

/* dumpe2fs -h's fields (same labels), then a line per group. */
int ext2_dump_super(struct ext2_fs *fs, ext2_line_fn line, void *ctx);
/* debugfs stat's fields, then BLOCKS: in debugfs's notation and TOTAL. */
int ext2_dump_inode(struct ext2_fs *fs, uint32_t ino, ext2_line_fn line,
		    void *ctx);

#endif
