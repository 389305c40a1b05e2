/* storage.c — the kernel's disks and mounts (see storage.h): ATA devices
 * wrapped as block devices, the buffer cache's memory taken from the page
 * allocator, ext2 mounted at / with printk for its messages and the RTC
 * for its clock, the initrd beside it. */
#include "drivers/ata.h"
#include "drivers/rtc.h"
#include "fs/devfs.h"
#include "fs/ext2_vfs.h"
#include "fs/initrd_boot.h"
#include "fs/initrd_fs.h"
#include "fs/storage.h"
#include "kernel/arch/layout.h"
#include "kernel/clock.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/pmm.h"
#include "mm/slab.h"

#define CACHE_MAX_BYTES (32u << 20) /* the buffer cache's data, at most */
#define CACHE_RAM_SHARE 8	    /* ... and at most 1/8 of free RAM */
#define CACHE_MIN_BUFS 64
#define CACHE_CHUNK_ORDER 8 /* data allocated 1 MiB at a time */
#define BOUNCE_BYTES (64 * 4096)

static struct blkdev disks[ATA_MAX_DEVICES];
static struct bcache cache;
static struct ext2_fs root_fs;
#define DINDEX_SLOTS 8192 /* indexes a directory of up to 4,096 entries */
static struct ext2_dslot dindex_slots[DINDEX_SLOTS];
static struct ext2_dindex dindex = {.slots = dindex_slots, .cap = DINDEX_SLOTS};
static bool have_root;
static uint64_t boot_unix;

uint32_t storage_time(void)
{
	return (uint32_t)(boot_unix + uptime_ms() / 1000);
}

static int ata_blk_read(struct blkdev *d, uint64_t s, unsigned n, void *buf)
{
	struct ata_device *a = d->priv;
	int rc = ata_read(a, s, n, buf);
	if (rc)
		printk("%s\n", a->last_error);
	return rc ? -EIO : 0;
}

static int ata_blk_write(struct blkdev *d, uint64_t s, unsigned n,
			 const void *buf)
{
	struct ata_device *a = d->priv;
	int rc = ata_write(a, s, n, buf);
	if (rc)
		printk("%s\n", a->last_error);
	return rc ? -EIO : 0;
}

static int ata_blk_flush(struct blkdev *d)
{
	struct ata_device *a = d->priv;
	int rc = ata_flush(a);
	if (rc)
		printk("%s\n", a->last_error);
	return rc ? -EIO : 0;
}

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	printk("%s\n", line);
}

static uint32_t now(void *ctx)
{
	(void)ctx;
	return storage_time();
}

/* Buffers for block_size blocks: descriptors and hash from the heap,
 * data in 1 MiB page blocks. Returns how many, 0 when out of memory. */
static unsigned cache_memory(const struct blkdev *d, unsigned block_size,
			     struct buf **bufs, struct buf ***hash,
			     unsigned *nhash, uint8_t **bounce)
{
	struct pmm_stats st;
	pmm_stats(&st);
	uint64_t bytes = st.free_pages * PAGE_SIZE / CACHE_RAM_SHARE;
	bytes = bytes < CACHE_MAX_BYTES ? bytes : CACHE_MAX_BYTES;
	uint64_t chunk0 = (uint64_t)PAGE_SIZE << CACHE_CHUNK_ORDER;
	uint64_t disk =
	    (d->sectors * BLK_SECTOR + chunk0 - 1) / chunk0 * chunk0;
	bytes = bytes < disk ? bytes : disk; /* no more than the disk */
	uint64_t chunk = (uint64_t)PAGE_SIZE << CACHE_CHUNK_ORDER;
	unsigned n = (unsigned)(bytes / chunk * (chunk / block_size));
	if (n < CACHE_MIN_BUFS)
		return 0;
	for (*nhash = 1; *nhash < n; *nhash <<= 1)
		;
	*bufs = kmalloc(n * sizeof **bufs);
	*hash = kmalloc(*nhash * sizeof **hash);
	*bounce = kmalloc(BOUNCE_BYTES);
	if (!*bufs || !*hash || !*bounce)
		return 0;
	memset(*bufs, 0, n * sizeof **bufs);
	unsigned per = (unsigned)(chunk / block_size);
	for (unsigned i = 0; i < n; i += per) {
		uint64_t phys = pmm_alloc(CACHE_CHUNK_ORDER, PMM_OWNER_KERNEL);
		if (!phys)
			return i; /* fewer buffers, still usable */
		for (unsigned k = 0; k < per && i + k < n; k++)
			(*bufs)[i + k].data = (uint8_t *)phys_to_virt(phys) +
					      (size_t)k * block_size;
	}
	return n;
}

/* Mount the ext2 on disk d at /: true on success (messages printed). */
static bool mount_disk(struct blkdev *d)
{
	unsigned bs, nhash;
	char why[160];
	struct buf *bufs;
	struct buf **hash;
	uint8_t *bounce;
	if (ext2_probe(d, &bs, why, sizeof why)) {
		printk("ext2: %s: %s; not mounted\n", d->name, why);
		return false;
	}
	unsigned n = cache_memory(d, bs, &bufs, &hash, &nhash, &bounce);
	if (!n || bcache_init(&cache, d, bs, bufs, n, hash, nhash, bounce,
			      BOUNCE_BYTES)) {
		printk("ext2: %s: no memory for the buffer cache\n", d->name);
		return false;
	}
	root_fs.log = log_line;
	root_fs.now = now;
	root_fs.dindex = &dindex;
	int rc = ext2_mount(&root_fs, &cache, false, why, sizeof why);
	if (rc) {
		printk("ext2: %s: cannot mount: %s (error %d)\n", d->name, why,
		       rc);
		return false;
	}
	if (why[0])
		printk("ext2: %s: %s\n", d->name, why);
	struct ext2_statfs s;
	ext2_statfs(&root_fs, &s);
	printk("ext2: %s: %u blocks of %u KiB (%u free), %u inodes (%u "
	       "free), revision %u; cache %u blocks\n",
	       d->name, s.blocks, s.block_size / 1024, s.free_blocks, s.inodes,
	       s.free_inodes, root_fs.rev, n);
	return true;
}

static void mount_root(void)
{
	struct ata_device *a;
	for (int i = 0; (a = ata_device(i)) && !have_root; i++) {
		if (a->kind != ATA_DISK)
			continue;
		disks[i] =
		    (struct blkdev){a->name,	   a->sectors,	  ata_blk_read,
				    ata_blk_write, ata_blk_flush, a};
		if (!mount_disk(&disks[i]))
			continue;
		vfs_mount("/", &ext2_vfs_ops, &root_fs, EXT2_ROOT_INO,
			  root_fs.readonly, "ext2", a->name);
		root_fs.in_use = ext2_vfs_in_use;
		root_fs.ctx = vfs_mount_at(0);
		have_root = true;
		printk("vfs: / is ext2 on %s (%s)\n", a->name,
		       root_fs.readonly ? "read-only" : "read-write");
	}
}

void storage_init(const struct boot_info *bi)
{
	boot_unix = rtc_read_unix();
	bool rd = initrd_boot_init(bi);
	mount_root();
	if (rd) {
		const char *at = have_root ? "/initrd" : "/";
		vfs_mount(at, &initrd_vfs_ops, (void *)initrd_boot_archive(),
			  INITRD_ROOT_INO, true, "initrd", "boot module");
		printk("vfs: %s is the initrd (read-only)\n", at);
	}
	if (have_root || rd) /* /dev needs a / to hang from */
		vfs_mount("/dev", &devfs_ops, 0, DEVFS_ROOT_INO, true, "devfs",
			  "ata");
}

void storage_periodic(void)
{
	if (!have_root || cache.busy)
		return;
	int rc = bcache_sync_if_due(&cache, uptime_ms(), STORAGE_SYNC_MS);
	if (rc)
		printk(
		    "ext2: write-back failed (error %d); blocks stay dirty\n",
		    rc);
}

int storage_sync(void)
{
	if (!have_root)
		return 0;
	if (cache.busy)
		return -EBUSY;
	return bcache_sync(&cache);
}

struct ext2_fs *storage_ext2(void)
{
	return have_root ? &root_fs : 0;
}

struct bcache *storage_cache(void)
{
	return have_root ? &cache : 0;
}
