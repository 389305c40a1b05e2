/* devfs.h — /dev: the ATA disks as read-only raw devices (disk0, disk1 …
 * in the order IDENTIFY found them), read straight from the driver. */
#ifndef FS_DEVFS_H
#define FS_DEVFS_H

#include "fs/vfs.h"

#define DEVFS_ROOT_INO 1

/* Mount with fs = NULL, root = DEVFS_ROOT_INO (read-only). */
extern const struct vfs_ops devfs_ops;

#endif
