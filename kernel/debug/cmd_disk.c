/* cmd_disk.c — monitor commands on disks and the buffer cache: disk (every
 * ATA device), dread (sectors straight from the device, hex), bcache
 * (the cache's counters), sync (write back now). All use polled I/O: the
 * monitor runs with interrupts off. */
#include "drivers/ata.h"
#include "fs/storage.h"
#include "kernel/debug/monitor.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define DREAD_MAX 64	 /* sectors one dread shows */
#define LINE_BYTES 16	 /* bytes per dump line */
#define ASCII_FIRST 0x20 /* printable: space .. '~' */
#define ASCII_LAST 0x7e

static void device_lines(struct mon_ctx *ctx, const struct ata_device *d)
{
	const struct ata_channel *ch = d->ch;
	if (d->kind == ATA_ATAPI) {
		mon_printf(ctx, "%-12s ATAPI %s (left alone), io 0x%x/0x%x\n",
			   d->name, d->model, ch->base, ch->ctrl);
		return;
	}
	mon_printf(
	    ctx,
	    "%-12s disk  %s, serial %s, firmware %s\n"
	    "             %lu sectors (%lu MiB), %s, io 0x%x/0x%x irq %u "
	    "(%lu interrupts)\n"
	    "             reads %lu (%lu sectors), writes %lu (%lu "
	    "sectors), completions: %lu by IRQ, %lu polled\n"
	    "             errors %lu (timeouts %lu)%s%s\n",
	    d->name, d->model, d->serial, d->firmware,
	    (unsigned long)d->sectors,
	    (unsigned long)(d->sectors * ATA_SECTOR >> 20),
	    d->lba48 ? "LBA48" : "LBA28", ch->base, ch->ctrl, ch->irq,
	    (unsigned long)ch->irqs, (unsigned long)d->reads,
	    (unsigned long)d->sectors_read, (unsigned long)d->writes,
	    (unsigned long)d->sectors_written, (unsigned long)d->irq_done,
	    (unsigned long)d->polled_done, (unsigned long)d->errors,
	    (unsigned long)d->timeouts, d->last_error[0] ? "; last: " : "",
	    d->last_error);
}

static int cmd_disk(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct ata_device *d;
	int i = 0;
	for (; (d = ata_device(i)); i++)
		device_lines(ctx, d);
	if (!i || ata_none_reason()[0])
		mon_printf(ctx, "no ATA disk: %s\n", ata_none_reason());
	return MON_OK;
}
MON_COMMAND(disk, "",
	    "the ATA devices: model, capacity, LBA mode, counters, errors\n"
	    "One entry per device IDENTIFY found at boot (disks and ATAPI\n"
	    "drives); completions say how commands ended (IRQ or polling).",
	    MON_NOREPEAT, cmd_disk);

static struct ata_device *first_disk(void)
{
	struct ata_device *d;
	for (int i = 0; (d = ata_device(i)); i++)
		if (d->kind == ATA_DISK)
			return d;
	return 0;
}

static void dump_line(struct mon_ctx *ctx, uint64_t off, const uint8_t *b)
{
	mon_printf(ctx, "%08lx:", (unsigned long)off);
	for (int i = 0; i < LINE_BYTES; i++)
		mon_printf(ctx, "%s%02x", i == 8 ? "  " : " ", b[i]);
	mon_printf(ctx, "  |");
	for (int i = 0; i < LINE_BYTES; i++)
		mon_putc(ctx, b[i] >= ASCII_FIRST && b[i] <= ASCII_LAST
				  ? (char)b[i]
				  : '.');
	mon_printf(ctx, "|\n");
}

static int cmd_dread(struct mon_ctx *ctx, int argc, char **argv)
{
	static uint8_t buf[DREAD_MAX * ATA_SECTOR];
	uint64_t lba, count = 1;
	struct ata_device *d = first_disk();
	if (!mon_eval(ctx, argv[1], &lba) ||
	    (argc > 2 && !mon_eval(ctx, argv[2], &count)))
		return MON_ERR;
	if (!d) {
		mon_printf(ctx, "dread: no ATA disk (see `disk`)\n");
		return MON_ERR;
	}
	if (d->ch->busy) {
		mon_printf(ctx,
			   "dread: %s is in the middle of a command (the "
			   "kernel stopped during disk I/O); continue "
			   "first\n",
			   d->name);
		return MON_ERR;
	}
	if (!count || count > DREAD_MAX) {
		mon_printf(ctx, "dread: count must be 1..%d\n", DREAD_MAX);
		return MON_ERR;
	}
	if (ata_read(d, lba, (unsigned)count, buf)) {
		mon_printf(ctx, "dread: %s\n", d->last_error);
		return MON_ERR;
	}
	for (uint64_t i = 0; i < count * ATA_SECTOR && !mon_aborted(ctx);
	     i += LINE_BYTES)
		dump_line(ctx, lba * ATA_SECTOR + i, buf + i);
	mon_set_repeat(ctx, "dread %lu %lu", (unsigned long)(lba + count),
		       (unsigned long)count);
	return MON_OK;
}
MON_COMMAND(dread, "<lba> [count]",
	    "hex dump of sectors read straight from the first ATA disk\n"
	    "Reads count (default 1, at most 64) 512-byte sectors from LBA\n"
	    "lba by polled PIO, bypassing the buffer cache; the offsets are\n"
	    "bytes from the start of the disk. Enter reads the next ones.",
	    0, cmd_dread);

static int cmd_bcache(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct bcache *c = storage_cache();
	if (!c) {
		mon_printf(ctx, "bcache: no disk file system mounted\n");
		return MON_OK;
	}
	unsigned valid = 0;
	for (unsigned i = 0; i < c->nbuf; i++)
		valid += c->bufs[i].valid;
	const struct bcache_stats *s = &c->st;
	uint64_t looks = s->hits + s->misses;
	mon_printf(
	    ctx,
	    "buffer cache of %s: %u buffers of %u bytes (%lu KiB), %u "
	    "in use, %u dirty, %u pinned%s\n"
	    "lookups %lu: %lu hits, %lu misses (%lu%% hits)\n"
	    "device reads %lu (%lu blocks), writes %lu (%lu blocks)\n"
	    "reused buffers %lu (%lu written back first), syncs %lu, "
	    "I/O errors %lu\n",
	    c->dev->name, c->nbuf, c->block_size,
	    (unsigned long)c->nbuf * c->block_size / 1024, valid, c->ndirty,
	    bcache_pinned(c), c->busy ? " (stopped inside a cache call)" : "",
	    (unsigned long)looks, (unsigned long)s->hits,
	    (unsigned long)s->misses,
	    (unsigned long)(looks ? s->hits * 100 / looks : 0),
	    (unsigned long)s->reads, (unsigned long)s->read_blocks,
	    (unsigned long)s->writes, (unsigned long)s->written_blocks,
	    (unsigned long)s->evictions, (unsigned long)s->dirty_evictions,
	    (unsigned long)s->syncs, (unsigned long)s->errors);
	return MON_OK;
}
MON_COMMAND(bcache, "",
	    "buffer cache: size, blocks in use and dirty, hits and misses\n"
	    "Dirty blocks are written back by sync (the command, the system\n"
	    "call, before reboot) and within 5 s by the idle loop.",
	    MON_NOREPEAT, cmd_bcache);

static int cmd_sync(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct bcache *c = storage_cache();
	if (!c) {
		mon_printf(ctx, "sync: no disk file system mounted\n");
		return MON_OK;
	}
	unsigned dirty = c->ndirty;
	int rc = storage_sync();
	if (rc == -EBUSY)
		mon_printf(ctx,
			   "sync: the cache was stopped in the middle of a "
			   "call; continue, then sync\n");
	else if (rc)
		mon_printf(ctx, "sync: failed (error %d); see `disk`\n", rc);
	else
		mon_printf(ctx, "sync: %u dirty blocks written\n", dirty);
	return rc ? MON_ERR : MON_OK;
}
MON_COMMAND(sync, "", "write the buffer cache's dirty blocks to the disk now",
	    MON_NOREPEAT, cmd_sync);
