/* vfs.c — the mount table, path resolution, open-file nodes and the path
 * operations of the system calls. Paths are made absolute and canonical
 * first (".", ".." and repeated slashes removed textually, as Plan 9
 * does), then walked from the mount that holds them; a symlink met on
 * the way is spliced in and the walk starts again. */
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

/* ---- canonical paths ---- */

/* Append "/" + name[0..len) to out (of used bytes). */
static int push(char *out, size_t *used, const char *name, size_t len)
{
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (*used + 1 + len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	out[(*used)++] = '/';
	memcpy(out + *used, name, len);
	*used += len;
	out[*used] = '\0';
	return 0;
}

static void pop(char *out, size_t *used)
{
	while (*used && out[*used - 1] != '/')
		(*used)--;
	if (*used)
		(*used)--;
	out[*used] = '\0';
}

/* Add the components of p to out (canonical so far, used bytes). */
static int add_components(char *out, size_t *used, const char *p)
{
	while (*p) {
		while (*p == '/')
			p++;
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		if (!len)
			break;
		int rc = 0;
		if (len == 2 && p[0] == '.' && p[1] == '.')
			pop(out, used);
		else if (!(len == 1 && p[0] == '.'))
			rc = push(out, used, p, len);
		if (rc)
			return rc;
		p += len;
	}
	return 0;
}

/* The absolute canonical form of path seen from cwd: "/a/b" ("/" for the
 * root). *dir_only when path ends in "/" (it must name a directory). */
static int canon(const char *cwd, const char *path, char out[VFS_PATH_MAX],
		 bool *dir_only)
{
	size_t used = 0;
	out[0] = '\0';
	if (!path[0])
		return -ENOENT;
	size_t n = strlen(path);
	if (dir_only)
		*dir_only = path[n - 1] == '/';
	int rc = 0;
	if (path[0] != '/')
		rc = add_components(out, &used, cwd);
	if (!rc)
		rc = add_components(out, &used, path);
	if (!used)
		memcpy(out, "/", 2);
	return rc;
}

/* The mount holding canonical path p; *rest gets what is left of p. */
static struct vfs_mount *mount_of(const char *p, const char **rest)
{
	struct vfs_mount *best = 0;
	size_t best_len = 0;
	for (int i = 0; i < nmounts; i++) {
		size_t n = strlen(mounts[i].path);
		bool root = n == 1;
		if (root ? 1
			 : !strncmp(p, mounts[i].path, n) &&
			       (p[n] == '\0' || p[n] == '/')) {
			if (!best || n > best_len) {
				best = &mounts[i];
				best_len = n;
			}
		}
	}
	if (best) /* "/a/b" below the root's mount, "" for "/" itself */
		*rest = best_len > 1 ? p + best_len : (p[1] ? p : p + 1);
	return best;
}

/* ---- walking ---- */

struct walk {
	char path[VFS_PATH_MAX]; /* canonical path to walk */
	int hops;		 /* symlinks followed so far */
};

/* Splice symlink target (met at prefix[0..plen) of w->path, the link's
 * own name being the last component there) before the rest. */
static int splice(struct walk *w, size_t plen, const char *target,
		  const char *rest)
{
	char next[VFS_PATH_MAX];
	size_t used = 0;
	next[0] = '\0';
	int rc = 0;
	if (target[0] != '/') {
		char dir[VFS_PATH_MAX];
		memcpy(dir, w->path, plen);
		dir[plen] = '\0';
		size_t dl = plen;
		pop(dir, &dl);
		rc = add_components(next, &used, dir);
	}
	if (!rc)
		rc = add_components(next, &used, target);
	if (!rc)
		rc = add_components(next, &used, rest);
	if (rc)
		return rc;
	if (!used)
		memcpy(next, "/", 2);
	memcpy(w->path, next, sizeof next);
	return 0;
}

/* If ino (reached at w->path[0..plen)) is a symlink to follow, splice it
 * in: 1 (walk again), 0 (not a symlink), or an errno. */
static int maybe_link(struct walk *w, struct vfs_mount *m, uint32_t ino,
		      uint32_t mode, size_t plen, const char *rest)
{
	if (!VFS_IS_LNK(mode))
		return 0;
	if (++w->hops > VFS_SYMLINK_HOPS)
		return -ELOOP;
	char target[VFS_PATH_MAX];
	long n = m->ops->readlink(m, ino, target, sizeof target);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	int rc = splice(w, plen, target, rest);
	return rc ? rc : 1;
}

/* One pass over w->path: 0 with out filled, 1 when a symlink was
 * spliced in (walk again), or an errno. */
static int walk_once(struct walk *w, bool follow, struct vfs_node *out)
{
	const char *p;
	struct vfs_mount *m = mount_of(w->path, &p);
	if (!m)
		return -ENOENT;
	uint32_t ino = m->root;
	struct vfs_stat st;
	int rc = m->ops->stat(m, ino, &st);
	while (!rc && *p) {
		const char *name = p + 1, *end = name;
		while (*end && *end != '/')
			end++;
		if (!VFS_IS_DIR(st.mode))
			return -ENOTDIR;
		uint32_t child;
		if ((rc = m->ops->lookup(m, ino, name, (size_t)(end - name),
					 &child)) ||
		    (rc = m->ops->stat(m, child, &st)))
			return rc;
		if (*end || follow) {
			rc = maybe_link(w, m, child, st.mode,
					(size_t)(end - w->path), end);
			if (rc)
				return rc;
		}
		ino = child;
		p = end;
	}
	if (rc)
		return rc;
	out->m = m;
	out->ino = ino;
	memcpy(out->path, w->path, sizeof out->path);
	return 0;
}

static int walk(struct walk *w, bool follow, bool dir_only,
		struct vfs_node *out)
{
	int rc;
	while ((rc = walk_once(w, follow || dir_only, out)) == 1)
		;
	if (!rc && dir_only) {
		struct vfs_stat st;
		if ((rc = out->m->ops->stat(out->m, out->ino, &st)) == 0 &&
		    !VFS_IS_DIR(st.mode))
			rc = -ENOTDIR;
	}
	return rc;
}

int vfs_resolve(const char *cwd, const char *path, bool follow,
		struct vfs_node *out)
{
	struct walk w = {.hops = 0};
	bool dir_only;
	int rc = canon(cwd, path, w.path, &dir_only);
	return rc ? rc : walk(&w, follow, dir_only, out);
}

/* The last component of the path as given ("" for none). */
static const char *last_name(const char *path, size_t *len)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s && path[s - 1] != '/')
		s--;
	*len = n - s;
	return path + s;
}

int vfs_resolve_parent(const char *cwd, const char *path, struct vfs_node *dir,
		       char name[VFS_NAME_MAX + 1])
{
	size_t len;
	const char *last = last_name(path, &len);
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, last, len);
	name[len] = '\0';
	struct walk w = {.hops = 0};
	int rc = canon(cwd, path, w.path, 0);
	if (rc)
		return rc;
	bool dots = (len == 1 && last[0] == '.') ||
		    (len == 2 && last[0] == '.' && last[1] == '.');
	if (!dots) { /* the parent: the canonical path less its last name */
		size_t used = strlen(w.path);
		pop(w.path, &used);
		if (!used)
			memcpy(w.path, "/", 2);
	}
	return walk(&w, true, true, dir);
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
