/* usertests_fs.c — usertests' file-system tests: files, errors, directories,
 * descriptors across fork/dup/exec, a file past the double-indirect range,
 * programs copied and run. They need a writable / (the ext2 disk); without
 * one they say so and pass. Each runs in its own child (usertests.c). */
#include <stdbool.h>

#include "user/lib/ulib.h"
#include "user/usertests_fs.h"

#define T "/tmp/ut"	    /* every test works below here */
#define BIG_OFF (66L << 20) /* past 12 + 256 + 256^2 blocks of 1 KiB */

/* Start a test: false (and a note) when / cannot be written. */
static bool begin(const char *test)
{
	struct ustatfs s;
	if (statfs("/", &s) < 0 || s.f_readonly) {
		printf("usertests: %s: skipped (no writable file system at /; "
		       "boot with a disk)\n",
		       test);
		return false;
	}
	mkdir("/tmp", 0755);
	int rc = mkdir(T, 0755);
	if (rc < 0 && rc != -EEXIST)
		ut_failed("mkdir " T ": %s", strerror(-rc));
	return true;
}

static void write_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return ut_failed("create %s: %s", path, strerror(-fd));
	ut_expect_eq("write", write(fd, data, strlen(data)),
		     (long)strlen(data));
	close(fd);
}

/* The whole file into buf (NUL-terminated): its length or an errno. */
static long read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	long got = read(fd, buf, n - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return got;
}

static void expect_content(const char *path, const char *want)
{
	char buf[256];
	long n = read_file(path, buf, sizeof buf);
	if (n < 0 || strcmp(buf, want))
		ut_failed("%s holds '%s' (%ld), want '%s'", path, buf, n, want);
}

static void files(void)
{
	char buf[64];
	write_file(T "/f", "hello");
	int fd = open(T "/f", O_RDWR | O_APPEND);
	ut_expect_eq("append", write(fd, " world", 6), 6);
	ut_expect_eq("lseek end", lseek(fd, 0, SEEK_END), 11);
	ut_expect_eq("lseek set", lseek(fd, 6, SEEK_SET), 6);
	ut_expect_eq("read", read(fd, buf, 5), 5);
	ut_expect_eq("read at end", read(fd, buf, 5), 0);
	ut_expect_eq("lseek negative", lseek(fd, -1, SEEK_SET), -EINVAL);
	close(fd);
	expect_content(T "/f", "hello world");
	fd = open(T "/f", O_WRONLY | O_TRUNC);
	ut_expect_eq("write after O_TRUNC", write(fd, "x", 1), 1);
	close(fd);
	expect_content(T "/f", "x");
	/* growing with ftruncate leaves a hole of zeros */
	fd = open(T "/f", O_RDWR);
	ut_expect_eq("ftruncate", ftruncate(fd, 5000), 0);
	ut_expect_eq("lseek", lseek(fd, 4000, SEEK_SET), 4000);
	memset(buf, 1, sizeof buf);
	ut_expect_eq("read hole", read(fd, buf, 16), 16);
	for (int i = 0; i < 16; i++)
		if (buf[i])
			ut_failed("hole byte %d is %d", i, buf[i]);
	struct stat st;
	ut_expect_eq("fstat", fstat(fd, &st), 0);
	ut_expect_eq("size", st.st_size, 5000);
	close(fd);
	/* unlinked while open: still readable until closed */
	write_file(T "/g", "kept");
	fd = open(T "/g", O_RDONLY);
	ut_expect_eq("unlink open file", unlink(T "/g"), 0);
	ut_expect_eq("stat unlinked", stat(T "/g", &st), -ENOENT);
	ut_expect_eq("read unlinked", read(fd, buf, 4), 4);
	close(fd);
	ut_expect_eq("unlink", unlink(T "/f"), 0);
}

void ut_fs_files(void)
{
	if (begin("fsfiles"))
		files();
}

static void errors(void)
{
	char longname[300];
	struct stat st;
	int fd;
	write_file(T "/file", "x");
	ut_expect_eq("open missing", open(T "/missing", O_RDONLY), -ENOENT);
	ut_expect_eq("file as dir", open(T "/file/x", O_RDONLY), -ENOTDIR);
	ut_expect_eq("trailing slash", stat(T "/file/", &st), -ENOTDIR);
	ut_expect_eq("write a dir", open(T, O_WRONLY), -EISDIR);
	ut_expect_eq("O_EXCL",
		     open(T "/file", O_CREAT | O_EXCL | O_WRONLY, 0644),
		     -EEXIST);
	ut_expect_eq("mkdir existing", mkdir(T, 0755), -EEXIST);
	longname[0] = '/';
	memset(longname + 1, 'n', 256);
	longname[257] = '\0';
	ut_expect_eq("long name", open(longname, O_RDONLY), -ENAMETOOLONG);
	ut_expect_eq("rmdir file", rmdir(T "/file"), -ENOTDIR);
	ut_expect_eq("unlink dir", unlink(T), -EISDIR);
	ut_expect_eq("rmdir non-empty", rmdir(T), -ENOTEMPTY);
	ut_expect_eq("rmdir .", rmdir(T "/."), -EINVAL);
	ut_expect_eq("rename into itself", rename(T, T "/sub"), -EINVAL);
	ut_expect_eq("rename to initrd", rename(T "/file", "/initrd/file"),
		     -EROFS);
	fd = open(T "/file", O_RDONLY);
	ut_expect_eq("write read-only fd", write(fd, "x", 1), -EBADF);
	ut_expect_eq("getdents on a file",
		     getdents(fd, longname, sizeof longname), -ENOTDIR);
	close(fd);
	ut_expect_eq("read closed", read(fd, longname, 1), -EBADF);
	ut_expect_eq("close closed", close(fd), -EBADF);
	fd = open(T, O_RDONLY);
	ut_expect_eq("read a dir", read(fd, longname, 1), -EISDIR);
	close(fd);
	ut_expect_eq("lseek console", lseek(FD_STDOUT, 0, SEEK_SET), -ESPIPE);
	ut_expect_eq("dup2 bad", dup2(FD_STDOUT, 99), -EBADF);
	unlink(T "/file");
}

void ut_fs_errors(void)
{
	if (begin("fserrors"))
		errors();
}

/* Names of directory path (without . and ..), concatenated sorted-free:
 * count and whether each of want[] is there. */
static int count_entries(const char *path, const char *const *want, int n)
{
	struct dir d;
	int found = 0, total = 0, err;
	if (dir_open(&d, path) < 0)
		return -1;
	struct udirent *e;
	while ((e = dir_next(&d, &err))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		total++;
		for (int i = 0; i < n; i++)
			found += !strcmp(e->d_name, want[i]);
	}
	dir_close(&d);
	return found == n ? total : -1;
}

static void dirs(void)
{
	char cwd[PATH_MAX];
	struct stat st;
	ut_expect_eq("mkdir a", mkdir(T "/a", 0755), 0);
	ut_expect_eq("mkdir a/b", mkdir(T "/a/b", 0755), 0);
	ut_expect_eq("chdir", chdir(T "/a//./b/"), 0);
	ut_expect_eq("getcwd", getcwd(cwd, sizeof cwd), (long)strlen(T "/a/b"));
	if (strcmp(cwd, T "/a/b"))
		ut_failed("cwd is %s", cwd);
	ut_expect_eq("getcwd small", getcwd(cwd, 3), -ERANGE);
	write_file("rel", "relative");
	expect_content(T "/a/b/rel", "relative");
	ut_expect_eq("chdir ..", chdir(".."), 0);
	expect_content("b/../b/rel", "relative");
	ut_expect_eq("rename across dirs", rename("b/rel", "moved"), 0);
	expect_content(T "/a/moved", "relative");
	write_file(T "/a/other", "other");
	ut_expect_eq("rename over a file", rename(T "/a/other", T "/a/moved"),
		     0);
	expect_content(T "/a/moved", "other");
	ut_expect_eq("stat a", stat(T "/a", &st), 0);
	ut_expect_eq("links of a (., .., b)", st.st_nlink, 3);
	const char *want[] = {"b", "moved"};
	ut_expect_eq("entries of a", count_entries(T "/a", want, 2), 2);
	ut_expect_eq("mkdir c", mkdir(T "/a/c", 0755), 0);
	ut_expect_eq("rename dir across", rename(T "/a/c", T "/a/b/c"), 0);
	ut_expect_eq("stat b", stat(T "/a/b", &st), 0);
	ut_expect_eq("links of b", st.st_nlink, 3);
	ut_expect_eq("chdir /", chdir("/"), 0);
	ut_expect_eq("rmdir a/b/c", rmdir(T "/a/b/c"), 0);
	ut_expect_eq("rmdir a/b", rmdir(T "/a/b"), 0);
	ut_expect_eq("unlink moved", unlink(T "/a/moved"), 0);
	ut_expect_eq("rmdir a", rmdir(T "/a"), 0);
	for (int i = 0; i < 100; i++) { /* a directory of several blocks */
		char p[64];
		snprintf(p, sizeof p, T "/many-entries-%03d", i);
		write_file(p, "m");
	}
	const char *some[] = {"many-entries-000", "many-entries-099"};
	ut_expect_eq("entries of many", count_entries(T, some, 2), 100);
	for (int i = 0; i < 100; i++) {
		char p[64];
		snprintf(p, sizeof p, T "/many-entries-%03d", i);
		ut_expect_eq("unlink many", unlink(p), 0);
	}
}

void ut_fs_dirs(void)
{
	if (begin("fsdirs"))
		dirs();
}

/* argv[1] of usertests run by the descriptor test after exec. */
int ut_fs_exec_check(int argc, char **argv)
{
	(void)argc, (void)argv;
	return write(3, "X", 1) == 1 ? 0 : 1; /* fd 3 survived exec */
}

static void descriptors(void)
{
	int fd = open(T "/shared", O_RDWR | O_CREAT | O_TRUNC, 0644), status;
	ut_expect_eq("open", fd, 3);
	int pid = fork();
	if (pid == 0) {
		write(fd, "child ", 6); /* the shared offset moves */
		exit(0);
	}
	wait(&status);
	write(fd, "parent ", 7);
	int d = dup(fd);
	write(d, "dup ", 4);
	ut_expect_eq("dup2", dup2(fd, 7), 7);
	write(7, "dup2 ", 5);
	close(d);
	close(7);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {"usertests", UT_FS_EXEC_CHECK, 0};
		exec("usertests", argv);
		exit(99);
	}
	wait(&status);
	ut_expect_eq("exec kept fd 3", status, W_MAKE_EXIT(0));
	close(fd);
	expect_content(T "/shared", "child parent dup dup2 X");
	unlink(T "/shared");
}

void ut_fs_descriptors(void)
{
	if (begin("fsfds"))
		descriptors();
}

/* A sparse file reaching past the double-indirect blocks (triple
 * indirect at 1 KiB blocks); its blocks come back when it goes. */
static void big(void)
{
	struct ustatfs before, after;
	char buf[600], got[600];
	statfs("/", &before);
	int fd = open(T "/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < (int)sizeof buf; i++)
		buf[i] = (char)(i * 7);
	ut_expect_eq("lseek far", lseek(fd, BIG_OFF, SEEK_SET), BIG_OFF);
	ut_expect_eq("write far", write(fd, buf, sizeof buf), sizeof buf);
	ut_expect_eq("write start", lseek(fd, 0, SEEK_SET), 0);
	ut_expect_eq("write start", write(fd, buf, 10), 10);
	struct stat st;
	fstat(fd, &st);
	ut_expect_eq("size", st.st_size, BIG_OFF + (long)sizeof buf);
	if (st.st_blocks > 64)
		ut_failed("%ld blocks for a sparse file", st.st_blocks);
	ut_expect_eq("lseek back", lseek(fd, BIG_OFF, SEEK_SET), BIG_OFF);
	ut_expect_eq("read far", read(fd, got, sizeof got), sizeof got);
	if (memcmp(got, buf, sizeof buf))
		ut_failed("far data differs");
	ut_expect_eq("read hole", lseek(fd, BIG_OFF / 2, SEEK_SET),
		     BIG_OFF / 2);
	ut_expect_eq("read hole", read(fd, got, 100), 100);
	for (int i = 0; i < 100; i++)
		if (got[i])
			ut_failed("hole byte %d is %d", i, got[i]);
	close(fd);
	ut_expect_eq("unlink", unlink(T "/big"), 0);
	statfs("/", &after);
	ut_expect_eq("free blocks back", (long)after.f_bfree,
		     (long)before.f_bfree);
	ut_expect_eq("free inodes back", (long)after.f_ffree,
		     (long)before.f_ffree);
}

void ut_fs_big(void)
{
	if (begin("fsbig"))
		big();
}

/* A program copied with read/write runs from its new place. */
static void exec_copy(void)
{
	static char data[8192];
	int in = open("/bin/hello", O_RDONLY);
	if (in < 0)
		in = open("/initrd/hello", O_RDONLY);
	int out = open(T "/hello2", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	long n;
	while ((n = read(in, data, sizeof data)) > 0)
		ut_expect_eq("copy", write_all(out, data, (size_t)n), n);
	close(in);
	close(out);
	int status, pid = fork();
	if (pid == 0) {
		char *argv[] = {"hello2", 0};
		exec(T "/hello2", argv);
		exit(99);
	}
	wait(&status);
	ut_expect_eq("copied program", status, W_MAKE_EXIT(0));
	ut_expect_eq("exec a directory", exec(T, (char *[]){"x", 0}), -EACCES);
	unlink(T "/hello2");
}

void ut_fs_exec(void)
{
	if (begin("fsexec"))
		exec_copy();
}
