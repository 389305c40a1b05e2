/* vfs_path.c — path resolution: component by component from the root (or
 * the canonical current directory), keeping the directories walked on a
 * stack, so ".." goes back to where the walk physically came from (also
 * after a symlink, and across a mount point); a symlink's target is put
 * in front of the components still to walk. The result carries the
 * canonical path of what was found. */
#include "fs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

#define MAX_LEVELS (VFS_PATH_MAX / 2) /* "/a/b/..." */
#define PENDING_MAX (2 * VFS_PATH_MAX)

struct level {
	struct vfs_mount *m;
	uint32_t ino;
	uint16_t plen; /* length of path at this level */
};

struct walker {
	char path[VFS_PATH_MAX]; /* canonical path walked so far */
	struct level lv[MAX_LEVELS];
	int depth;
	int hops;		   /* symlinks followed */
	char pending[PENDING_MAX]; /* components still to walk */
	size_t at;		   /* next byte of pending */
};

static struct vfs_mount *mount_at_path(const char *path)
{
	struct vfs_mount *m;
	for (int i = 0; (m = vfs_mount_at(i)); i++)
		if (!strcmp(m->path, path))
			return m;
	return 0;
}

static void to_root(struct walker *w)
{
	w->depth = 0;
	w->lv[0].m = mount_at_path("/");
	w->lv[0].ino = w->lv[0].m ? w->lv[0].m->root : 0;
	w->lv[0].plen = 1;
	memcpy(w->path, "/", 2);
}

/* pending = a + "/" + b */
static int set_pending(struct walker *w, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la + 1 + lb >= PENDING_MAX)
		return -ENAMETOOLONG;
	memmove(w->pending + la + 1, b, lb + 1);
	memcpy(w->pending, a, la);
	w->pending[la] = '/';
	w->at = 0;
	return 0;
}

/* The next component (NULL when none is left). */
static const char *next_name(struct walker *w, size_t *len)
{
	while (w->pending[w->at] == '/')
		w->at++;
	if (!w->pending[w->at])
		return 0;
	const char *name = w->pending + w->at;
	for (*len = 0; name[*len] && name[*len] != '/'; ++*len)
		;
	w->at += *len;
	return name;
}

static bool more_left(const struct walker *w)
{
	for (size_t i = w->at; w->pending[i]; i++)
		if (w->pending[i] != '/')
			return true;
	return false;
}

static int push(struct walker *w, struct vfs_mount *m, uint32_t ino,
		const char *name, size_t len)
{
	size_t pl = w->lv[w->depth].plen;
	size_t sep = pl > 1;
	if (pl + sep + len >= VFS_PATH_MAX || w->depth + 1 >= MAX_LEVELS)
		return -ENAMETOOLONG;
	if (sep)
		w->path[pl] = '/';
	memcpy(w->path + pl + sep, name, len);
	w->path[pl + sep + len] = '\0';
	w->depth++;
	w->lv[w->depth] = (struct level){m, ino, (uint16_t)(pl + sep + len)};
	return 0;
}

static void pop(struct walker *w)
{
	if (w->depth)
		w->depth--;
	w->path[w->lv[w->depth].plen] = '\0';
}

/* Follow the symlink ino of m: its target goes before the rest. */
static int follow_link(struct walker *w, struct vfs_mount *m, uint32_t ino)
{
	char target[VFS_PATH_MAX];
	if (++w->hops > VFS_SYMLINK_HOPS)
		return -ELOOP;
	long n = m->ops->readlink(m, ino, target, sizeof target);
	if (n <= 0)
		return n ? (int)n : -ENOENT;
	char rest[PENDING_MAX];
	memcpy(rest, w->pending + w->at, strlen(w->pending + w->at) + 1);
	if (target[0] == '/')
		to_root(w);
	return set_pending(w, target, rest);
}

/* One component `name` below the current level. A mount point needs no
 * directory under it (an image made without /initrd still shows it). */
static int step(struct walker *w, const char *name, size_t len, bool follow)
{
	struct level *cur = &w->lv[w->depth];
	struct vfs_stat st;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	int rc = cur->m->ops->stat(cur->m, cur->ino, &st);
	if (rc)
		return rc;
	if (!VFS_IS_DIR(st.mode))
		return -ENOTDIR;
	struct vfs_mount *m = cur->m;
	if ((rc = push(w, m, 0, name, len)))
		return rc;
	struct vfs_mount *over = mount_at_path(w->path);
	if (over) { /* another file system is mounted here */
		w->lv[w->depth].m = over;
		w->lv[w->depth].ino = over->root;
		return 0;
	}
	uint32_t ino;
	if ((rc = m->ops->lookup(m, cur->ino, name, len, &ino)) ||
	    (rc = m->ops->stat(m, ino, &st)))
		return rc;
	if (VFS_IS_LNK(st.mode) && (follow || more_left(w))) {
		pop(w);
		return follow_link(w, m, ino);
	}
	w->lv[w->depth].ino = ino;
	return 0;
}

static int walk(struct walker *w, bool follow)
{
	const char *name;
	size_t len;
	while ((name = next_name(w, &len))) {
		int rc = 0;
		if (len == 2 && name[0] == '.' && name[1] == '.')
			pop(w);
		else if (!(len == 1 && name[0] == '.'))
			rc = step(w, name, len, follow);
		if (rc)
			return rc;
	}
	return 0;
}

static int finish(struct walker *w, bool must_dir, struct vfs_node *out)
{
	struct level *l = &w->lv[w->depth];
	if (must_dir) {
		struct vfs_stat st;
		int rc = l->m->ops->stat(l->m, l->ino, &st);
		if (rc)
			return rc;
		if (!VFS_IS_DIR(st.mode))
			return -ENOTDIR;
	}
	out->m = l->m;
	out->ino = l->ino;
	memcpy(out->path, w->path, sizeof out->path);
	return 0;
}

int vfs_resolve(const char *cwd, const char *path, bool follow,
		struct vfs_node *out)
{
	static struct walker w; /* 1.7 KiB: off the kernel stack */
	size_t n = strlen(path);
	if (!n)
		return -ENOENT;
	if (n >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	w.hops = 0;
	to_root(&w);
	if (!w.lv[0].m)
		return -ENOENT;
	int rc = set_pending(&w, path[0] == '/' ? "" : cwd, path);
	bool must_dir = path[n - 1] == '/';
	if (!rc)
		rc = walk(&w, follow || must_dir);
	return rc ? rc : finish(&w, must_dir, out);
}

/* The last component of the path as given ("" for none). */
static const char *last_name(const char *path, size_t *len, size_t *prefix)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s && path[s - 1] != '/')
		s--;
	*len = path[0] == '/' && n == 1 ? 0 : n - s;
	*prefix = s;
	return path + s;
}

int vfs_resolve_parent(const char *cwd, const char *path, struct vfs_node *dir,
		       char name[VFS_NAME_MAX + 1])
{
	char parent[VFS_PATH_MAX];
	size_t len, prefix;
	if (!path[0])
		return -ENOENT;
	const char *last = last_name(path, &len, &prefix);
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, last, len);
	name[len] = '\0';
	if (prefix >= sizeof parent)
		return -ENAMETOOLONG;
	memcpy(parent, path, prefix);
	parent[prefix] = '\0';
	if (!prefix) /* "name": the current directory */
		memcpy(parent, ".", 2);
	if (!len) /* "/" */
		memcpy(parent, "/", 2);
	return vfs_resolve(cwd, parent, true, dir);
}
