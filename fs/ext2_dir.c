/* ext2_dir.c — linear directories: entries checked as they are read
 * (rec_len inside its block, name inside its entry), lookup, insertion in
 * slack space or a new block, removal by merging into the previous entry.
 * An htree directory is read linearly and loses its index flag when
 * changed (its index blocks read as empty entries). */
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

/* One block of a directory, pinned. */
struct dblock {
	struct buf *b;
	uint32_t pblk;
	uint64_t lblk;
};

static uint64_t dir_blocks(const struct ext2_fs *fs,
			   const struct ext2_inode *in)
{
	return ext2_isize(in) / fs->block_size;
}

static int check_dir(struct ext2_fs *fs, uint32_t dir,
		     const struct ext2_inode *din)
{
	if (!ext2_is_dir(din))
		return -ENOTDIR;
	if (ext2_isize(din) % fs->block_size)
		return ext2_corrupt(fs, dir, 0,
				    "directory size %lu is not a whole "
				    "number of blocks",
				    (unsigned long)ext2_isize(din));
	return 0;
}

static int get_dblock(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		      uint64_t lblk, struct dblock *d)
{
	uint32_t meta[3];
	int rc = ext2_map(fs, dir, din, lblk, &d->pblk, meta);
	if (rc)
		return rc;
	if (!d->pblk)
		return ext2_corrupt(fs, dir, 0,
				    "directory has a hole at logical block %lu",
				    (unsigned long)lblk);
	d->lblk = lblk;
	return ext2_bread(fs, dir, d->pblk, &d->b);
}

static uint32_t name_len(const struct ext2_fs *fs, const struct ext2_dirent *e)
{
	return fs->filetype
		   ? e->name_len
		   : (uint32_t)e->name_len | (uint32_t)e->file_type << 8;
}

/* The entry at off in d, checked: NULL after a message when it is
 * malformed (*rc set). */
static struct ext2_dirent *entry_at(struct ext2_fs *fs, uint32_t dir,
				    const struct dblock *d, uint32_t off,
				    int *rc)
{
	uint32_t bs = fs->block_size;
	struct ext2_dirent *e = (struct ext2_dirent *)(d->b->data + off);
	const char *bad = 0;
	if (off + EXT2_DIRENT_HEADER > bs)
		bad = "entry header runs past the block end";
	else if (e->rec_len < EXT2_DIRENT_HEADER || e->rec_len % 4)
		bad = "rec_len is below 8 or not a multiple of 4";
	else if (off + e->rec_len > bs)
		bad = "rec_len runs past the block end";
	else if (name_len(fs, e) + EXT2_DIRENT_HEADER > e->rec_len)
		bad = "name runs past its rec_len";
	else if (e->inode > fs->inodes)
		bad = "inode number out of range";
	if (!bad)
		return e;
	*rc = ext2_corrupt(
	    fs, dir, d->pblk, "directory entry at offset %u: %s (rec_len %u)",
	    off, bad, off + EXT2_DIRENT_HEADER <= bs ? e->rec_len : 0);
	return 0;
}

static bool same_name(const struct ext2_fs *fs, const struct ext2_dirent *e,
		      const char *name, size_t len)
{
	return e->inode && name_len(fs, e) == len &&
	       !memcmp(e->name, name, len);
}

/* Search block l for name: 0 with the block pinned in *d, the entry's
 * offset and the previous entry's (UINT32_MAX when first); -ENOENT. */
static int scan_block(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		      uint64_t l, const char *name, size_t len,
		      struct dblock *d, uint32_t *off, uint32_t *prev)
{
	int rc = get_dblock(fs, dir, din, l, d);
	if (rc)
		return rc;
	uint32_t p = UINT32_MAX;
	for (uint32_t o = 0; o < fs->block_size;) {
		struct ext2_dirent *e = entry_at(fs, dir, d, o, &rc);
		if (!e)
			break;
		if (same_name(fs, e, name, len)) {
			*off = o;
			*prev = p;
			return 0;
		}
		p = o;
		o += e->rec_len;
	}
	bcache_put(fs->bc, d->b);
	return rc ? rc : -ENOENT;
}

/* Index every live entry of dir: false (nothing indexed) when it does
 * not fit or a block cannot be read (*rc then says why). */
static bool build_index(struct ext2_fs *fs, uint32_t dir,
			struct ext2_inode *din, int *rc)
{
	struct ext2_dindex *x = fs->dindex;
	uint64_t n = dir_blocks(fs, din);
	ext2_dindex_start(x, dir);
	for (uint64_t l = 0; l < n && x->dir; l++) {
		struct dblock d;
		if ((*rc = get_dblock(fs, dir, din, l, &d))) {
			x->dir = 0;
			break;
		}
		for (uint32_t o = 0; o < fs->block_size && x->dir;) {
			struct ext2_dirent *e = entry_at(fs, dir, &d, o, rc);
			if (!e) {
				x->dir = 0;
				break;
			}
			if (e->inode)
				ext2_dindex_add(
				    x,
				    ext2_dindex_hash(e->name, name_len(fs, e)),
				    (uint32_t)l);
			o += e->rec_len;
		}
		bcache_put(fs->bc, d.b);
	}
	x->hint = n ? (uint32_t)(n - 1) : 0;
	return x->dir == dir;
}

/* The index of dir, built now when dir is large enough; NULL when dir
 * is scanned instead. */
static struct ext2_dindex *index_of(struct ext2_fs *fs, uint32_t dir,
				    struct ext2_inode *din, int *rc)
{
	struct ext2_dindex *x = fs->dindex;
	if (!x)
		return 0;
	if (x->dir == dir)
		return x;
	if (dir_blocks(fs, din) < EXT2_DINDEX_MIN_BLOCKS || x->too_big == dir)
		return 0;
	return build_index(fs, dir, din, rc) ? x : 0;
}

/* Find name: its block (pinned in *d), offset and the previous entry's
 * offset in the block (UINT32_MAX when first). -ENOENT when absent. The
 * index, when dir has one, says which blocks to look in. */
static int find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		const char *name, size_t len, struct dblock *d, uint32_t *off,
		uint32_t *prev)
{
	int rc = check_dir(fs, dir, din);
	struct ext2_dindex *x = rc ? 0 : index_of(fs, dir, din, &rc);
	uint32_t cand[8];
	int k = x ? ext2_dindex_blocks(x, ext2_dindex_hash(name, len), cand, 8)
		  : -1;
	if (rc)
		return rc;
	if (k >= 0) {
		x->hits++;
		for (int i = 0; i < k; i++)
			if ((rc = scan_block(fs, dir, din, cand[i], name, len,
					     d, off, prev)) != -ENOENT)
				return rc;
		return -ENOENT;
	}
	uint64_t n = dir_blocks(fs, din);
	for (uint64_t l = 0; l < n; l++)
		if ((rc = scan_block(fs, dir, din, l, name, len, d, off,
				     prev)) != -ENOENT)
			return rc;
	return -ENOENT;
}

int ext2_dir_find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		  const char *name, size_t len, uint32_t *ino)
{
	struct dblock d;
	uint32_t off, prev;
	int rc = find(fs, dir, din, name, len, &d, &off, &prev);
	if (rc)
		return rc;
	*ino = ((struct ext2_dirent *)(d.b->data + off))->inode;
	bcache_put(fs->bc, d.b);
	if (!*ino || *ino > fs->inodes)
		return ext2_corrupt(fs, dir, d.pblk,
				    "entry '%.*s' has inode %u", (int)len, name,
				    *ino);
	return 0;
}

static void fill(struct ext2_fs *fs, struct ext2_dirent *e, const char *name,
		 size_t len, uint32_t ino, uint8_t type)
{
	e->inode = ino;
	e->name_len = (uint8_t)len;
	e->file_type = fs->filetype ? type : 0;
	memcpy(e->name, name, len);
}

/* A changed directory is no longer a valid htree: read it linearly. */
static void drop_index(struct ext2_inode *din)
{
	din->i_flags &= ~(uint32_t)EXT2_INDEX_FL;
}

/* Put the entry into slack space of block d: true when it fit. */
static bool fit(struct ext2_fs *fs, uint32_t dir, struct dblock *d,
		const char *name, size_t len, uint32_t ino, uint8_t type,
		int *rc)
{
	uint32_t need = EXT2_DIRENT_LEN(len);
	for (uint32_t o = 0; o < fs->block_size;) {
		struct ext2_dirent *e = entry_at(fs, dir, d, o, rc);
		if (!e)
			return false;
		uint32_t used = e->inode ? EXT2_DIRENT_LEN(name_len(fs, e)) : 0;
		if (e->rec_len - used >= need) {
			if (used) {
				struct ext2_dirent *n =
				    (struct ext2_dirent *)((uint8_t *)e + used);
				n->rec_len = (uint16_t)(e->rec_len - used);
				e->rec_len = (uint16_t)used;
				e = n;
			}
			fill(fs, e, name, len, ino, type);
			bcache_dirty(fs->bc, d->b);
			return true;
		}
		o += e->rec_len;
	}
	return false;
}

/* Append a block holding only this entry. */
static int append_block(struct ext2_fs *fs, uint32_t dir,
			struct ext2_inode *din, const char *name, size_t len,
			uint32_t ino, uint8_t type)
{
	uint64_t l = dir_blocks(fs, din);
	uint32_t pblk;
	bool fresh;
	struct buf *b;
	int rc = ext2_bmap(fs, dir, din, l, true, &pblk, &fresh);
	if (rc)
		return rc;
	if ((rc = ext2_bzero(fs, dir, pblk, &b)))
		return rc;
	struct ext2_dirent *e = (struct ext2_dirent *)b->data;
	e->rec_len = (uint16_t)fs->block_size;
	fill(fs, e, name, len, ino, type);
	bcache_put(fs->bc, b);
	return ext2_set_isize(fs, din, (l + 1) * fs->block_size);
}

/* Put the entry into block l if it has room: 1 done, 0 no room. */
static int try_block(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		     uint64_t l, const char *name, size_t len, uint32_t ino,
		     uint8_t type)
{
	struct dblock d;
	int rc = get_dblock(fs, dir, din, l, &d);
	if (rc)
		return rc;
	bool ok = fit(fs, dir, &d, name, len, ino, type, &rc);
	bcache_put(fs->bc, d.b);
	return rc ? rc : ok;
}

/* Note a new entry in block l in dir's index, if it has one. */
static void indexed(struct ext2_fs *fs, uint32_t dir, const char *name,
		    size_t len, uint64_t l)
{
	struct ext2_dindex *x = fs->dindex;
	if (x && x->dir == dir &&
	    ext2_dindex_add(x, ext2_dindex_hash(name, len), (uint32_t)l))
		x->hint = (uint32_t)l;
}

int ext2_dir_add(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		 const char *name, size_t len, uint32_t ino, uint8_t type)
{
	int rc = check_dir(fs, dir, din);
	if (rc)
		return rc;
	uint64_t n = dir_blocks(fs, din), hint = n;
	struct ext2_dindex *x = fs->dindex;
	if (x && x->dir == dir && x->hint < n) /* where the last one went */
		hint = x->hint;
	int done =
	    hint == n ? 0 : try_block(fs, dir, din, hint, name, len, ino, type);
	uint64_t l = hint;
	for (uint64_t k = 0; k < n && !done; k++)
		if (k != hint)
			done = try_block(fs, dir, din, l = k, name, len, ino,
					 type);
	if (done < 0)
		return done;
	if (!done) {
		l = n;
		if ((rc = append_block(fs, dir, din, name, len, ino, type)))
			return rc;
	}
	indexed(fs, dir, name, len, l);
	drop_index(din);
	return ext2_iput(fs, dir, din);
}

/* The entry called name, its block pinned in d (and the entry before it
 * in the block, NULL when first). */
static int find_entry(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		      const char *name, size_t len, struct dblock *d,
		      struct ext2_dirent **e, struct ext2_dirent **prev)
{
	uint32_t off, p;
	int rc = find(fs, dir, din, name, len, d, &off, &p);
	if (rc)
		return rc;
	*e = (struct ext2_dirent *)(d->b->data + off);
	*prev = p == UINT32_MAX ? 0 : (struct ext2_dirent *)(d->b->data + p);
	return 0;
}

int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		    const char *name, size_t len)
{
	struct dblock d;
	struct ext2_dirent *e, *prev;
	int rc = find_entry(fs, dir, din, name, len, &d, &e, &prev);
	if (rc)
		return rc;
	if (prev)
		prev->rec_len += e->rec_len;
	else
		e->inode = 0;
	bcache_dirty(fs->bc, d.b);
	bcache_put(fs->bc, d.b);
	if (fs->dindex && fs->dindex->dir == dir)
		ext2_dindex_remove(fs->dindex, ext2_dindex_hash(name, len),
				   (uint32_t)d.lblk);
	drop_index(din);
	return ext2_iput(fs, dir, din);
}

int ext2_dir_set(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		 const char *name, size_t len, uint32_t ino, uint8_t type)
{
	struct dblock d;
	struct ext2_dirent *e, *prev;
	int rc = find_entry(fs, dir, din, name, len, &d, &e, &prev);
	if (rc)
		return rc;
	e->inode = ino;
	if (fs->filetype)
		e->file_type = type;
	bcache_dirty(fs->bc, d.b);
	bcache_put(fs->bc, d.b);
	return 0;
}

static bool is_dot(const struct ext2_fs *fs, const struct ext2_dirent *e)
{
	uint32_t n = name_len(fs, e);
	return (n == 1 && e->name[0] == '.') ||
	       (n == 2 && e->name[0] == '.' && e->name[1] == '.');
}

int ext2_dir_empty(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	int rc = check_dir(fs, dir, din);
	uint64_t n = dir_blocks(fs, din);
	for (uint64_t l = 0; l < n && !rc; l++) {
		struct dblock d;
		if ((rc = get_dblock(fs, dir, din, l, &d)))
			break;
		bool empty = true;
		for (uint32_t o = 0; o < fs->block_size && empty;) {
			struct ext2_dirent *e = entry_at(fs, dir, &d, o, &rc);
			if (!e)
				break;
			empty = !e->inode || is_dot(fs, e);
			o += e->rec_len;
		}
		bcache_put(fs->bc, d.b);
		if (!empty)
			return 0;
	}
	return rc ? rc : 1;
}

int ext2_dir_init(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din,
		  uint32_t parent)
{
	uint32_t pblk;
	bool fresh;
	struct buf *b;
	int rc = ext2_bmap(fs, dir, din, 0, true, &pblk, &fresh);
	if (rc || (rc = ext2_bzero(fs, dir, pblk, &b)))
		return rc;
	struct ext2_dirent *dot = (struct ext2_dirent *)b->data;
	dot->rec_len = EXT2_DIRENT_LEN(1);
	fill(fs, dot, ".", 1, dir, EXT2_FT_DIR);
	struct ext2_dirent *dotdot =
	    (struct ext2_dirent *)(b->data + dot->rec_len);
	dotdot->rec_len = (uint16_t)(fs->block_size - dot->rec_len);
	fill(fs, dotdot, "..", 2, parent, EXT2_FT_DIR);
	bcache_put(fs->bc, b);
	return ext2_set_isize(fs, din, fs->block_size);
}

/* Copy the entry found at (d, off) out. */
static void info(struct ext2_fs *fs, const struct ext2_dirent *e,
		 struct ext2_dirent_info *out)
{
	out->ino = e->inode;
	out->type = fs->filetype ? e->file_type : EXT2_FT_UNKNOWN;
	out->name_len = (uint8_t)name_len(fs, e);
	memcpy(out->name, e->name, out->name_len);
	out->name[out->name_len] = '\0';
}

int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos,
		 struct ext2_dirent_info *out)
{
	struct ext2_inode din;
	int rc = ext2_iget(fs, dir, &din);
	if (rc || (rc = check_dir(fs, dir, &din)))
		return rc;
	uint64_t n = dir_blocks(fs, &din);
	for (uint64_t l = *pos / fs->block_size; l < n; l++) {
		struct dblock d;
		if ((rc = get_dblock(fs, dir, &din, l, &d)))
			return rc;
		uint64_t base = l * fs->block_size;
		for (uint32_t o = 0; o < fs->block_size;) {
			struct ext2_dirent *e = entry_at(fs, dir, &d, o, &rc);
			if (!e)
				break;
			o += e->rec_len;
			if (base + o <= *pos || !e->inode)
				continue;
			info(fs, e, out);
			*pos = base + o;
			bcache_put(fs->bc, d.b);
			return 1;
		}
		bcache_put(fs->bc, d.b);
		if (rc)
			return rc;
	}
	*pos = n * fs->block_size;
	return 0;
}
