/* dir.c — directories read with getdents, one entry at a time; and
 * write_all for programs that copy data. */
#include "user/lib/ulib.h"

int dir_open(struct dir *d, const char *path)
{
	d->fd = open(path, O_RDONLY | O_DIRECTORY);
	d->len = d->off = 0;
	return d->fd < 0 ? d->fd : 0;
}

struct udirent *dir_next(struct dir *d, int *err)
{
	*err = 0;
	if (d->off >= d->len) {
		d->len = getdents(d->fd, d->buf, sizeof d->buf);
		d->off = 0;
		if (d->len <= 0) {
			*err = d->len < 0 ? (int)d->len : 0;
			return 0;
		}
	}
	struct udirent *e = (struct udirent *)(d->buf + d->off);
	d->off += e->d_reclen;
	return e;
}

void dir_close(struct dir *d)
{
	close(d->fd);
}

long write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		long n = write(fd, (const char *)buf + done, len - done);
		if (n <= 0)
			return n < 0 ? n : -EIO;
		done += (size_t)n;
	}
	return (long)len;
}

const char *path_base(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t start = len;
	while (start && path[start - 1] != '/')
		start--;
	snprintf(buf, n, "%.*s", (int)(len - start), path + start);
	return buf;
}

const char *path_target(const char *src, const char *dst, char *buf, size_t n)
{
	struct stat st;
	char base[PATH_MAX];
	if (stat(dst, &st) < 0 || !S_ISDIR(st.st_mode))
		return dst;
	snprintf(buf, n, "%s/%s", dst, path_base(src, base, sizeof base));
	return buf;
}
