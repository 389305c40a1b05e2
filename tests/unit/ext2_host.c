/* ext2_host.c — the ext2 code on the host: an image file as a block
 * device (pread/pwrite), mounting, path helpers, shell commands. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/ext2_host.h"
#include "tests/unit/harness.h"

#define BOUNCE_BYTES (64 * 4096)

static int dev_read(struct blkdev *d, uint64_t sector, unsigned count,
		    void *buf)
{
	struct host_fs *h = d->priv;
	h->dev_reads++;
	ssize_t n = pread(h->fd, buf, (size_t)count * BLK_SECTOR,
			  (off_t)(sector * BLK_SECTOR));
	return n == (ssize_t)count * BLK_SECTOR ? 0 : -EIO;
}

static int dev_write(struct blkdev *d, uint64_t sector, unsigned count,
		     const void *buf)
{
	struct host_fs *h = d->priv;
	h->dev_writes++;
	ssize_t n = pwrite(h->fd, buf, (size_t)count * BLK_SECTOR,
			   (off_t)(sector * BLK_SECTOR));
	return n == (ssize_t)count * BLK_SECTOR ? 0 : -EIO;
}

static void log_line(void *ctx, const char *line)
{
	struct host_fs *h = ctx;
	int n = snprintf(h->log + h->loglen, sizeof h->log - h->loglen, "%s\n",
			 line);
	if (n > 0 && h->loglen + (size_t)n < sizeof h->log)
		h->loglen += (size_t)n;
}

static uint32_t now(void *ctx)
{
	return ((struct host_fs *)ctx)->clock++;
}

static bool in_use(void *ctx, uint32_t ino)
{
	return ((struct host_fs *)ctx)->open_ino == ino;
}

int hfs_open(struct host_fs *h, const char *img, unsigned nbuf, bool ro)
{
	memset(h, 0, sizeof *h);
	h->clock = 1700000000;
	h->fd = open(img, ro ? O_RDONLY : O_RDWR);
	assert_true(h->fd >= 0);
	struct stat st;
	fstat(h->fd, &st);
	h->dev = (struct blkdev){"host image",
				 (uint64_t)st.st_size / 512,
				 dev_read,
				 dev_write,
				 0,
				 h};
	unsigned bs;
	int rc = ext2_probe(&h->dev, &bs, h->why, sizeof h->why);
	if (rc)
		return rc;
	unsigned nhash = 1;
	while (nhash < nbuf)
		nhash <<= 1;
	h->bufs = calloc(nbuf, sizeof *h->bufs);
	h->hash = calloc(nhash, sizeof *h->hash);
	h->data = malloc((size_t)nbuf * bs);
	h->bounce = malloc(BOUNCE_BYTES);
	for (unsigned i = 0; i < nbuf; i++)
		h->bufs[i].data = h->data + (size_t)i * bs;
	assert_int_equal(bcache_init(&h->bc, &h->dev, bs, h->bufs, nbuf,
				     h->hash, nhash, h->bounce, BOUNCE_BYTES),
			 0);
	h->dindex.cap = 1024;
	h->dindex.slots = calloc(h->dindex.cap, sizeof *h->dindex.slots);
	h->fs.dindex = &h->dindex;
	h->fs.log = log_line;
	h->fs.now = now;
	h->fs.in_use = in_use;
	h->fs.ctx = h;
	return ext2_mount(&h->fs, &h->bc, ro, h->why, sizeof h->why);
}

void hfs_close(struct host_fs *h)
{
	if (h->bufs) {
		assert_int_equal(bcache_pinned(&h->bc), 0);
		if (!h->fs.readonly)
			assert_int_equal(bcache_sync(&h->bc), 0);
	}
	free(h->bufs);
	free(h->hash);
	free(h->data);
	free(h->bounce);
	free(h->dindex.slots);
	close(h->fd);
	h->bufs = 0;
}

int sh(char *out, size_t n, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t got = 0;
	char tmp[4096];
	size_t k;
	while ((k = fread(tmp, 1, sizeof tmp, p)) > 0)
		if (out && got + 1 < n) {
			size_t c = k < n - 1 - got ? k : n - 1 - got;
			memcpy(out + got, tmp, c);
			got += c;
		}
	if (out)
		out[got] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char tmp_path[64];

static void remove_tmp(void)
{
	sh(0, 0, "rm -rf %s", tmp_path);
}

const char *tmpdir(void)
{
	if (!tmp_path[0]) {
		strcpy(tmp_path, access("/dev/shm", W_OK) == 0
				     ? "/dev/shm/triage-ext2-XXXXXX"
				     : "/tmp/triage-ext2-XXXXXX");
		assert_non_null(mkdtemp(tmp_path));
		atexit(remove_tmp);
	}
	return tmp_path;
}

void make_image(const char *img, unsigned kib, const char *opts,
		const char *root)
{
	char out[4096];
	int rc = sh(out, sizeof out,
		    "rm -f %s; /usr/sbin/mke2fs -q -F -t ext2 %s %s%s %s %uk "
		    "2>&1",
		    img, opts, root ? "-d " : "", root ? root : "", img, kib);
	if (rc)
		fail_msg("mke2fs failed (%d): %s", rc, out);
}

int hfs_walk(struct host_fs *h, const char *path, uint32_t *ino)
{
	*ino = EXT2_ROOT_INO;
	while (*path) {
		while (*path == '/')
			path++;
		size_t len = strcspn(path, "/");
		if (!len)
			break;
		int rc = ext2_lookup(&h->fs, *ino, path, len, ino);
		if (rc)
			return rc;
		path += len;
	}
	return 0;
}

static int copy_out(void *ctx, size_t off, void *data, size_t n)
{
	memcpy((uint8_t *)ctx + off, data, n);
	return 0;
}

static int copy_in(void *ctx, size_t off, void *data, size_t n)
{
	memcpy(data, (const uint8_t *)ctx + off, n);
	return 0;
}

long hfs_read(struct host_fs *h, uint32_t ino, uint64_t off, void *buf,
	      size_t n)
{
	return ext2_read(&h->fs, ino, off, n, copy_out, buf);
}

long hfs_write(struct host_fs *h, uint32_t ino, uint64_t off, const void *buf,
	       size_t n)
{
	return ext2_write(&h->fs, ino, off, n, copy_in, (void *)buf);
}

int hfs_slurp(struct host_fs *h, uint32_t ino, uint8_t **data, size_t *len)
{
	struct ext2_stat st;
	int rc = ext2_stat(&h->fs, ino, &st);
	if (rc)
		return rc;
	*len = st.size;
	*data = malloc(st.size + 1);
	long n = hfs_read(h, ino, 0, *data, st.size);
	if (n < 0) {
		free(*data);
		return (int)n;
	}
	assert_int_equal(n, st.size);
	return 0;
}

int hfs_parent(struct host_fs *h, const char *path, uint32_t *dir,
	       const char **name)
{
	static char parent[1024];
	const char *slash = strrchr(path, '/');
	assert_non_null(slash);
	snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
	*name = slash + 1;
	return hfs_walk(h, parent, dir);
}

int hfs_create(struct host_fs *h, const char *path, uint32_t *ino)
{
	uint32_t dir;
	const char *name;
	int rc = hfs_parent(h, path, &dir, &name);
	return rc ? rc
		  : ext2_create(&h->fs, dir, name, strlen(name), 0644, ino);
}

int hfs_mkdir(struct host_fs *h, const char *path, uint32_t *ino)
{
	uint32_t dir;
	const char *name;
	int rc = hfs_parent(h, path, &dir, &name);
	return rc ? rc : ext2_mkdir(&h->fs, dir, name, strlen(name), 0755, ino);
}

/* "(0-11):562-573, (IND):574, (268):900" into runs and meta. */
static void parse_blocks(const char *p, struct dstat *d)
{
	while (*p == '(') {
		char what[32];
		unsigned long a, b, c, e;
		if (sscanf(p, "(%31[^)]):", what) != 1)
			return;
		const char *v = strchr(p, ':') + 1;
		int k = sscanf(v, "%lu-%lu", &c, &e);
		if (k < 1)
			return;
		if (k == 1)
			e = c;
		if (isdigit((unsigned char)what[0])) {
			if (sscanf(what, "%lu-%lu", &a, &b) == 1)
				b = a;
			assert_true(d->nruns < DSTAT_RUNS);
			d->runs[d->nruns].l0 = a;
			d->runs[d->nruns].l1 = b;
			d->runs[d->nruns++].p0 = (uint32_t)c;
		} else {
			for (unsigned long x = c; x <= e; x++) {
				assert_true(d->nmeta < DSTAT_RUNS);
				d->meta[d->nmeta++] = (uint32_t)x;
			}
		}
		p = strstr(v, ", ");
		if (!p)
			return;
		p += 2;
	}
}

void dstat_parse(const char *s, struct dstat *d)
{
	const char *p;
	memset(d, 0, sizeof *d);
	if ((p = strstr(s, "Inode: ")))
		sscanf(p, "Inode: %u Type: %15s Mode: %o", &d->ino, d->type,
		       &d->mode);
	if ((p = strstr(s, "User: ")))
		sscanf(p, "User: %u Group: %u", &d->uid, &d->gid);
	if ((p = strstr(s, "Size: ")))
		sscanf(p, "Size: %lu", (unsigned long *)&d->size);
	if ((p = strstr(s, "Links: ")))
		sscanf(p, "Links: %u Blockcount: %lu", &d->links,
		       (unsigned long *)&d->blockcount);
	if ((p = strstr(s, "ctime: 0x")))
		sscanf(p, "ctime: 0x%x", &d->ctime);
	if ((p = strstr(s, "atime: 0x")))
		sscanf(p, "atime: 0x%x", &d->atime);
	if ((p = strstr(s, "mtime: 0x")))
		sscanf(p, "mtime: 0x%x", &d->mtime);
	if ((p = strstr(s, "Fast link dest: \"")))
		sscanf(p, "Fast link dest: \"%63[^\"]", d->fast_link);
	if ((p = strstr(s, "BLOCKS:\n")))
		parse_blocks(p + 8, d);
}

bool debugfs_stat(const char *img, const uint32_t *inos, int n,
		  struct dstat *out)
{
	char cmds[256];
	snprintf(cmds, sizeof cmds, "%s/debugfs.cmds", tmpdir());
	FILE *f = fopen(cmds, "w");
	for (int i = 0; i < n; i++)
		fprintf(f, "stat <%u>\n", inos[i]);
	fclose(f);
	size_t cap = (size_t)n * 4096 + 65536;
	char *all = malloc(cap);
	sh(all, cap, "/usr/sbin/debugfs -f %s %s 2>/dev/null", cmds, img);
	bool ok = true;
	char *p = all;
	for (int i = 0; i < n; i++) {
		char *start = strstr(p, "debugfs: stat");
		if (!start) {
			ok = false;
			break;
		}
		char *end = strstr(start + 1, "debugfs: stat");
		if (end)
			*end = '\0';
		dstat_parse(start, &out[i]);
		if (out[i].ino != inos[i]) {
			fprintf(
			    stderr,
			    "debugfs_stat: no stat of inode %u in:\n%.300s\n",
			    inos[i], start);
			ok = false;
		}
		p = end ? end : start + strlen(start);
		if (end)
			*end = 'd';
	}
	free(all);
	return ok;
}
