/* initrd_fs.h — the initrd (a ustar archive in memory) as a read-only
 * file system of one directory. */
#ifndef FS_INITRD_FS_H
#define FS_INITRD_FS_H

#include "fs/initrd.h"
#include "fs/vfs.h"

#define INITRD_ROOT_INO 1 /* the directory; file i is inode i + 2 */

/* Mount with fs = a struct initrd, root = INITRD_ROOT_INO. */
extern const struct vfs_ops initrd_vfs_ops;

#endif
