/* test_ext2_write.c — ext2 writing on fresh mke2fs images (1 and 4 KiB
 * blocks): scripted namespace and data operations, a seeded random run
 * against a shadow model, full disk and no free inodes; afterwards
 * `e2fsck -fn` must pass and debugfs must see what the model holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "tests/unit/ext2_host.h"
#include "tests/unit/harness.h"

#define MAX_NODES 2048
#define MAX_DATA (96 * 1024) /* largest file in the random run */

/* ---- shadow model: the files and directories the test expects ---- */

struct node {
	char path[256];
	bool dir, live;
	uint8_t *data;
	size_t size, cap;
};

static struct node nodes[MAX_NODES];
static int nnodes;

static struct node *find(const char *path)
{
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && !strcmp(nodes[i].path, path))
			return &nodes[i];
	return 0;
}

static struct node *add(const char *path, bool dir)
{
	assert_true(nnodes < MAX_NODES);
	struct node *n = &nodes[nnodes++];
	memset(n, 0, sizeof *n);
	snprintf(n->path, sizeof n->path, "%s", path);
	n->dir = dir;
	n->live = true;
	return n;
}

static void model_reset(void)
{
	for (int i = 0; i < nnodes; i++)
		free(nodes[i].data);
	nnodes = 0;
	add("", true); /* the root */
	add("/lost+found", true);
}

static void model_truncate(struct node *n, size_t size)
{
	if (size + 1 > n->cap) {
		n->cap = (size + 1) * 2;
		n->data = realloc(n->data, n->cap);
	}
	if (size > n->size)
		memset(n->data + n->size, 0, size - n->size);
	n->size = size;
}

static void model_write(struct node *n, uint64_t off, const uint8_t *buf,
			size_t len)
{
	if (off + len > n->size)
		model_truncate(n, off + len);
	memcpy(n->data + off, buf, len);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

static int subdirs(const char *dir)
{
	int k = 0;
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && nodes[i].dir &&
		    under(nodes[i].path, dir) &&
		    !strchr(nodes[i].path + strlen(dir) + 1, '/'))
			k++;
	return k;
}

/* Everything the model holds agrees with the file system (through this
 * code), then with e2fsck and debugfs on the image. */
static void verify(struct host_fs *h, const char *img)
{
	for (int i = 0; i < nnodes; i++) {
		struct node *n = &nodes[i];
		if (!n->live)
			continue;
		uint32_t ino;
		assert_int_equal(hfs_walk(h, n->path[0] ? n->path : "/", &ino),
				 0);
		struct ext2_stat st;
		assert_int_equal(ext2_stat(&h->fs, ino, &st), 0);
		assert_int_equal(ext2_is_dir(&(struct ext2_inode){
				     .i_mode = (uint16_t)st.mode}),
				 n->dir);
		if (n->dir) {
			assert_int_equal(st.links, 2 + subdirs(n->path));
			continue;
		}
		uint8_t *got;
		size_t len;
		assert_int_equal(hfs_slurp(h, ino, &got, &len), 0);
		assert_int_equal(len, n->size);
		assert_memory_equal(got, n->data, len);
		free(got);
	}
	assert_int_equal(bcache_pinned(&h->bc), 0);
	assert_int_equal(ext2_sync(&h->fs), 0);
	char out[8192], dump[256];
	int rc = sh(out, sizeof out, "/usr/sbin/e2fsck -fn %s 2>&1", img);
	if (rc)
		fail_msg("e2fsck -fn exit %d:\n%s", rc, out);
	snprintf(dump, sizeof dump, "%s/wdump", tmpdir());
	assert_int_equal(sh(0, 0,
			    "rm -rf %s && mkdir %s && /usr/sbin/debugfs -R "
			    "'rdump / %s' %s >/dev/null 2>&1",
			    dump, dump, dump, img),
			 0);
	for (int i = 0; i < nnodes; i++) {
		struct node *n = &nodes[i];
		if (!n->live || n->dir)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s%s", dump, n->path);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		uint8_t *want = malloc(n->size + 1);
		assert_int_equal(fread(want, 1, n->size + 1, f), n->size);
		fclose(f);
		assert_memory_equal(want, n->data, n->size);
		free(want);
	}
}

/* i_blocks, links and sizes as debugfs reads them, for every node. */
static void verify_stat(struct host_fs *h, const char *img)
{
	uint32_t inos[MAX_NODES] = {0};
	static struct dstat d[MAX_NODES];
	struct ext2_stat st[MAX_NODES];
	int n = 0;
	for (int i = 0; i < nnodes; i++) {
		if (!nodes[i].live)
			continue;
		assert_int_equal(
		    hfs_walk(h, nodes[i].path[0] ? nodes[i].path : "/",
			     &inos[n]),
		    0);
		assert_int_equal(ext2_stat(&h->fs, inos[n], &st[n]), 0);
		n++;
	}
	assert_true(debugfs_stat(img, inos, n, d));
	for (int i = 0; i < n; i++) {
		assert_int_equal(st[i].size, d[i].size);
		assert_int_equal(st[i].links, d[i].links);
		assert_int_equal(st[i].blocks, d[i].blockcount);
		assert_int_equal(st[i].mode & 07777, d[i].mode);
		assert_int_equal(st[i].mtime, d[i].mtime);
	}
}

/* ---- helpers ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill(uint8_t *buf, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)((seed * 2654435761u + i * 40503u) >> 7);
}

static const char *new_image(const char *opts, unsigned kib)
{
	static char img[256];
	snprintf(img, sizeof img, "%s/w.img", tmpdir());
	make_image(img, kib, opts, 0);
	return img;
}

static struct node *mk_file(struct host_fs *h, const char *path)
{
	uint32_t ino;
	assert_int_equal(hfs_create(h, path, &ino), 0);
	return add(path, false);
}

static void write_at(struct host_fs *h, struct node *n, uint64_t off,
		     size_t len, uint64_t seed)
{
	uint8_t *buf = malloc(len);
	uint32_t ino;
	fill(buf, len, seed);
	assert_int_equal(hfs_walk(h, n->path, &ino), 0);
	assert_int_equal(hfs_write(h, ino, off, buf, len), (long)len);
	model_write(n, off, buf, len);
	free(buf);
}

static int rename_path(struct host_fs *h, const char *from, const char *to)
{
	uint32_t od, nd;
	const char *on, *nn;
	int rc = hfs_parent(h, from, &od, &on);
	char oname[256];
	snprintf(oname, sizeof oname, "%s", on); /* hfs_parent reuses */
	if (rc || (rc = hfs_parent(h, to, &nd, &nn)))
		return rc;
	return ext2_rename(&h->fs, od, oname, strlen(oname), nd, nn,
			   strlen(nn));
}

/* Model side of a successful rename (descendants of a directory move). */
static void model_rename(const char *from, const char *to)
{
	struct node *t = find(to);
	if (t)
		t->live = false;
	size_t fl = strlen(from);
	for (int i = 0; i < nnodes; i++) {
		struct node *n = &nodes[i];
		if (!n->live ||
		    (strcmp(n->path, from) && !under(n->path, from)))
			continue;
		char rest[256];
		snprintf(rest, sizeof rest, "%s", n->path + fl);
		snprintf(n->path, sizeof n->path, "%s%s", to, rest);
	}
}

/* ---- scripted operations ---- */

static void scripted(const char *opts)
{
	const char *img = new_image(opts, 16384);
	struct host_fs h;
	uint32_t ino, dir;
	model_reset();
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	unsigned bs = h.fs.block_size;
	struct node *a = mk_file(&h, "/a");
	write_at(&h, a, 0, 5000, 1);
	write_at(&h, a, 5000, 3000, 2); /* append */
	struct node *big = mk_file(&h, "/big");
	/* past the direct and single-indirect blocks in odd pieces */
	uint64_t end = (12 + bs / 4 + 40) * (uint64_t)bs;
	for (uint64_t off = 0; off < end; off += 7777)
		write_at(&h, big, off, 7777, off);
	assert_int_equal(hfs_walk(&h, "/big", &ino), 0);
	assert_int_equal(ext2_truncate(&h.fs, ino, 100000), 0);
	model_truncate(big, 100000);
	assert_int_equal(ext2_truncate(&h.fs, ino, 200000), 0); /* a hole */
	model_truncate(big, 200000);
	write_at(&h, big, 150001, 10, 99); /* inside the hole */
	struct node *far = mk_file(&h, "/far");
	write_at(&h, far, 70ull << 20, 3000, 5); /* 1 KiB: triple indirect */
	assert_int_equal(hfs_mkdir(&h, "/d1", &dir), 0);
	add("/d1", true);
	assert_int_equal(hfs_mkdir(&h, "/d1/d2", &dir), 0);
	add("/d1/d2", true);
	assert_int_equal(hfs_mkdir(&h, "/d3", &dir), 0);
	add("/d3", true);
	write_at(&h, mk_file(&h, "/d1/x"), 0, 100, 3);
	write_at(&h, mk_file(&h, "/d1/d2/y"), 0, 2000, 4);
	write_at(&h, mk_file(&h, "/d3/z"), 0, 10, 6);
	/* errors */
	assert_int_equal(hfs_create(&h, "/a", &ino), -EEXIST);
	assert_int_equal(hfs_mkdir(&h, "/d1", &ino), -EEXIST);
	assert_int_equal(hfs_walk(&h, "/nope", &ino), -ENOENT);
	assert_int_equal(hfs_walk(&h, "/a/b", &ino), -ENOTDIR);
	char longname[300];
	longname[0] = '/';
	memset(longname + 1, 'n', 256); /* one more than a name can hold */
	longname[257] = '\0';
	assert_int_equal(hfs_create(&h, longname, &ino), -ENAMETOOLONG);
	assert_int_equal(ext2_rmdir(&h.fs, 2, "d1", 2), -ENOTEMPTY);
	assert_int_equal(ext2_unlink(&h.fs, 2, "d1", 2), -EISDIR);
	assert_int_equal(ext2_rmdir(&h.fs, 2, "a", 1), -ENOTDIR);
	/* renames */
	assert_int_equal(rename_path(&h, "/d1/x", "/d3/x2"), 0);
	model_rename("/d1/x", "/d3/x2");
	assert_int_equal(rename_path(&h, "/d3/z", "/d3/x2"), 0); /* over */
	model_rename("/d3/z", "/d3/x2");
	assert_int_equal(rename_path(&h, "/d1/d2", "/d3/d2"), 0); /* reparent */
	model_rename("/d1/d2", "/d3/d2");
	assert_int_equal(rename_path(&h, "/d3", "/d3/d2/inside"), -EINVAL);
	assert_int_equal(rename_path(&h, "/a", "/d3"), -EISDIR);
	assert_int_equal(rename_path(&h, "/d1", "/a"), -ENOTDIR);
	assert_int_equal(rename_path(&h, "/d1", "/d3"), -ENOTEMPTY);
	assert_int_equal(hfs_mkdir(&h, "/empty", &dir), 0);
	assert_int_equal(rename_path(&h, "/d1", "/empty"), 0); /* over dir */
	model_rename("/d1", "/empty");
	assert_int_equal(rename_path(&h, "/a", "/a"), 0);
	/* the '..' of a moved directory names its new parent */
	uint32_t d3, up;
	assert_int_equal(hfs_walk(&h, "/d3", &d3), 0);
	assert_int_equal(hfs_walk(&h, "/d3/d2/..", &up), 0);
	assert_int_equal(up, d3);
	/* unlink and rmdir */
	assert_int_equal(ext2_unlink(&h.fs, 2, "a", 1), 0);
	find("/a")->live = false;
	assert_int_equal(ext2_rmdir(&h.fs, 2, "empty", 5), 0);
	find("/empty")->live = false;
	/* many entries in one directory, half removed again */
	for (int i = 0; i < 200; i++) {
		char p[64];
		snprintf(p, sizeof p, "/d3/many%03d", i);
		write_at(&h, mk_file(&h, p), 0, (size_t)i + 1, (uint64_t)i);
	}
	for (int i = 0; i < 200; i += 2) {
		char n[16];
		snprintf(n, sizeof n, "many%03d", i);
		assert_int_equal(hfs_walk(&h, "/d3", &dir), 0);
		assert_int_equal(ext2_unlink(&h.fs, dir, n, strlen(n)), 0);
		char p[64];
		snprintf(p, sizeof p, "/d3/%s", n);
		find(p)->live = false;
	}
	if (bs == 1024) /* d3 spans several blocks: lookups used its index */
		assert_true(h.dindex.hits > 100);
	verify(&h, img);
	verify_stat(&h, img);
	hfs_close(&h);
}

static void test_scripted_1k(void **state)
{
	(void)state;
	scripted("-b 1024");
}

static void test_scripted_2k(void **state)
{
	(void)state;
	scripted("-b 2048");
}

static void test_scripted_4k(void **state)
{
	(void)state;
	scripted("-b 4096");
}

static void test_scripted_rev0(void **state)
{
	(void)state;
	scripted("-r 0 -b 1024");
}

/* ---- a seeded random run against the model ---- */

static struct node *pick(bool dir)
{
	int live[MAX_NODES], n = 0;
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && nodes[i].dir == dir)
			live[n++] = i;
	return n ? &nodes[live[rnd() % (uint64_t)n]] : 0;
}

static void random_op(struct host_fs *h, int step)
{
	char p[300];
	uint32_t ino;
	struct node *d = pick(true), *f = pick(false);
	if (strlen(d->path) > 100)
		d = &nodes[0]; /* the root: keep paths short */
	switch (rnd() % 8) {
	case 0:
	case 1:
		snprintf(p, sizeof p, "%s/f%d", d->path, step);
		mk_file(h, p);
		break;
	case 2:
	case 3:
		if (f && f->size < MAX_DATA)
			write_at(h, f, rnd() % (f->size + 4096),
				 1 + rnd() % 9000, rnd());
		break;
	case 4:
		if (f) {
			size_t to = rnd() % MAX_DATA;
			assert_int_equal(hfs_walk(h, f->path, &ino), 0);
			assert_int_equal(ext2_truncate(&h->fs, ino, to), 0);
			model_truncate(f, to);
		}
		break;
	case 5:
		if (f && rnd() % 2) {
			uint32_t dir;
			const char *name;
			assert_int_equal(hfs_parent(h, f->path, &dir, &name),
					 0);
			assert_int_equal(
			    ext2_unlink(&h->fs, dir, name, strlen(name)), 0);
			f->live = false;
		} else if (d->path[0] && !subdirs(d->path)) {
			bool empty = true;
			for (int i = 0; i < nnodes; i++)
				empty &= !(nodes[i].live &&
					   under(nodes[i].path, d->path));
			uint32_t dir;
			const char *name;
			assert_int_equal(hfs_parent(h, d->path, &dir, &name),
					 0);
			assert_int_equal(
			    ext2_rmdir(&h->fs, dir, name, strlen(name)),
			    empty ? 0 : -ENOTEMPTY);
			if (empty)
				d->live = false;
		}
		break;
	case 6:
		snprintf(p, sizeof p, "%s/d%d", d->path, step);
		assert_int_equal(hfs_mkdir(h, p, &ino), 0);
		add(p, true);
		break;
	case 7: {
		struct node *t = pick(rnd() % 2 == 0), *to = pick(true);
		if (!t || !t->path[0] || strlen(to->path) > 100)
			break;
		snprintf(p, sizeof p, "%s/r%d", to->path, step);
		char from[256];
		snprintf(from, sizeof from, "%s", t->path);
		bool inside = t->dir && (under(to->path, from) ||
					 !strcmp(to->path, from));
		assert_int_equal(rename_path(h, from, p), inside ? -EINVAL : 0);
		if (!inside)
			model_rename(from, p);
		break;
	}
	}
}

static void random_run(const char *opts, uint64_t seed, int ops)
{
	const char *img = new_image(opts, 32768);
	struct host_fs h;
	model_reset();
	rng = seed;
	assert_int_equal(hfs_open(&h, img, 40, false), 0); /* evictions */
	for (int i = 0; i < ops; i++) {
		random_op(&h, i);
		assert_int_equal(bcache_pinned(&h.bc), 0);
	}
	assert_int_equal(h.fs.corruptions, 0);
	verify(&h, img);
	verify_stat(&h, img);
	hfs_close(&h);
}

static void test_random_1k(void **state)
{
	(void)state;
	random_run("-b 1024", 0x5eed1234abcdULL, 1500);
}

static void test_random_4k(void **state)
{
	(void)state;
	random_run("-b 4096", 0x1234567890ULL, 1500);
}

/* ---- running out ---- */

static void test_full_disk_enospc(void **state)
{
	(void)state;
	const char *img = new_image("-b 1024", 2048);
	struct host_fs h;
	struct ext2_statfs before, full, after;
	model_reset();
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	ext2_statfs(&h.fs, &before);
	struct node *f = mk_file(&h, "/fill");
	uint32_t ino;
	assert_int_equal(hfs_walk(&h, "/fill", &ino), 0);
	uint8_t buf[3000];
	long n;
	uint64_t off = 0;
	while ((n = hfs_write(&h, ino, off, buf, sizeof buf)) == sizeof buf) {
		model_write(f, off, buf, sizeof buf);
		off += sizeof buf;
	}
	if (n > 0) { /* the last write fit partly */
		model_write(f, off, buf, (size_t)n);
		off += (uint64_t)n;
		n = hfs_write(&h, ino, off, buf, sizeof buf);
	}
	assert_int_equal(n, -ENOSPC);
	ext2_statfs(&h.fs, &full);
	assert_int_equal(full.free_blocks, 0);
	/* a new file still gets an inode, but no data block */
	struct node *g = mk_file(&h, "/g");
	assert_int_equal(hfs_walk(&h, "/g", &ino), 0);
	assert_int_equal(hfs_write(&h, ino, 0, buf, 10), -ENOSPC);
	(void)g;
	verify(&h, img);
	verify_stat(&h, img);
	/* deleting gives every block back */
	assert_int_equal(ext2_unlink(&h.fs, 2, "fill", 4), 0);
	assert_int_equal(ext2_unlink(&h.fs, 2, "g", 1), 0);
	model_reset();
	ext2_statfs(&h.fs, &after);
	assert_int_equal(after.free_blocks, before.free_blocks);
	assert_int_equal(after.free_inodes, before.free_inodes);
	verify(&h, img);
	hfs_close(&h);
}

static void test_no_free_inodes_enospc(void **state)
{
	(void)state;
	const char *img = new_image("-b 1024 -N 64", 4096);
	struct host_fs h;
	model_reset();
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	uint32_t ino;
	int made = 0, rc;
	char p[32];
	for (;;) {
		snprintf(p, sizeof p, "/i%d", made);
		if ((rc = hfs_create(&h, p, &ino)))
			break;
		add(p, false);
		made++;
	}
	assert_int_equal(rc, -ENOSPC);
	assert_true(made > 40);
	assert_int_equal(hfs_mkdir(&h, "/dir", &ino), -ENOSPC);
	verify(&h, img);
	verify_stat(&h, img);
	hfs_close(&h);
}

/* An unlinked file that is still open keeps its inode and data until
 * released. */
static void test_unlinked_while_open(void **state)
{
	(void)state;
	const char *img = new_image("-b 1024", 4096);
	struct host_fs h;
	struct ext2_statfs before, after;
	model_reset();
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	ext2_statfs(&h.fs, &before);
	uint32_t ino;
	assert_int_equal(hfs_create(&h, "/open", &ino), 0);
	uint8_t buf[5000], got[5000];
	fill(buf, sizeof buf, 9);
	assert_int_equal(hfs_write(&h, ino, 0, buf, sizeof buf), 5000);
	h.open_ino = ino;
	assert_int_equal(ext2_unlink(&h.fs, 2, "open", 4), 0);
	uint32_t gone;
	assert_int_equal(hfs_walk(&h, "/open", &gone), -ENOENT);
	assert_int_equal(hfs_read(&h, h.open_ino, 0, got, sizeof got), 5000);
	assert_memory_equal(got, buf, sizeof buf);
	h.open_ino = 0;
	assert_int_equal(ext2_release(&h.fs, ino), 0);
	ext2_statfs(&h.fs, &after);
	assert_int_equal(after.free_blocks, before.free_blocks);
	assert_int_equal(after.free_inodes, before.free_inodes);
	verify(&h, img);
	hfs_close(&h);
}

static void test_symlinks_written(void **state)
{
	(void)state;
	const char *img = new_image("-b 1024", 4096);
	struct host_fs h;
	model_reset();
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	uint32_t fast, slow;
	const char *lt = "a/much/longer/target/path/than/the/sixty/bytes/of/"
			 "the/inode/itself";
	assert_int_equal(ext2_symlink(&h.fs, 2, "fast", 4, "target", &fast), 0);
	assert_int_equal(ext2_symlink(&h.fs, 2, "slow", 4, lt, &slow), 0);
	char buf[128];
	assert_int_equal(ext2_readlink(&h.fs, fast, buf, sizeof buf), 6);
	assert_string_equal(buf, "target");
	assert_int_equal(ext2_readlink(&h.fs, slow, buf, sizeof buf),
			 (long)strlen(lt));
	assert_string_equal(buf, lt);
	verify(&h, img);
	char out[4096];
	sh(out, sizeof out, "/usr/sbin/debugfs -R 'stat /slow' %s 2>/dev/null",
	   img);
	assert_null(strstr(out, "Fast link dest"));
	sh(out, sizeof out, "/usr/sbin/debugfs -R 'stat /fast' %s 2>/dev/null",
	   img);
	assert_non_null(strstr(out, "Fast link dest: \"target\""));
	assert_int_equal(ext2_unlink(&h.fs, 2, "fast", 4), 0);
	assert_int_equal(ext2_unlink(&h.fs, 2, "slow", 4), 0);
	verify(&h, img);
	hfs_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scripted_1k),
	    cmocka_unit_test(test_scripted_2k),
	    cmocka_unit_test(test_scripted_4k),
	    cmocka_unit_test(test_scripted_rev0),
	    cmocka_unit_test(test_random_1k),
	    cmocka_unit_test(test_random_4k),
	    cmocka_unit_test(test_full_disk_enospc),
	    cmocka_unit_test(test_no_free_inodes_enospc),
	    cmocka_unit_test(test_unlinked_while_open),
	    cmocka_unit_test(test_symlinks_written),
	};
	int rc = cmocka_run_group_tests(tests, 0, 0);
	model_reset();
	free(nodes[0].data);
	return rc;
}
