/* fill.c — fills the disk for the out-of-space tests: `fill FILE` writes
 * until a write fails, `fill -i DIR` creates empty files until one cannot
 * be, `fill -c FILE` keeps rewriting FILE (4 MiB, then over again) until
 * killed. Each says how far it got and why it stopped. */
#include "user/lib/ulib.h"

#define CHUNK 8192
#define CYCLE (4L << 20)

static char buf[CHUNK];

static int report(const char *what, const char *path, long n, long rc)
{
	printf("fill: %s: %ld %s, then: %s (error %ld)\n", path, n, what,
	       strerror((int)-rc), -rc);
	return rc == -ENOSPC ? 0 : 1;
}

static int data(const char *path, int cycle)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long total = 0, n;
	if (fd < 0)
		return report("bytes", path, 0, fd);
	memset(buf, 'z', sizeof buf);
	if (cycle)
		printf("fill: rewriting %s until killed\n", path);
	for (;;) {
		if (cycle && total == CYCLE) {
			lseek(fd, 0, SEEK_SET);
			total = 0;
		}
		if ((n = write(fd, buf, sizeof buf)) <= 0)
			break;
		total += n;
	}
	close(fd);
	return report("bytes", path, total, n ? n : -EIO);
}

static int inodes(const char *dir)
{
	long n = 0;
	int rc = mkdir(dir, 0755);
	if (rc < 0)
		return report("files", dir, 0, rc);
	for (;; n++) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s/i%ld", dir, n);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return report("files", dir, n, fd);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-i"))
		return inodes(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return data(argv[2], 1);
	if (argc == 2)
		return data(argv[1], 0);
	printf("usage: fill FILE | fill -i DIR | fill -c FILE\n");
	return 2;
}
