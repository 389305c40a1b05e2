/* ext2_rename.c — rename(2) on ext2: within and across directories, over
 * an existing file or empty directory, never a directory into itself. */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"

#define MAX_DEPTH_WALK 4096 /* ".." hops before calling the tree a loop */

/* -EINVAL when dir is src or lies below it (walking ".." to the root). */
static int not_inside(struct ext2_fs *fs, uint32_t src, uint32_t dir)
{
	for (int hops = 0; hops < MAX_DEPTH_WALK; hops++) {
		if (dir == src)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		struct ext2_inode in;
		uint32_t up;
		int rc = ext2_get_dir(fs, dir, &in);
		if (rc || (rc = ext2_dir_find(fs, dir, &in, "..", 2, &up)))
			return rc;
		dir = up;
	}
	return ext2_corrupt(fs, dir, 0, "'..' chain does not reach the root");
}

/* The existing target may be replaced by src (directories by empty
 * directories only, files by anything but a directory). */
static int check_target(struct ext2_fs *fs, bool src_dir, uint32_t tino,
			struct ext2_inode *tin)
{
	int rc = ext2_iget(fs, tino, tin);
	if (rc)
		return rc;
	if (src_dir && !ext2_is_dir(tin))
		return -ENOTDIR;
	if (!src_dir && ext2_is_dir(tin))
		return -EISDIR;
	if (src_dir && (rc = ext2_dir_empty(fs, tino, tin)) <= 0)
		return rc ? rc : -ENOTEMPTY;
	return 0;
}

struct names {
	uint32_t odir, ndir;
	const char *oname, *nname;
	size_t olen, nlen;
};

/* Point the new name at src: replace the target or add an entry. */
static int link_new(struct ext2_fs *fs, const struct names *n, uint32_t src,
		    const struct ext2_inode *sin, uint32_t tino)
{
	struct ext2_inode ndin, tin;
	bool src_dir = ext2_is_dir(sin);
	int rc = ext2_get_dir(fs, n->ndir, &ndin);
	if (rc)
		return rc;
	uint8_t type = ext2_ftype(sin->i_mode);
	if (!tino) {
		if (src_dir && n->odir != n->ndir &&
		    ndin.i_links_count >= EXT2_LINK_MAX)
			return -EMLINK;
		ndin.i_mtime = ndin.i_ctime = ext2_time(fs);
		return ext2_dir_add(fs, n->ndir, &ndin, n->nname, n->nlen, src,
				    type);
	}
	if ((rc = check_target(fs, src_dir, tino, &tin)) ||
	    (rc = ext2_dir_set(fs, n->ndir, &ndin, n->nname, n->nlen, src,
			       type)))
		return rc;
	ndin.i_mtime = ndin.i_ctime = ext2_time(fs);
	if (ext2_is_dir(&tin) && ndin.i_links_count > 2)
		ndin.i_links_count--; /* the replaced directory's ".." */
	if ((rc = ext2_iput(fs, n->ndir, &ndin)))
		return rc;
	return ext2_drop_link(fs, tino, &tin);
}

/* A directory that changed parents: its ".." and both link counts. */
static int reparent(struct ext2_fs *fs, const struct names *n, uint32_t src,
		    struct ext2_inode *sin)
{
	struct ext2_inode din;
	int rc = ext2_dir_set(fs, src, sin, "..", 2, n->ndir, EXT2_FT_DIR);
	if (rc || (rc = ext2_get_dir(fs, n->odir, &din)))
		return rc;
	if (din.i_links_count > 2)
		din.i_links_count--;
	if ((rc = ext2_iput(fs, n->odir, &din)) ||
	    (rc = ext2_get_dir(fs, n->ndir, &din)))
		return rc;
	din.i_links_count++;
	return ext2_iput(fs, n->ndir, &din);
}

static int check_names(const struct names *n)
{
	int rc = ext2_check_name(n->oname, n->olen);
	if (rc == -EINVAL && n->olen <= 2)
		return -EBUSY; /* renaming "." or ".." */
	if (!rc)
		rc = ext2_check_name(n->nname, n->nlen);
	return rc == -EINVAL && n->nlen <= 2 ? -EBUSY : rc;
}

int ext2_rename(struct ext2_fs *fs, uint32_t odir, const char *oname,
		size_t olen, uint32_t ndir, const char *nname, size_t nlen)
{
	struct names n = {odir, ndir, oname, nname, olen, nlen};
	struct ext2_inode odin, sin;
	uint32_t src, tino = 0;
	if (fs->readonly)
		return -EROFS;
	int rc = check_names(&n);
	if (rc || (rc = ext2_get_dir(fs, odir, &odin)) ||
	    (rc = ext2_dir_find(fs, odir, &odin, oname, olen, &src)) ||
	    (rc = ext2_iget(fs, src, &sin)))
		return rc;
	bool src_dir = ext2_is_dir(&sin);
	if (src_dir && odir != ndir && (rc = not_inside(fs, src, ndir)))
		return rc;
	rc = ext2_lookup(fs, ndir, nname, nlen, &tino);
	if (rc && rc != -ENOENT)
		return rc;
	if (tino == src)
		return 0; /* two names of one file: nothing to do */
	if ((rc = link_new(fs, &n, src, &sin, tino)) ||
	    (rc = ext2_get_dir(fs, odir, &odin)))
		return rc;
	odin.i_mtime = odin.i_ctime = ext2_time(fs);
	if ((rc = ext2_dir_remove(fs, odir, &odin, oname, olen)))
		return rc;
	if ((rc = ext2_iget(fs, src, &sin)))
		return rc;
	sin.i_ctime = ext2_time(fs);
	if ((rc = ext2_iput(fs, src, &sin)))
		return rc;
	return src_dir && odir != ndir ? reparent(fs, &n, src, &sin) : 0;
}
