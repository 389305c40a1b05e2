/* ext2_dump.c — ext2 structures as text, in the layout of e2fsprogs so a
 * reader (and a test) can hold them side by side: the superblock like
 * `dumpe2fs -h` (plus one line per group), an inode like debugfs's `stat`
 * with its block map in debugfs's "(0-11):562-573, (IND):574" form. */
#include "fs/ext2_dump.h"
#include "fs/ext2_priv.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define LINE 160

struct out {
	ext2_line_fn line;
	void *ctx;
	char buf[LINE];
	size_t used; /* a line being built piece by piece (the block map) */
};

static void emit(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	char text[LINE];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	o->line(o->ctx, text);
}

static void uuid(const uint8_t u[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int n = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		out[n++] = hex[u[i] >> 4];
		out[n++] = hex[u[i] & 15];
	}
	out[n] = '\0';
}

static const char *state_name(uint16_t s)
{
	if (s & EXT2_STATE_ERROR)
		return s & EXT2_STATE_VALID ? "clean with errors"
					    : "not clean with errors";
	return s & EXT2_STATE_VALID ? "clean" : "not clean";
}

static void super_lines(struct out *o, const struct ext2_super *sb,
			const struct ext2_fs *fs)
{
	char id[37], feat[200], name[17];
	uuid(sb->s_uuid, id);
	memcpy(name, sb->s_volume_name, 16);
	name[16] = '\0';
	ext2_feature_names(fs->compat, fs->incompat, fs->ro_compat, feat,
			   sizeof feat);
	emit(o, "Filesystem volume name:   %s", name[0] ? name : "<none>");
	emit(o, "Filesystem UUID:          %s", id);
	emit(o, "Filesystem magic number:  0x%04X", sb->s_magic);
	emit(o, "Filesystem revision #:    %u (%s)", sb->s_rev_level,
	     sb->s_rev_level ? "dynamic" : "original");
	emit(o, "Filesystem features:      %s", feat[0] ? feat : "(none)");
	emit(o, "Filesystem state:         %s", state_name(sb->s_state));
	emit(o, "Inode count:              %u", sb->s_inodes_count);
	emit(o, "Block count:              %u", sb->s_blocks_count);
	emit(o, "Reserved block count:     %u", sb->s_r_blocks_count);
	emit(o, "Free blocks:              %u", sb->s_free_blocks_count);
	emit(o, "Free inodes:              %u", sb->s_free_inodes_count);
	emit(o, "First block:              %u", sb->s_first_data_block);
	emit(o, "Block size:               %u", fs->block_size);
	emit(o, "Blocks per group:         %u", sb->s_blocks_per_group);
	emit(o, "Inodes per group:         %u", sb->s_inodes_per_group);
	emit(o, "Inode blocks per group:   %u", fs->itb_per_group);
	emit(o, "Mount count:              %u", sb->s_mnt_count);
	emit(o, "First inode:              %u", fs->first_ino);
	emit(o, "Inode size:	          %u", fs->inode_size);
	emit(o, "Mounted:                  %s, cache %s",
	     fs->readonly ? "read-only" : "read-write",
	     fs->bc->ndirty ? "has dirty blocks" : "clean");
}

int ext2_dump_super(struct ext2_fs *fs, ext2_line_fn line, void *ctx)
{
	struct out o = {line, ctx, "", 0};
	struct ext2_super sb;
	int rc = ext2_super(fs, &sb);
	if (rc)
		return rc;
	super_lines(&o, &sb, fs);
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group_desc gd;
		if ((rc = ext2_group(fs, g, &gd)))
			return rc;
		emit(&o,
		     "Group %u: block bitmap %u, inode bitmap %u, inode table "
		     "%u; %u free blocks, %u free inodes, %u directories",
		     g, gd.bg_block_bitmap, gd.bg_inode_bitmap,
		     gd.bg_inode_table, gd.bg_free_blocks_count,
		     gd.bg_free_inodes_count, gd.bg_used_dirs_count);
	}
	return 0;
}

/* ---- an inode ---- */

static const char *type_name(uint16_t mode)
{
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG:
		return "regular";
	case EXT2_S_IFDIR:
		return "directory";
	case EXT2_S_IFLNK:
		return "symlink";
	case EXT2_S_IFCHR:
		return "character special";
	case EXT2_S_IFBLK:
		return "block special";
	case EXT2_S_IFIFO:
		return "FIFO";
	case EXT2_S_IFSOCK:
		return "socket";
	}
	return "bad type";
}

/* The block map as debugfs prints it: runs of consecutive logical and
 * physical blocks, indirect blocks where the walk meets them. */
struct map {
	struct out *o;
	struct ext2_fs *fs;
	uint32_t ino;
	uint64_t l0, p0, n; /* the open run */
	uint64_t total;	    /* blocks listed */
	int err;
};

static void piece(struct map *m, const char *text)
{
	struct out *o = m->o;
	size_t len = strlen(text);
	if (o->used && o->used + 2 + len >= LINE - 1) {
		o->buf[o->used] = '\0';
		o->line(o->ctx, o->buf);
		o->used = 0;
	}
	o->used += (size_t)ksnprintf(o->buf + o->used, LINE - o->used, "%s%s",
				     o->used ? ", " : "", text);
}

static void close_run(struct map *m)
{
	char t[64];
	if (!m->n)
		return;
	if (m->n == 1)
		ksnprintf(t, sizeof t, "(%lu):%lu", (unsigned long)m->l0,
			  (unsigned long)m->p0);
	else
		ksnprintf(
		    t, sizeof t, "(%lu-%lu):%lu-%lu", (unsigned long)m->l0,
		    (unsigned long)(m->l0 + m->n - 1), (unsigned long)m->p0,
		    (unsigned long)(m->p0 + m->n - 1));
	piece(m, t);
	m->n = 0;
}

static void data_block(struct map *m, uint64_t l, uint32_t p)
{
	if (m->n && l == m->l0 + m->n && p == m->p0 + m->n) {
		m->n++;
	} else {
		close_run(m);
		m->l0 = l, m->p0 = p, m->n = 1;
	}
	m->total++;
}

/* Indirect block blk of `level` (1 IND .. 3 TIND) covering logical
 * blocks from base. */
static void tree(struct map *m, uint32_t blk, int level, uint64_t base)
{
	static const char *const names[] = {"", "IND", "DIND", "TIND"};
	char t[32];
	struct buf *b;
	close_run(m);
	ksnprintf(t, sizeof t, "(%s):%u", names[level], blk);
	piece(m, t);
	m->total++;
	if ((m->err = ext2_bread(m->fs, m->ino, blk, &b)))
		return;
	uint64_t span = 1;
	for (int i = 1; i < level; i++)
		span *= m->fs->addr_per_block;
	for (uint32_t i = 0; i < m->fs->addr_per_block && !m->err; i++) {
		uint32_t child = ((uint32_t *)b->data)[i];
		if (!child)
			continue;
		if (level == 1)
			data_block(m, base + i, child);
		else
			tree(m, child, level - 1, base + i * span);
	}
	bcache_put(m->fs->bc, b);
}

static int block_map(struct out *o, struct ext2_fs *fs, uint32_t ino,
		     const struct ext2_inode *in)
{
	struct map m = {o, fs, ino, 0, 0, 0, 0, 0};
	uint64_t a = fs->addr_per_block, base = EXT2_NDIR_BLOCKS, span = a;
	emit(o, "BLOCKS:");
	for (uint64_t l = 0; l < EXT2_NDIR_BLOCKS; l++)
		if (in->i_block[l])
			data_block(&m, l, in->i_block[l]);
	for (int level = 1; level <= 3 && !m.err; level++) {
		uint32_t top = in->i_block[EXT2_NDIR_BLOCKS + level - 1];
		if (top)
			tree(&m, top, level, base);
		base += span;
		span *= a;
	}
	close_run(&m);
	if (o->used) {
		o->buf[o->used] = '\0';
		o->line(o->ctx, o->buf);
		o->used = 0;
	}
	emit(o, "TOTAL: %lu", (unsigned long)m.total);
	return m.err;
}

static void time_line(struct out *o, const char *name, uint32_t t)
{
	emit(o, "%6s: 0x%08x (%u)", name, t, t);
}

/* "0644" (the formatter has no %o). */
static const char *octal(unsigned v, char out[5])
{
	for (int i = 3; i >= 0; i--, v >>= 3)
		out[i] = (char)('0' + (v & 7));
	out[4] = '\0';
	return out;
}

int ext2_dump_inode(struct ext2_fs *fs, uint32_t ino, ext2_line_fn line,
		    void *ctx)
{
	struct out o = {line, ctx, "", 0};
	struct ext2_inode in;
	char mode[5];
	int rc = ext2_iget(fs, ino, &in);
	if (rc)
		return rc;
	emit(&o, "Inode: %u   Type: %s    Mode:  %s   Flags: 0x%x", ino,
	     type_name(in.i_mode), octal(in.i_mode & 07777, mode), in.i_flags);
	emit(&o, "User: %5u   Group: %5u   Size: %lu",
	     in.i_uid | (uint32_t)in.i_uid_high << 16,
	     in.i_gid | (uint32_t)in.i_gid_high << 16,
	     (unsigned long)ext2_isize(&in));
	emit(&o, "File ACL: %u", in.i_file_acl);
	emit(&o, "Links: %u   Blockcount: %u", in.i_links_count, in.i_blocks);
	time_line(&o, "ctime", in.i_ctime);
	time_line(&o, "atime", in.i_atime);
	time_line(&o, "mtime", in.i_mtime);
	if (in.i_dtime)
		time_line(&o, "dtime", in.i_dtime);
	if (ext2_fast_symlink(fs, &in)) {
		char target[EXT2_FAST_LINK_MAX + 1];
		memcpy(target, in.i_block, in.i_size);
		target[in.i_size] = '\0';
		emit(&o, "Fast link dest: \"%s\"", target);
		return 0;
	}
	return block_map(&o, fs, ino, &in);
}
