/* test_vfs.c — the VFS on the host: ext2 (a mke2fs image) at / and a
 * ustar initrd at /initrd; path forms (".", "..", "//", trailing "/"),
 * symlinks (relative, absolute, loops), mount crossings, open flags and
 * the POSIX errors, an unlinked file kept while open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/ext2_vfs.h"
#include "fs/initrd_fs.h"
#include "kernel/lib/errno.h"
#include "tests/unit/ext2_host.h"
#include "tests/unit/harness.h"

static struct host_fs h;
static struct initrd rd;
static uint8_t *rd_data;

static int setup(void **state)
{
	(void)state;
	char img[256], tree[256], tar[256];
	snprintf(tree, sizeof tree, "%s/vtree", tmpdir());
	snprintf(img, sizeof img, "%s/vfs.img", tmpdir());
	snprintf(tar, sizeof tar, "%s/vfs.tar", tmpdir());
	assert_int_equal(
	    sh(0, 0,
	       "set -e; d=%s; rm -rf $d; mkdir -p $d/a/b $d/initrd "
	       "$d/initrd2/x; echo see > $d/a/b/c.txt; echo f > "
	       "$d/file; ln -s a/b $d/link; ln -s /a $d/abs; ln -s "
	       "loop2 $d/loop1; ln -s loop1 $d/loop2; ln -s nowhere "
	       "$d/dangling; mkdir -p %s.src; echo hi > "
	       "%s.src/hello; tar --format=ustar -C %s.src -cf %s "
	       "hello",
	       tree, tar, tar, tar, tar),
	    0);
	make_image(img, 4096, "-b 1024", tree);
	assert_int_equal(hfs_open(&h, img, 64, false), 0);
	FILE *f = fopen(tar, "rb");
	rd_data = calloc(1, 65536);
	rd.size = fread(rd_data, 1, 65536, f);
	rd.base = rd_data;
	fclose(f);
	vfs_reset();
	assert_int_equal(vfs_mount("/", &ext2_vfs_ops, &h.fs, EXT2_ROOT_INO,
				   false, "ext2", "image"),
			 0);
	h.fs.in_use = ext2_vfs_in_use;
	h.fs.ctx = vfs_mount_at(0);
	assert_int_equal(vfs_mount("/initrd", &initrd_vfs_ops, &rd,
				   INITRD_ROOT_INO, true, "initrd", "tar"),
			 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	h.fs.in_use = 0;
	hfs_close(&h);
	free(rd_data);
	return 0;
}

static uint32_t ino_of(const char *cwd, const char *path, bool follow)
{
	struct vfs_node n;
	int rc = vfs_resolve(cwd, path, follow, &n);
	if (rc)
		fail_msg("resolve %s from %s: error %d", path, cwd, rc);
	return n.ino;
}

static int err_of(const char *cwd, const char *path)
{
	struct vfs_node n;
	return vfs_resolve(cwd, path, true, &n);
}

static void test_path_forms(void **state)
{
	(void)state;
	uint32_t c = ino_of("/", "/a/b/c.txt", true);
	assert_int_equal(ino_of("/", "a//b/./c.txt", true), c);
	assert_int_equal(ino_of("/a", "../../a/b/c.txt", true), c);
	assert_int_equal(ino_of("/a/b", "c.txt", true), c);
	assert_int_equal(ino_of("/", "/", true), EXT2_ROOT_INO);
	assert_int_equal(ino_of("/a/b", "../../..", true), EXT2_ROOT_INO);
	struct vfs_node n;
	assert_int_equal(vfs_resolve("/a", "b/../b/", true, &n), 0);
	assert_string_equal(n.path, "/a/b");
	assert_int_equal(err_of("/", "/nope"), -ENOENT);
	assert_int_equal(err_of("/", ""), -ENOENT);
	assert_int_equal(err_of("/", "/file/x"), -ENOTDIR);
	assert_int_equal(err_of("/", "/file/"), -ENOTDIR);
	char longname[300] = "/";
	memset(longname + 1, 'x', 256);
	assert_int_equal(err_of("/", longname), -ENAMETOOLONG);
	char longpath[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(longpath, "/abcde");
	assert_int_equal(err_of("/", longpath), -ENAMETOOLONG);
}

static void test_symlinks(void **state)
{
	(void)state;
	uint32_t c = ino_of("/", "/a/b/c.txt", true);
	assert_int_equal(ino_of("/", "/link/c.txt", true), c);
	assert_int_equal(ino_of("/", "/abs/b/c.txt", true), c);
	assert_int_equal(ino_of("/a", "../link/../b/c.txt", true), c);
	struct vfs_stat st;
	assert_int_equal(vfs_stat("/", "/link", false, &st), 0);
	assert_true(VFS_IS_LNK(st.mode));
	assert_int_equal(vfs_stat("/", "/link", true, &st), 0);
	assert_true(VFS_IS_DIR(st.mode));
	assert_int_equal(err_of("/", "/loop1"), -ELOOP);
	assert_int_equal(err_of("/", "/dangling"), -ENOENT);
	char buf[64];
	assert_int_equal(vfs_readlink("/", "/link", buf, sizeof buf), 3);
	assert_memory_equal(buf, "a/b", 3);
	char cwd[VFS_PATH_MAX];
	assert_int_equal(vfs_chdir("/", "/link", cwd), 0);
	assert_string_equal(cwd, "/a/b");
	assert_int_equal(vfs_chdir("/", "/file", cwd), -ENOTDIR);
}

static void test_mounts(void **state)
{
	(void)state;
	struct vfs_node n;
	assert_int_equal(vfs_resolve("/", "/initrd/hello", true, &n), 0);
	assert_string_equal(n.m->type, "initrd");
	assert_int_equal(vfs_resolve("/initrd", "../a", true, &n), 0);
	assert_string_equal(n.m->type, "ext2");
	struct vfs_vnode *v;
	uint32_t type;
	assert_int_equal(vfs_open("/", "/initrd/new",
				  VFS_O_CREAT | VFS_O_WRONLY, 0644, &v, &type,
				  0),
			 -EROFS);
	assert_int_equal(
	    vfs_open("/", "/initrd/hello", VFS_O_WRONLY, 0, &v, &type, 0),
	    -EROFS);
	assert_int_equal(vfs_rename("/", "/initrd/hello", "/hello"), -EROFS);
	assert_int_equal(vfs_rename("/", "/file", "/initrd2/file"), 0);
	assert_int_equal(vfs_rename("/", "/initrd", "/x"), -EBUSY);
	assert_int_equal(vfs_rmdir("/", "/initrd"), -EBUSY);
	assert_int_equal(vfs_mkdir("/", "/initrd", 0755), -EEXIST);
	assert_int_equal(vfs_unlink("/", "/initrd/hello"), -EROFS);
	struct vfs_statfs fs;
	assert_int_equal(vfs_statfs("/", "/initrd", &fs), 0);
	assert_true(fs.readonly);
}

static void test_open_flags(void **state)
{
	(void)state;
	struct vfs_vnode *v;
	uint32_t type;
	char canon[VFS_PATH_MAX];
	assert_int_equal(vfs_open("/a", "new", VFS_O_CREAT | VFS_O_RDWR, 0600,
				  &v, &type, canon),
			 0);
	assert_string_equal(canon, "/a/new");
	assert_true(VFS_IS_REG(type));
	vfs_vnode_put(v);
	assert_int_equal(vfs_open("/", "/a/new",
				  VFS_O_CREAT | VFS_O_EXCL | VFS_O_RDWR, 0600,
				  &v, &type, 0),
			 -EEXIST);
	assert_int_equal(vfs_open("/", "/a", VFS_O_WRONLY, 0, &v, &type, 0),
			 -EISDIR);
	assert_int_equal(vfs_open("/", "/a/new", VFS_O_RDONLY | VFS_O_DIRECTORY,
				  0, &v, &type, 0),
			 -ENOTDIR);
	assert_int_equal(vfs_open("/", "/a/new", 3, 0, &v, &type, 0), -EINVAL);
	assert_int_equal(vfs_open("/", "/no/such", VFS_O_CREAT | VFS_O_RDWR,
				  0600, &v, &type, 0),
			 -ENOENT);
	assert_int_equal(
	    vfs_open("/", "/a/", VFS_O_CREAT | VFS_O_RDWR, 0600, &v, &type, 0),
	    -EISDIR);
	assert_int_equal(vfs_mkdir("/", "/a/b/..", 0755), -EEXIST);
	assert_int_equal(vfs_rmdir("/a", "."), -EINVAL);
	assert_int_equal(vfs_rmdir("/a", "b/.."), -ENOTEMPTY);
	assert_int_equal(vfs_unlink("/", "/a"), -EISDIR);
	assert_int_equal(vfs_rmdir("/", "/a"), -ENOTEMPTY);
	assert_int_equal(vfs_rename("/", "/a", "/a/b/inside"), -EINVAL);
}

static int copy_in(void *ctx, size_t off, void *data, size_t n)
{
	memcpy(data, (char *)ctx + off, n);
	return 0;
}

static int copy_out(void *ctx, size_t off, void *data, size_t n)
{
	memcpy((char *)ctx + off, data, n);
	return 0;
}

static void test_unlinked_open_file(void **state)
{
	(void)state;
	struct vfs_statfs before, during, after;
	struct vfs_vnode *v, *w;
	uint32_t type;
	char data[3000], got[3000];
	memset(data, 'q', sizeof data);
	assert_int_equal(vfs_statfs("/", "/", &before), 0);
	assert_int_equal(vfs_open("/", "/tmpfile", VFS_O_CREAT | VFS_O_RDWR,
				  0644, &v, &type, 0),
			 0);
	assert_int_equal(vfs_write(v, 0, sizeof data, copy_in, data),
			 sizeof data);
	assert_int_equal(
	    vfs_open("/", "/tmpfile", VFS_O_RDONLY, 0, &w, &type, 0), 0);
	assert_ptr_equal(v, w); /* one node per inode */
	vfs_vnode_put(w);
	assert_int_equal(vfs_unlink("/", "/tmpfile"), 0);
	assert_int_equal(vfs_statfs("/", "/", &during), 0);
	assert_int_equal(during.ffree, before.ffree - 1);
	assert_int_equal(vfs_read(v, 0, sizeof got, copy_out, got), sizeof got);
	assert_memory_equal(got, data, sizeof data);
	vfs_vnode_put(v); /* the last close frees it */
	assert_int_equal(vfs_statfs("/", "/", &after), 0);
	assert_int_equal(after.ffree, before.ffree);
	assert_int_equal(after.bfree, before.bfree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_path_forms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mounts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlinked_open_file, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
