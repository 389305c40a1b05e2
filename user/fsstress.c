/* fsstress.c — `fsstress SEED OPS [DIR]`: thousands of random file
 * operations (create, write at random offsets, truncate, rename over and
 * across directories, unlink, mkdir, rmdir) from a fixed seed, in a fresh
 * DIR (default /stress), then sync. tests/boot/test_fs.py computes the
 * same operations on the host (a shadow model) and compares the image.
 * Every choice draws four numbers, so both sides stay in step. */
#include <stdbool.h>

#include "user/lib/ulib.h"

#define MAX_FILES 2048
#define MAX_DIRS 256
#define MAX_SIZE 48000 /* no file grows past this */
#define MAX_WRITE 8192
#define MAX_DEPTH 4 /* directory levels below DIR */
#define NAME 96

static char files[MAX_FILES][NAME], dirs[MAX_DIRS][NAME];
static long sizes[MAX_FILES];
static int nfiles, ndirs, failures;
static unsigned long state;
static unsigned char buf[MAX_WRITE];

/* 64-bit LCG (Knuth's MMIX constants), top 31 bits. */
static unsigned long next(void)
{
	state = state * 6364136223846793005UL + 1442695040888963407UL;
	return state >> 33;
}

static void failed(long op, const char *what, const char *path, long rc)
{
	printf("fsstress: op %ld %s %s: %s (error %ld)\n", op, what, path,
	       strerror((int)-rc), -rc);
	failures++;
}

static int depth(const char *d)
{
	int n = 0;
	for (; *d; d++)
		n += *d == '/';
	return n;
}

static void op_create(long n, unsigned long r1)
{
	if (nfiles == MAX_FILES)
		return;
	char *p = files[nfiles];
	snprintf(p, NAME, "%s/f%ld", dirs[r1 % (unsigned long)ndirs], n);
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return failed(n, "create", p, fd);
	close(fd);
	sizes[nfiles++] = 0;
}

static void op_write(long n, unsigned long r1, unsigned long r2,
		     unsigned long r3)
{
	int i = (int)(r1 % (unsigned long)nfiles);
	long off = (long)(r2 % (unsigned long)(sizes[i] + 1024));
	long end = off + 1 + (long)(r3 % MAX_WRITE);
	if (end > MAX_SIZE)
		end = MAX_SIZE;
	if (end <= off)
		return;
	for (long j = 0; j < end - off; j++)
		buf[j] = (unsigned char)(n * 31 + j * 7 + (j >> 8));
	int fd = open(files[i], O_WRONLY);
	if (fd < 0)
		return failed(n, "open", files[i], fd);
	long rc = lseek(fd, off, SEEK_SET);
	if (rc == off)
		rc = write_all(fd, buf, (size_t)(end - off));
	close(fd);
	if (rc < 0)
		return failed(n, "write", files[i], rc);
	if (end > sizes[i])
		sizes[i] = end;
}

static void op_truncate(long n, unsigned long r1, unsigned long r2)
{
	int i = (int)(r1 % (unsigned long)nfiles);
	long size = (long)(r2 % MAX_SIZE);
	int fd = open(files[i], O_WRONLY);
	if (fd < 0)
		return failed(n, "open", files[i], fd);
	int rc = ftruncate(fd, size);
	close(fd);
	if (rc < 0)
		return failed(n, "truncate", files[i], rc);
	sizes[i] = size;
}

static void remove_file(int i)
{
	for (; i + 1 < nfiles; i++) {
		memcpy(files[i], files[i + 1], NAME);
		sizes[i] = sizes[i + 1];
	}
	nfiles--;
}

static void op_rename(long n, unsigned long r1, unsigned long r2,
		      unsigned long r3)
{
	int i = (int)(r1 % (unsigned long)nfiles), t = -1;
	char to[NAME];
	if (r2 % 2 && nfiles > 1) {
		t = (int)(r3 % (unsigned long)nfiles);
		if (t == i)
			return;
		memcpy(to, files[t], NAME);
	} else {
		snprintf(to, NAME, "%s/r%ld", dirs[r3 % (unsigned long)ndirs],
			 n);
	}
	int rc = rename(files[i], to);
	if (rc < 0)
		return failed(n, "rename", files[i], rc);
	memcpy(files[i], to, NAME);
	if (t >= 0)
		remove_file(t);
}

static void op_unlink(long n, unsigned long r1)
{
	int i = (int)(r1 % (unsigned long)nfiles);
	int rc = unlink(files[i]);
	if (rc < 0)
		return failed(n, "unlink", files[i], rc);
	remove_file(i);
}

static void op_mkdir(long n, unsigned long r1)
{
	const char *d = dirs[r1 % (unsigned long)ndirs];
	if (ndirs == MAX_DIRS || depth(d) - depth(dirs[0]) >= MAX_DEPTH)
		return;
	snprintf(dirs[ndirs], NAME, "%s/d%ld", d, n);
	int rc = mkdir(dirs[ndirs], 0755);
	if (rc < 0)
		return failed(n, "mkdir", dirs[ndirs], rc);
	ndirs++;
}

static bool has_children(const char *d)
{
	size_t n = strlen(d);
	for (int i = 0; i < nfiles; i++)
		if (!strncmp(files[i], d, n) && files[i][n] == '/')
			return true;
	for (int i = 0; i < ndirs; i++)
		if (!strncmp(dirs[i], d, n) && dirs[i][n] == '/')
			return true;
	return false;
}

static void op_rmdir(long n, unsigned long r1)
{
	if (ndirs < 2)
		return;
	int i = 1 + (int)(r1 % (unsigned long)(ndirs - 1));
	bool full = has_children(dirs[i]);
	int rc = rmdir(dirs[i]);
	if (rc != (full ? -ENOTEMPTY : 0))
		return failed(n, "rmdir", dirs[i], rc ? rc : -EEXIST);
	if (!full) {
		for (; i + 1 < ndirs; i++)
			memcpy(dirs[i], dirs[i + 1], NAME);
		ndirs--;
	}
}

static void one_op(long n)
{
	unsigned long r0 = next(), r1 = next(), r2 = next(), r3 = next();
	switch (r0 % 10) {
	case 0:
	case 1:
		return op_create(n, r1);
	case 2:
	case 3:
	case 4:
		return nfiles ? op_write(n, r1, r2, r3) : (void)0;
	case 5:
		return nfiles ? op_truncate(n, r1, r2) : (void)0;
	case 6:
		return nfiles ? op_rename(n, r1, r2, r3) : (void)0;
	case 7:
		return nfiles ? op_unlink(n, r1) : (void)0;
	case 8:
		return op_mkdir(n, r1);
	default:
		return op_rmdir(n, r1);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("usage: fsstress SEED OPS [DIR]\n");
		return 2;
	}
	state = (unsigned long)atoi(argv[1]);
	long ops = atoi(argv[2]);
	snprintf(dirs[0], NAME, "%s", argc > 3 ? argv[3] : "/stress");
	ndirs = 1;
	int rc = mkdir(dirs[0], 0755);
	if (rc < 0) {
		printf("fsstress: mkdir %s: %s\n", dirs[0], strerror(-rc));
		return 1;
	}
	long start = uptime();
	for (long n = 0; n < ops && failures < 10; n++)
		one_op(n);
	rc = sync();
	printf("fsstress: %ld ops in %ld ms, %d files, %d dirs, %d failures, "
	       "sync %d\n",
	       ops, uptime() - start, nfiles, ndirs, failures, rc);
	return failures || rc;
}
