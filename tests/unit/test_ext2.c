/* test_ext2.c — ext2 reading on images made by mke2fs (1, 2 and 4 KiB
 * blocks, revisions 0 and 1), every file compared with what debugfs
 * reports: content (rdump), mode, links, size, i_blocks, times, the block
 * map with its indirect blocks; and images corrupted on purpose, which
 * must give errors naming the inode and block, never a crash. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/ext2_dump.h"
#include "fs/ext2_priv.h"
#include "kernel/lib/errno.h"
#include "tests/unit/ext2_host.h"
#include "tests/unit/harness.h"

#define MAX_FILES 512
#define LONG_TARGET                                                            \
	"this/is/a/rather/long/symlink/target/which/does/not/fit/in/the/"      \
	"sixty/bytes/of/i_block"

struct entry {
	char path[256];
	uint32_t ino;
	uint8_t type;
};

static struct entry files[MAX_FILES];
static int nfiles;

/* The source tree mke2fs -d copies: small, empty, sparse and large
 * files, nested and many-entry directories, fast and slow symlinks. */
static const char *staging(void)
{
	static char dir[256];
	if (dir[0])
		return dir;
	snprintf(dir, sizeof dir, "%s/tree", tmpdir());
	int rc =
	    sh(0, 0,
	       "set -e; d=%s; mkdir -p $d/dir1/dir2 $d/manydir; "
	       "printf 'hello\\n' > $d/small.txt; : > $d/empty; "
	       "head -c 307200 /dev/urandom > $d/big; "
	       "printf 'deep\\n' > $d/dir1/dir2/deep.txt; "
	       "truncate -s 0 $d/sparse; "
	       "printf y | dd of=$d/sparse bs=1024 seek=5120 conv=notrunc "
	       "2>/dev/null; "
	       "head -c 3072 /dev/urandom | dd of=$d/sparse bs=1024 "
	       "seek=71680 conv=notrunc 2>/dev/null; "
	       "for i in $(seq 300); do echo file$i > $d/manydir/f$i; done; "
	       "ln -s small.txt $d/fastlink; ln -s %s $d/slowlink",
	       dir, LONG_TARGET);
	assert_int_equal(rc, 0);
	return dir;
}

static void collect(struct host_fs *h, uint32_t dir, const char *prefix)
{
	uint64_t pos = 0;
	struct ext2_dirent_info e;
	int rc;
	while ((rc = ext2_readdir(&h->fs, dir, &pos, &e)) == 1) {
		if (!strcmp(e.name, ".") || !strcmp(e.name, ".."))
			continue;
		assert_true(nfiles < MAX_FILES);
		struct entry *f = &files[nfiles++];
		if ((size_t)snprintf(f->path, sizeof f->path, "%s/%s", prefix,
				     e.name) >= sizeof f->path)
			fail_msg("path too long");
		f->ino = e.ino;
		f->type = e.type;
		if (e.type == EXT2_FT_UNKNOWN) { /* no filetype feature */
			struct ext2_stat st;
			assert_int_equal(ext2_stat(&h->fs, e.ino, &st), 0);
			f->type = ext2_ftype(st.mode);
		}
		if (f->type == EXT2_FT_DIR)
			collect(h, e.ino, f->path);
	}
	assert_int_equal(rc, 0);
}

/* The block map agrees with debugfs's BLOCKS: every listed run, the
 * indirect blocks, and holes elsewhere. */
static void check_map(struct host_fs *h, const struct dstat *d)
{
	struct ext2_inode in;
	assert_int_equal(ext2_read_inode(&h->fs, d->ino, &in), 0);
	uint32_t meta_seen[DSTAT_RUNS];
	int nmeta = 0;
	for (int r = 0; r < d->nruns; r++)
		for (uint64_t l = d->runs[r].l0; l <= d->runs[r].l1; l++) {
			uint32_t p, meta[3];
			assert_int_equal(
			    ext2_map(&h->fs, d->ino, &in, l, &p, meta), 0);
			assert_int_equal(p,
					 d->runs[r].p0 + (l - d->runs[r].l0));
			for (int k = 0; k < 3 && meta[k]; k++) {
				int j = 0;
				while (j < nmeta && meta_seen[j] != meta[k])
					j++;
				if (j == nmeta)
					meta_seen[nmeta++] = meta[k];
			}
		}
	assert_int_equal(nmeta, d->nmeta);
	for (int j = 0; j < nmeta; j++) {
		int k = 0;
		while (k < d->nmeta && d->meta[k] != meta_seen[j])
			k++;
		assert_true(k < d->nmeta);
	}
	uint64_t nblk = (d->size + h->fs.block_size - 1) / h->fs.block_size;
	for (uint64_t l = 0; l < nblk; l += 1 + nblk / 97) {
		bool listed = false;
		for (int r = 0; r < d->nruns; r++)
			listed |= l >= d->runs[r].l0 && l <= d->runs[r].l1;
		uint32_t p, meta[3];
		assert_int_equal(ext2_map(&h->fs, d->ino, &in, l, &p, meta), 0);
		if (!listed)
			assert_int_equal(p, 0);
	}
}

static void check_meta(struct host_fs *h, const struct entry *f,
		       const struct dstat *d)
{
	struct ext2_stat st;
	assert_int_equal(ext2_stat(&h->fs, f->ino, &st), 0);
	assert_int_equal(st.mode & 07777, d->mode);
	assert_int_equal(st.links, d->links);
	assert_int_equal(st.size, d->size);
	assert_int_equal(st.blocks, d->blockcount);
	assert_int_equal(st.uid, d->uid);
	assert_int_equal(st.gid, d->gid);
	assert_int_equal(st.mtime, d->mtime);
	assert_int_equal(st.ctime, d->ctime);
	assert_int_equal(st.atime, d->atime);
	const char *want = f->type == EXT2_FT_DIR	? "directory"
			   : f->type == EXT2_FT_SYMLINK ? "symlink"
							: "regular";
	if (h->fs.filetype)
		assert_string_equal(d->type, want);
	if (d->fast_link[0]) {
		char buf[64];
		assert_true(ext2_readlink(&h->fs, f->ino, buf, sizeof buf) > 0);
		assert_string_equal(buf, d->fast_link);
	} else {
		check_map(h, d);
	}
}

static void collect_line(void *ctx, const char *line)
{
	char *buf = ctx;
	size_t n = strlen(buf);
	snprintf(buf + n, 65536 - n, "%s\n", line);
}

/* The monitor's inode dump says what debugfs stat says. */
static void check_dump(struct host_fs *h, const struct dstat *want)
{
	static char text[65536];
	static struct dstat got;
	text[0] = '\0';
	assert_int_equal(ext2_dump_inode(&h->fs, want->ino, collect_line, text),
			 0);
	dstat_parse(text, &got);
	assert_int_equal(got.ino, want->ino);
	assert_string_equal(got.type, want->type);
	assert_int_equal(got.mode, want->mode);
	assert_int_equal(got.links, want->links);
	assert_int_equal(got.size, want->size);
	assert_int_equal(got.blockcount, want->blockcount);
	assert_int_equal(got.mtime, want->mtime);
	assert_string_equal(got.fast_link, want->fast_link);
	assert_int_equal(got.nruns, want->nruns);
	assert_int_equal(got.nmeta, want->nmeta);
	assert_memory_equal(got.runs, want->runs,
			    sizeof got.runs[0] * (size_t)got.nruns);
	assert_memory_equal(got.meta, want->meta,
			    sizeof got.meta[0] * (size_t)got.nmeta);
}

/* The monitor's superblock dump agrees with dumpe2fs -h, label by label. */
static void check_super_dump(struct host_fs *h, const char *img)
{
	static char mine[65536], theirs[65536];
	mine[0] = '\0';
	assert_int_equal(ext2_dump_super(&h->fs, collect_line, mine), 0);
	sh(theirs, sizeof theirs, "/usr/sbin/dumpe2fs -h %s 2>/dev/null", img);
	int matched = 0;
	for (char *line = strtok(mine, "\n"); line; line = strtok(0, "\n")) {
		char *colon = strchr(line, ':');
		if (!colon || !strncmp(line, "Group ", 6))
			continue;
		char label[64], want[256], got[256];
		snprintf(label, sizeof label, "\n%.*s:", (int)(colon - line),
			 line);
		char *at = strstr(theirs, label);
		if (!at)
			continue;
		sscanf(colon + 1, " %255[^\n]", got);
		sscanf(at + strlen(label), " %255[^\n]", want);
		if (strcmp(got, want))
			fail_msg("%s: '%s' here, '%s' in dumpe2fs", label + 1,
				 got, want);
		matched++;
	}
	assert_true(matched >= (h->fs.rev ? 17 : 12)); /* rev 0 has fewer */
}

/* Content: regular files byte for byte, symlink targets, directory
 * listings, against debugfs's rdump of the same image. */
static void check_content(struct host_fs *h, const struct entry *f,
			  const char *dump)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", dump, f->path);
	if (f->type == EXT2_FT_SYMLINK) {
		char want[256], got[256];
		ssize_t n = readlink(path, want, sizeof want - 1);
		assert_true(n > 0);
		want[n] = '\0';
		assert_int_equal(ext2_readlink(&h->fs, f->ino, got, sizeof got),
				 n);
		assert_string_equal(got, want);
		return;
	}
	if (f->type == EXT2_FT_DIR)
		return;
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	uint8_t *mine;
	size_t len;
	assert_int_equal(hfs_slurp(h, f->ino, &mine, &len), 0);
	uint8_t *want = malloc(len + 1);
	assert_int_equal(fread(want, 1, len + 1, fp), len);
	fclose(fp);
	assert_memory_equal(mine, want, len);
	free(mine);
	free(want);
}

static void count_dumped(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		(*n)++;
		if (e->d_type == DT_DIR) {
			char sub[512];
			snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
			count_dumped(sub, n);
		}
	}
	closedir(d);
}

static void check_image(const char *opts, unsigned kib)
{
	char img[256], dump[256];
	snprintf(img, sizeof img, "%s/read.img", tmpdir());
	snprintf(dump, sizeof dump, "%s/dump", tmpdir());
	make_image(img, kib, opts, staging());
	assert_int_equal(sh(0, 0,
			    "rm -rf %s && mkdir %s && /usr/sbin/debugfs -R "
			    "'rdump / %s' %s >/dev/null 2>&1",
			    dump, dump, dump, img),
			 0);
	struct host_fs h;
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	nfiles = 0;
	collect(&h, EXT2_ROOT_INO, "");
	int dumped = 0;
	count_dumped(dump, &dumped);
	assert_int_equal(nfiles, dumped);
	uint32_t inos[MAX_FILES];
	static struct dstat d[MAX_FILES];
	for (int i = 0; i < nfiles; i++)
		inos[i] = files[i].ino;
	assert_true(debugfs_stat(img, inos, nfiles, d));
	for (int i = 0; i < nfiles; i++) {
		check_meta(&h, &files[i], &d[i]);
		check_content(&h, &files[i], dump);
		check_dump(&h, &d[i]);
	}
	check_super_dump(&h, img);
	assert_int_equal(h.fs.corruptions, 0);
	hfs_close(&h);
}

static void test_read_1k(void **state)
{
	(void)state;
	check_image("-b 1024", 16384); /* sparse reaches triple indirect */
}

static void test_read_2k(void **state)
{
	(void)state;
	check_image("-b 2048", 16384);
}

static void test_read_4k(void **state)
{
	(void)state;
	check_image("-b 4096", 16384);
}

static void test_read_rev0(void **state)
{
	(void)state;
	check_image("-r 0 -b 1024", 16384); /* no filetype, 128-byte inodes */
}

static void test_read_htree_dir(void **state)
{
	(void)state;
	/* e2fsck -D indexes directories: read them linearly */
	char img[256];
	snprintf(img, sizeof img, "%s/htree.img", tmpdir());
	make_image(img, 16384, "-b 1024", staging());
	sh(0, 0, "/usr/sbin/e2fsck -fyD %s >/dev/null 2>&1", img);
	struct host_fs h;
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	uint32_t dir, ino;
	assert_int_equal(hfs_walk(&h, "/manydir", &dir), 0);
	struct ext2_inode din;
	assert_int_equal(ext2_read_inode(&h.fs, dir, &din), 0);
	assert_true(din.i_flags & EXT2_INDEX_FL);
	for (int i = 1; i <= 300; i += 37) {
		char name[32], buf[16];
		snprintf(name, sizeof name, "/manydir/f%d", i);
		assert_int_equal(hfs_walk(&h, name, &ino), 0);
		long n = hfs_read(&h, ino, 0, buf, sizeof buf);
		assert_true(n > 0);
		assert_memory_equal(buf, "file", 4);
	}
	hfs_close(&h);
}

/* ---- corrupt and unsupported images ---- */

static void poke32(const char *img, uint64_t off, uint32_t v)
{
	FILE *f = fopen(img, "r+b");
	fseek(f, (long)off, SEEK_SET);
	fwrite(&v, 4, 1, f);
	fclose(f);
}

static void poke16(const char *img, uint64_t off, uint16_t v)
{
	FILE *f = fopen(img, "r+b");
	fseek(f, (long)off, SEEK_SET);
	fwrite(&v, 2, 1, f);
	fclose(f);
}

static const char *fresh_image(const char *name)
{
	static char img[256];
	snprintf(img, sizeof img, "%s/%s.img", tmpdir(), name);
	make_image(img, 16384, "-b 1024", staging());
	return img;
}

/* Where inode ino's i_block[k] is in the image. */
static uint64_t iblock_offset(struct host_fs *h, uint32_t ino, int k)
{
	struct ext2_group_desc gd;
	assert_int_equal(ext2_group(&h->fs, (ino - 1) / h->fs.ipg, &gd), 0);
	uint64_t idx = (ino - 1) % h->fs.ipg;
	return (uint64_t)gd.bg_inode_table * h->fs.block_size +
	       idx * h->fs.inode_size + 40 + 4 * k;
}

static void test_rec_len_past_block(void **state)
{
	(void)state;
	const char *img = fresh_image("reclen");
	struct host_fs h;
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	struct ext2_inode root;
	uint32_t blk, meta[3];
	assert_int_equal(ext2_read_inode(&h.fs, 2, &root), 0);
	assert_int_equal(ext2_map(&h.fs, 2, &root, 0, &blk, meta), 0);
	hfs_close(&h);
	/* the second entry (".."): rec_len far past the 1 KiB block */
	poke16(img, (uint64_t)blk * 1024 + 12 + 4, 2000);
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	uint32_t ino;
	assert_int_equal(hfs_walk(&h, "/small.txt", &ino), -EUCLEAN);
	char want[96];
	snprintf(want, sizeof want, "inode 2 block %u:", blk);
	assert_non_null(strstr(h.log, want));
	assert_non_null(strstr(h.log, "rec_len runs past the block end"));
	uint64_t pos = 0;
	struct ext2_dirent_info e;
	assert_int_equal(ext2_readdir(&h.fs, 2, &pos, &e), 1); /* "." */
	assert_int_equal(ext2_readdir(&h.fs, 2, &pos, &e), -EUCLEAN);
	hfs_close(&h);
}

static void test_indirect_loop(void **state)
{
	(void)state;
	const char *img = fresh_image("loop");
	struct host_fs h;
	uint32_t ino;
	assert_int_equal(hfs_open(&h, img, 48, false), 0);
	assert_int_equal(hfs_walk(&h, "/big", &ino), 0);
	struct ext2_inode in;
	assert_int_equal(ext2_read_inode(&h.fs, ino, &in), 0);
	uint32_t dind = in.i_block[EXT2_DIND_BLOCK];
	assert_true(dind != 0);
	hfs_close(&h);
	poke32(img, (uint64_t)dind * 1024, dind); /* DIND[0] = DIND */
	assert_int_equal(hfs_open(&h, img, 48, false), 0);
	uint8_t buf[1024];
	assert_int_equal(hfs_read(&h, ino, 300 * 1024 - 1024, buf, 1024),
			 -EUCLEAN);
	char want[96];
	snprintf(want, sizeof want, "inode %u block %u: indirect block loop",
		 ino, dind);
	assert_non_null(strstr(h.log, want));
	/* the direct part still reads; freeing stops at the loop */
	assert_int_equal(hfs_read(&h, ino, 0, buf, 1024), 1024);
	assert_int_equal(ext2_truncate(&h.fs, ino, 0), -EUCLEAN);
	hfs_close(&h);
}

static void test_block_past_end(void **state)
{
	(void)state;
	const char *img = fresh_image("pastend");
	struct host_fs h;
	uint32_t ino;
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	assert_int_equal(hfs_walk(&h, "/small.txt", &ino), 0);
	uint64_t off = iblock_offset(&h, ino, 0);
	hfs_close(&h);
	poke32(img, off, 16384 + 1000);
	assert_int_equal(hfs_open(&h, img, 48, true), 0);
	char buf[16];
	assert_int_equal(hfs_read(&h, ino, 0, buf, sizeof buf), -EUCLEAN);
	char want[96];
	snprintf(want, sizeof want, "inode %u block %u:", ino, 16384 + 1000);
	assert_non_null(strstr(h.log, want));
	assert_non_null(strstr(h.log, "outside the file system"));
	hfs_close(&h);
}

static void test_unknown_incompat_refused(void **state)
{
	(void)state;
	const char *img = fresh_image("incompat");
	sh(0, 0,
	   "/usr/sbin/debugfs -w -R 'ssv feature_incompat 0x42' %s "
	   ">/dev/null 2>&1",
	   img); /* filetype + extent */
	struct host_fs h;
	assert_int_equal(hfs_open(&h, img, 48, false), -EINVAL);
	assert_non_null(strstr(h.why, "unsupported incompatible feature"));
	assert_non_null(strstr(h.why, "extent"));
	assert_null(strstr(h.why, "filetype"));
	hfs_close(&h);
}

static void test_unknown_ro_compat_read_only(void **state)
{
	(void)state;
	const char *img = fresh_image("rocompat");
	sh(0, 0,
	   "/usr/sbin/debugfs -w -R 'ssv feature_ro_compat 0x0b' %s "
	   ">/dev/null 2>&1",
	   img); /* sparse_super large_file huge_file */
	struct host_fs h;
	assert_int_equal(hfs_open(&h, img, 48, false), 0);
	assert_true(h.fs.readonly);
	assert_non_null(strstr(h.why, "read-only"));
	assert_non_null(strstr(h.why, "huge_file"));
	uint32_t ino;
	assert_int_equal(hfs_create(&h, "/new", &ino), -EROFS);
	assert_int_equal(hfs_walk(&h, "/small.txt", &ino), 0);
	char buf[8];
	assert_int_equal(hfs_read(&h, ino, 0, buf, 6), 6);
	hfs_close(&h);
}

static void test_bad_superblocks_refused(void **state)
{
	(void)state;
	struct host_fs h;
	/* offsets: s_blocks_per_group 32, s_inodes_per_group 40,
	 * s_log_block_size 24, s_blocks_count 4, s_magic 56 */
	static const struct {
		unsigned off, val;
		const char *why;
	} cases[] = {
	    {32, 0, "blocks per group"},
	    {40, 1u << 20, "inodes per group"},
	    {4, 1u << 30, "larger than the device"},
	    {24, 7, "block size"},
	    {56, 0x1234, "no ext2 superblock"},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *img = fresh_image("badsb");
		if (cases[i].off == 56)
			poke16(img, 1024 + 56, (uint16_t)cases[i].val);
		else
			poke32(img, 1024 + cases[i].off, cases[i].val);
		assert_true(hfs_open(&h, img, 48, true) < 0);
		if (!strstr(h.why, cases[i].why))
			fail_msg("case %u: '%s' lacks '%s'", i, h.why,
				 cases[i].why);
		hfs_close(&h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_1k),
	    cmocka_unit_test(test_read_2k),
	    cmocka_unit_test(test_read_4k),
	    cmocka_unit_test(test_read_rev0),
	    cmocka_unit_test(test_read_htree_dir),
	    cmocka_unit_test(test_rec_len_past_block),
	    cmocka_unit_test(test_indirect_loop),
	    cmocka_unit_test(test_block_past_end),
	    cmocka_unit_test(test_unknown_incompat_refused),
	    cmocka_unit_test(test_unknown_ro_compat_read_only),
	    cmocka_unit_test(test_bad_superblocks_refused),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
