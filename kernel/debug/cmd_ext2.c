/* cmd_ext2.c — monitor commands on the mounted ext2: ext2 (the superblock
 * like dumpe2fs -h, one line per group) and inode N (like debugfs stat,
 * with the block map and its indirect blocks). Polled I/O through the
 * buffer cache. */
#include "fs/ext2_dump.h"
#include "fs/storage.h"
#include "kernel/debug/monitor.h"

static void line(void *ctx, const char *text)
{
	mon_printf(ctx, "%s\n", text);
}

/* The mounted ext2, or NULL after a message saying why it cannot be
 * looked at now. */
static struct ext2_fs *usable(struct mon_ctx *ctx)
{
	struct ext2_fs *fs = storage_ext2();
	if (!fs)
		mon_printf(ctx, "%s: no ext2 mounted (boot with a disk)\n",
			   ctx->cmd->name);
	else if (fs->bc->busy)
		mon_printf(ctx,
			   "%s: the buffer cache was stopped in the middle of "
			   "a call; continue first\n",
			   ctx->cmd->name);
	return fs && !fs->bc->busy ? fs : 0;
}

static int cmd_ext2(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct ext2_fs *fs = usable(ctx);
	if (!fs)
		return MON_ERR;
	int rc = ext2_dump_super(fs, line, ctx);
	if (rc)
		mon_printf(ctx, "ext2: error %d reading the file system\n", rc);
	return rc ? MON_ERR : MON_OK;
}
MON_COMMAND(ext2, "",
	    "the mounted ext2: superblock (as dumpe2fs -h) and groups\n"
	    "Counts are the cache's current ones (sync writes them out).",
	    MON_NOREPEAT, cmd_ext2);

static int cmd_inode(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	uint64_t ino;
	struct ext2_fs *fs = usable(ctx);
	if (!fs || !mon_eval(ctx, argv[1], &ino))
		return MON_ERR;
	if (ino < 1 || ino > fs->inodes) {
		mon_printf(ctx, "inode: %lu is not in 1..%u\n",
			   (unsigned long)ino, fs->inodes);
		return MON_ERR;
	}
	int rc = ext2_dump_inode(fs, (uint32_t)ino, line, ctx);
	if (rc)
		mon_printf(ctx, "inode: error %d (%s)\n", rc, fs->last_msg);
	mon_set_repeat(ctx, "inode %lu", (unsigned long)ino + 1);
	return rc ? MON_ERR : MON_OK;
}
MON_COMMAND(inode, "<n>",
	    "an ext2 inode decoded (as debugfs stat <n>)\n"
	    "Mode, size, links, times, and the block map in debugfs's\n"
	    "notation: (logical-range):physical-range, (IND)/(DIND)/(TIND)\n"
	    "for the indirect blocks. Enter shows the next inode.",
	    0, cmd_inode);
