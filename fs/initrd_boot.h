/* initrd_boot.h — the initrd GRUB loaded as a Multiboot2 module. */
#ifndef FS_INITRD_BOOT_H
#define FS_INITRD_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/multiboot.h"
#include "fs/initrd.h"

#define INITRD_MODULE_NAME "initrd"

/* Find the module named "initrd" (else the only module) and check the
 * archive; prints what it found. False when there is none usable. */
bool initrd_boot_init(const struct boot_info *bi);
bool initrd_boot_find(const char *path, struct initrd_file *f);
/* The archive, NULL when there is none. */
const struct initrd *initrd_boot_archive(void);
/* 0, or -ENOENT past the last file. */
int initrd_boot_file_at(size_t index, struct initrd_file *f);

#endif
