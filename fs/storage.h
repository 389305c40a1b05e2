/* storage.h — the kernel's disks and mounts: ATA disks as block devices,
 * the ext2 on the first one at /, the initrd at /initrd (or at / without
 * a disk), the buffer cache's memory, periodic write-back. */
#ifndef FS_STORAGE_H
#define FS_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "fs/bcache.h"
#include "fs/ext2.h"
#include "kernel/multiboot.h"

#define STORAGE_SYNC_MS 5000 /* dirty blocks are written within this */

/* Find the initrd and the disks, mount them; prints what it did. */
void storage_init(const struct boot_info *bi);
/* Write back dirty blocks older than STORAGE_SYNC_MS (idle loop, system
 * calls). */
void storage_periodic(void);
/* Write back everything now (sync(2), the monitor, before reboot): 0 or
 * an errno; -EBUSY when the cache is in the middle of a call (the
 * debugger stopped it there). */
int storage_sync(void);
/* The mounted root ext2 and its cache, NULL without a disk. */
struct ext2_fs *storage_ext2(void);
struct bcache *storage_cache(void);
/* Seconds since 1970 now (the RTC at boot plus the uptime). */
uint32_t storage_time(void);

#endif
