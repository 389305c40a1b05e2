/* vfs.c — the mount table, open-file nodes, open(2) and the calls on an
 * open node (paths are resolved in vfs_path.c). */
#include "fs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

static struct vfs_mount mounts[VFS_MOUNTS];
static int nmounts;
static struct vfs_vnode nodes[VFS_NODES];

void vfs_reset(void)
{
	memset(mounts, 0, sizeof mounts);
	memset(nodes, 0, sizeof nodes);
	nmounts = 0;
}

struct vfs_mount *vfs_mount_at(int i)
{
	return i >= 0 && i < nmounts ? &mounts[i] : 0;
}

int vfs_mount(const char *path, const struct vfs_ops *ops, void *fs,
	      uint32_t root, bool readonly, const char *type,
	      const char *source)
{
	if (nmounts == VFS_MOUNTS)
		return -ENOSPC;
	for (int i = 0; i < nmounts; i++)
		if (!strcmp(mounts[i].path, path))
			return -EBUSY;
	struct vfs_mount *m = &mounts[nmounts++];
	if (strlen(path) >= sizeof m->path)
		return -ENAMETOOLONG;
	memcpy(m->path, path, strlen(path) + 1);
	m->ops = ops;
	m->fs = fs;
	m->root = root;
	m->readonly = readonly || !ops->write;
	m->type = type;
	m->source = source;
	return 0;
}

int vfs_stat_node(const struct vfs_node *n, struct vfs_stat *st)
{
	int rc = n->m->ops->stat(n->m, n->ino, st);
	if (!rc)
		st->dev = (uint32_t)(n->m - mounts) + 1;
	return rc;
}

int vfs_stat(const char *cwd, const char *path, bool follow,
	     struct vfs_stat *st)
{
	struct vfs_node n;
	int rc = vfs_resolve(cwd, path, follow, &n);
	return rc ? rc : vfs_stat_node(&n, st);
}

/* ---- open-file nodes ---- */

bool vfs_in_use(const struct vfs_mount *m, uint32_t ino)
{
	for (int i = 0; i < VFS_NODES; i++)
		if (nodes[i].refs && nodes[i].m == m && nodes[i].ino == ino)
			return true;
	return false;
}

static struct vfs_vnode *node_get(struct vfs_mount *m, uint32_t ino)
{
	struct vfs_vnode *free = 0;
	for (int i = 0; i < VFS_NODES; i++) {
		if (nodes[i].refs && nodes[i].m == m && nodes[i].ino == ino) {
			nodes[i].refs++;
			return &nodes[i];
		}
		if (!nodes[i].refs && !free)
			free = &nodes[i];
	}
	if (free) {
		free->m = m;
		free->ino = ino;
		free->refs = 1;
	}
	return free;
}

void vfs_vnode_get(struct vfs_vnode *v)
{
	v->refs++;
}

void vfs_vnode_put(struct vfs_vnode *v)
{
	if (v->refs > 0 && --v->refs == 0 && v->m->ops->release)
		v->m->ops->release(v->m, v->ino);
}

static uint32_t ftype_of(uint32_t mode)
{
	return mode & VFS_S_IFMT;
}

/* The node path names, created (a regular file) when absent and asked. */
static int open_or_create(const char *cwd, const char *path, int flags,
			  uint32_t mode, struct vfs_node *n, bool *created)
{
	*created = false;
	int rc = vfs_resolve(cwd, path, true, n);
	if (rc != -ENOENT || !(flags & VFS_O_CREAT))
		return rc;
	char name[VFS_NAME_MAX + 1];
	struct vfs_node dir;
	if ((rc = vfs_resolve_parent(cwd, path, &dir, name)))
		return rc;
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EISDIR;
	if (dir.m->readonly)
		return -EROFS;
	rc = dir.m->ops->create(dir.m, dir.ino, name, strlen(name),
				mode & 07777, &n->ino);
	n->m = dir.m;
	*created = rc == 0;
	size_t dl = strlen(dir.path), nl = strlen(name);
	if (dl + 1 + nl < sizeof n->path) {
		memcpy(n->path, dir.path, dl);
		if (dl > 1)
			n->path[dl++] = '/';
		memcpy(n->path + dl, name, nl + 1);
	}
	return rc;
}

int vfs_open(const char *cwd, const char *path, int flags, uint32_t mode,
	     struct vfs_vnode **out, uint32_t *ftype, char *canon)
{
	int acc = flags & VFS_O_ACCMODE;
	struct vfs_node n;
	struct vfs_stat st;
	bool created;
	if (acc == VFS_O_ACCMODE)
		return -EINVAL;
	int rc = open_or_create(cwd, path, flags, mode, &n, &created);
	if (rc)
		return rc;
	if (!created && (flags & VFS_O_CREAT) && (flags & VFS_O_EXCL))
		return -EEXIST;
	if ((rc = n.m->ops->stat(n.m, n.ino, &st)))
		return rc;
	bool writing = acc != VFS_O_RDONLY;
	if (VFS_IS_DIR(st.mode) && (writing || (flags & VFS_O_TRUNC)))
		return -EISDIR;
	if (!VFS_IS_DIR(st.mode) && (flags & VFS_O_DIRECTORY))
		return -ENOTDIR;
	if ((writing || (flags & VFS_O_TRUNC)) && n.m->readonly)
		return -EROFS;
	if ((flags & VFS_O_TRUNC) && writing && !created && st.size &&
	    (rc = n.m->ops->truncate(n.m, n.ino, 0)))
		return rc;
	if (!(*out = node_get(n.m, n.ino)))
		return -ENFILE;
	*ftype = ftype_of(st.mode);
	if (canon)
		memcpy(canon, n.path, VFS_PATH_MAX);
	return 0;
}

long vfs_read(struct vfs_vnode *v, uint64_t off, size_t n, vfs_copy_fn copy,
	      void *ctx)
{
	return v->m->ops->read(v->m, v->ino, off, n, copy, ctx);
}

long vfs_write(struct vfs_vnode *v, uint64_t off, size_t n, vfs_copy_fn copy,
	       void *ctx)
{
	if (v->m->readonly)
		return -EROFS;
	return v->m->ops->write(v->m, v->ino, off, n, copy, ctx);
}

int vfs_truncate(struct vfs_vnode *v, uint64_t size)
{
	if (v->m->readonly)
		return -EROFS;
	return v->m->ops->truncate(v->m, v->ino, size);
}

int vfs_fstat(struct vfs_vnode *v, struct vfs_stat *st)
{
	struct vfs_node n = {v->m, v->ino, ""};
	return vfs_stat_node(&n, st);
}

int vfs_readdir(struct vfs_vnode *v, uint64_t *pos, struct vfs_dirent *out)
{
	return v->m->ops->readdir(v->m, v->ino, pos, out);
}
