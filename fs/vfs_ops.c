/* vfs_ops.c — the path operations of the system calls: mkdir, rmdir,
 * unlink, rename, readlink, statfs, chdir, sync; mount points and
 * read-only mounts refused here, the rest left to each file system. */
#include "fs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

static bool is_dots(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* Whether dir/name is where another file system is mounted. */
static bool mount_point(const struct vfs_node *dir, const char *name)
{
	char p[VFS_PATH_MAX + VFS_NAME_MAX + 2];
	size_t dl = strlen(dir->path);
	memcpy(p, dir->path, dl);
	if (dl > 1)
		p[dl++] = '/';
	memcpy(p + dl, name, strlen(name) + 1);
	struct vfs_mount *m;
	for (int i = 0; (m = vfs_mount_at(i)); i++)
		if (!strcmp(m->path, p))
			return true;
	return false;
}

/* The parent directory of path and its last name, for a change. */
static int parent_for_change(const char *cwd, const char *path,
			     struct vfs_node *dir, char *name)
{
	int rc = vfs_resolve_parent(cwd, path, dir, name);
	if (rc)
		return rc;
	return dir->m->readonly ? -EROFS : 0;
}

int vfs_mkdir(const char *cwd, const char *path, uint32_t mode)
{
	struct vfs_node dir;
	char name[VFS_NAME_MAX + 1];
	uint32_t ino;
	int rc = vfs_resolve_parent(cwd, path, &dir, name);
	if (rc)
		return rc;
	if (!name[0] || is_dots(name) || mount_point(&dir, name))
		return -EEXIST;
	if (dir.m->readonly)
		return -EROFS;
	return dir.m->ops->mkdir(dir.m, dir.ino, name, strlen(name),
				 mode & 07777, &ino);
}

int vfs_rmdir(const char *cwd, const char *path)
{
	struct vfs_node dir;
	char name[VFS_NAME_MAX + 1];
	int rc = parent_for_change(cwd, path, &dir, name);
	if (rc)
		return rc;
	if (!name[0] || mount_point(&dir, name))
		return -EBUSY;
	if (!strcmp(name, "."))
		return -EINVAL;
	if (!strcmp(name, ".."))
		return -ENOTEMPTY;
	return dir.m->ops->rmdir(dir.m, dir.ino, name, strlen(name));
}

int vfs_unlink(const char *cwd, const char *path)
{
	struct vfs_node dir;
	char name[VFS_NAME_MAX + 1];
	int rc = vfs_resolve_parent(cwd, path, &dir, name);
	if (rc)
		return rc;
	if (!name[0] || is_dots(name) || mount_point(&dir, name))
		return -EISDIR;
	if (dir.m->readonly)
		return -EROFS;
	return dir.m->ops->unlink(dir.m, dir.ino, name, strlen(name));
}

int vfs_rename(const char *cwd, const char *from, const char *to)
{
	struct vfs_node od, nd;
	char on[VFS_NAME_MAX + 1], nn[VFS_NAME_MAX + 1];
	int rc = parent_for_change(cwd, from, &od, on);
	if (rc || (rc = parent_for_change(cwd, to, &nd, nn)))
		return rc;
	if (!on[0] || !nn[0] || is_dots(on) || is_dots(nn) ||
	    mount_point(&od, on) || mount_point(&nd, nn))
		return -EBUSY;
	if (od.m != nd.m)
		return -EXDEV;
	return od.m->ops->rename(od.m, od.ino, on, strlen(on), nd.ino, nn,
				 strlen(nn));
}

long vfs_readlink(const char *cwd, const char *path, char *buf, size_t n)
{
	struct vfs_node node;
	struct vfs_stat st;
	int rc = vfs_resolve(cwd, path, false, &node);
	if (rc || (rc = vfs_stat_node(&node, &st)))
		return rc;
	if (!VFS_IS_LNK(st.mode))
		return -EINVAL;
	return node.m->ops->readlink(node.m, node.ino, buf, n);
}

int vfs_statfs(const char *cwd, const char *path, struct vfs_statfs *st)
{
	struct vfs_node node;
	int rc = vfs_resolve(cwd, path, true, &node);
	if (rc)
		return rc;
	memset(st, 0, sizeof *st);
	node.m->ops->statfs(node.m, st);
	st->type = node.m->type;
	st->readonly = node.m->readonly;
	return 0;
}

int vfs_chdir(const char *cwd, const char *path, char out[VFS_PATH_MAX])
{
	struct vfs_node node;
	struct vfs_stat st;
	int rc = vfs_resolve(cwd, path, true, &node);
	if (rc || (rc = vfs_stat_node(&node, &st)))
		return rc;
	if (!VFS_IS_DIR(st.mode))
		return -ENOTDIR;
	memcpy(out, node.path, VFS_PATH_MAX);
	return 0;
}

int vfs_sync(void)
{
	int first = 0;
	struct vfs_mount *m;
	for (int i = 0; (m = vfs_mount_at(i)); i++)
		if (m->ops->sync && !m->readonly) {
			int rc = m->ops->sync(m);
			first = first ? first : rc;
		}
	return first;
}
