/* ext2_vfs.h — ext2's operations for the VFS. */
#ifndef FS_EXT2_VFS_H
#define FS_EXT2_VFS_H

#include "fs/ext2.h"
#include "fs/vfs.h"

/* Mount with fs = the struct ext2_fs, root = EXT2_ROOT_INO. */
extern const struct vfs_ops ext2_vfs_ops;
/* ext2's in_use hook when its ctx is the struct vfs_mount. */
bool ext2_vfs_in_use(void *ctx, uint32_t ino);

#endif
