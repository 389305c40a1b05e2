/* vfs.h — the file-system switch: a mount table, path resolution (".",
 * "..", repeated slashes, symlinks), open-file nodes counted so that an
 * unlinked open file lives until its last close, and the operations the
 * system calls use. Errors are negative errnos. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_PATH_MAX 256 /* bytes of a path, its NUL included */
#define VFS_NAME_MAX 255
#define VFS_MOUNTS 4
#define VFS_NODES 128	   /* files open at once, all processes */
#define VFS_SYMLINK_HOPS 8 /* ELOOP after this many */

/* Mode bits (POSIX, as ext2 stores them). */
#define VFS_S_IFMT 0170000
#define VFS_S_IFDIR 0040000
#define VFS_S_IFREG 0100000
#define VFS_S_IFLNK 0120000
#define VFS_IS_DIR(m) (((m)&VFS_S_IFMT) == VFS_S_IFDIR)
#define VFS_IS_REG(m) (((m)&VFS_S_IFMT) == VFS_S_IFREG)
#define VFS_IS_LNK(m) (((m)&VFS_S_IFMT) == VFS_S_IFLNK)

struct vfs_stat {
	uint32_t dev, ino, mode, links, uid, gid, blksize;
	uint64_t size, blocks; /* blocks in 512-byte units */
	uint32_t atime, mtime, ctime;
};

/* Directory entry types (the d_type values of Linux's getdents64). */
#define VFS_DT_UNKNOWN 0
#define VFS_DT_DIR 4
#define VFS_DT_REG 8
#define VFS_DT_LNK 10

struct vfs_dirent {
	uint32_t ino;
	uint8_t type;
	char name[VFS_NAME_MAX + 1];
};

struct vfs_statfs {
	uint32_t bsize;
	uint64_t blocks, bfree, files, ffree;
	const char *type; /* "ext2", "initrd" */
	bool readonly;
};

/* Copy n bytes between file data and the caller's buffer at offset off
 * (see ext2_copy_fn). */
typedef int (*vfs_copy_fn)(void *ctx, size_t off, void *data, size_t n);

struct vfs_mount;
struct vfs_ops {
	int (*lookup)(struct vfs_mount *m, uint32_t dir, const char *name,
		      size_t len, uint32_t *ino);
	int (*stat)(struct vfs_mount *m, uint32_t ino, struct vfs_stat *st);
	long (*read)(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		     vfs_copy_fn copy, void *ctx);
	long (*readlink)(struct vfs_mount *m, uint32_t ino, char *buf,
			 size_t n);
	int (*readdir)(struct vfs_mount *m, uint32_t dir, uint64_t *pos,
		       struct vfs_dirent *out);
	void (*statfs)(struct vfs_mount *m, struct vfs_statfs *st);
	/* NULL on a read-only file system */
	long (*write)(struct vfs_mount *m, uint32_t ino, uint64_t off, size_t n,
		      vfs_copy_fn copy, void *ctx);
	int (*truncate)(struct vfs_mount *m, uint32_t ino, uint64_t size);
	int (*create)(struct vfs_mount *m, uint32_t dir, const char *name,
		      size_t len, uint32_t mode, uint32_t *ino);
	int (*mkdir)(struct vfs_mount *m, uint32_t dir, const char *name,
		     size_t len, uint32_t mode, uint32_t *ino);
	int (*unlink)(struct vfs_mount *m, uint32_t dir, const char *name,
		      size_t len);
	int (*rmdir)(struct vfs_mount *m, uint32_t dir, const char *name,
		     size_t len);
	int (*rename)(struct vfs_mount *m, uint32_t odir, const char *oname,
		      size_t olen, uint32_t ndir, const char *nname,
		      size_t nlen);
	int (*release)(struct vfs_mount *m, uint32_t ino);
	int (*sync)(struct vfs_mount *m);
};

struct vfs_mount {
	char path[VFS_PATH_MAX]; /* canonical: "/" or "/initrd" */
	const struct vfs_ops *ops;
	void *fs; /* the file system's own state */
	uint32_t root;
	bool readonly;
	const char *type, *source; /* "ext2", "ata0 master" */
};

/* A resolved path: where it lives and its canonical absolute form. */
struct vfs_node {
	struct vfs_mount *m;
	uint32_t ino;
	char path[VFS_PATH_MAX];
};

/* An open file's node: shared by every descriptor on the same inode. */
struct vfs_vnode {
	struct vfs_mount *m;
	uint32_t ino;
	int refs;
};

/* Mount fs at path (canonical, "/" first): 0, -EBUSY, -ENOSPC (table). */
int vfs_mount(const char *path, const struct vfs_ops *ops, void *fs,
	      uint32_t root, bool readonly, const char *type,
	      const char *source);
/* The i-th mount, NULL past the end. */
struct vfs_mount *vfs_mount_at(int i);
/* Forget every mount and node (tests). */
void vfs_reset(void);

/* Resolve path (relative to cwd, a canonical absolute path). follow:
 * follow a symlink in the last component too. */
int vfs_resolve(const char *cwd, const char *path, bool follow,
		struct vfs_node *out);
/* Resolve all but the last component: the directory (a node) and the
 * last name (pointing into name[], at most VFS_NAME_MAX bytes). The
 * name is empty for "/", "." or ".." is returned as is. */
int vfs_resolve_parent(const char *cwd, const char *path, struct vfs_node *dir,
		       char name[VFS_NAME_MAX + 1]);

int vfs_stat_node(const struct vfs_node *n, struct vfs_stat *st);

/* Open flags (Linux's values). */
#define VFS_O_ACCMODE 3
#define VFS_O_RDONLY 0
#define VFS_O_WRONLY 1
#define VFS_O_RDWR 2
#define VFS_O_CREAT 0100
#define VFS_O_EXCL 0200
#define VFS_O_TRUNC 01000
#define VFS_O_APPEND 02000
#define VFS_O_DIRECTORY 0200000

/* open(2) minus the descriptor: a counted node, its file type bits in
 * *ftype, its canonical path in canon (VFS_PATH_MAX bytes) unless NULL. */
int vfs_open(const char *cwd, const char *path, int flags, uint32_t mode,
	     struct vfs_vnode **out, uint32_t *ftype, char *canon);
void vfs_vnode_get(struct vfs_vnode *v);
/* Drop one reference; the last one releases an unlinked inode. */
void vfs_vnode_put(struct vfs_vnode *v);
/* Whether an inode of m is open (ext2's in_use hook). */
bool vfs_in_use(const struct vfs_mount *m, uint32_t ino);

long vfs_read(struct vfs_vnode *v, uint64_t off, size_t n, vfs_copy_fn copy,
	      void *ctx);
long vfs_write(struct vfs_vnode *v, uint64_t off, size_t n, vfs_copy_fn copy,
	       void *ctx);
int vfs_truncate(struct vfs_vnode *v, uint64_t size);
int vfs_fstat(struct vfs_vnode *v, struct vfs_stat *st);
int vfs_readdir(struct vfs_vnode *v, uint64_t *pos, struct vfs_dirent *out);

int vfs_stat(const char *cwd, const char *path, bool follow,
	     struct vfs_stat *st);
int vfs_mkdir(const char *cwd, const char *path, uint32_t mode);
int vfs_rmdir(const char *cwd, const char *path);
int vfs_unlink(const char *cwd, const char *path);
int vfs_rename(const char *cwd, const char *from, const char *to);
long vfs_readlink(const char *cwd, const char *path, char *buf, size_t n);
int vfs_statfs(const char *cwd, const char *path, struct vfs_statfs *st);
/* The canonical path of a directory to change to (chdir). */
int vfs_chdir(const char *cwd, const char *path, char out[VFS_PATH_MAX]);
/* Write back every mount: 0 or the first error. */
int vfs_sync(void);

#endif
