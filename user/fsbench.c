/* fsbench.c — `fsbench FILE RAWDEV OFFSET [DIR]`: file-system timings
 * for make bench (bench/fs_bench.py): a sequential read() of FILE, the
 * same number of bytes read raw from RAWDEV (/dev/disk0) at OFFSET (where
 * FILE's blocks start), FILE read again from the cache, and 1,000 files
 * created in DIR then listed. rdtsc cycles, converted with the uptime
 * clock over the whole run. One "fsbench: NAME VALUE UNIT" line each. */
#include "user/lib/ulib.h"

#define CHUNK 65536
#define CREATES 1000
#define WINDOW 100	   /* creates averaged at the start and at the end */
#define SEGMENT (1L << 20) /* cold and raw reads alternate by this much */

static char buf[CHUNK];

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Read fd from offset to the end (or len bytes): cycles, bytes in *n. */
static uint64_t read_all(int fd, long off, long len, long *n)
{
	lseek(fd, off, SEEK_SET);
	*n = 0;
	uint64_t t0 = rdtsc();
	long got;
	while ((len < 0 || *n < len) &&
	       (got = read(fd, buf,
			   len < 0 || len - *n > CHUNK ? CHUNK
						       : (size_t)(len - *n))) >
		   0)
		*n += got;
	return rdtsc() - t0;
}

static int fail(const char *what, const char *path, long rc)
{
	printf("fsbench: %s %s: %s\n", what, path, strerror((int)-rc));
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		printf("usage: fsbench FILE RAWDEV OFFSET [DIR]\n");
		return 2;
	}
	const char *dir = argc > 4 ? argv[4] : "/benchdir";
	long off = atoi(argv[3]), size, raw_n, n_warm;
	uint64_t c0 = rdtsc();
	long u0 = uptime();
	int file = open(argv[1], O_RDONLY), raw = open(argv[2], O_RDONLY);
	if (file < 0 || raw < 0)
		return fail("open", file < 0 ? argv[1] : argv[2],
			    file < 0 ? file : raw);
	struct stat st;
	fstat(file, &st);
	/* warm the host's page cache over the region: both reads then
	 * start from the same place */
	read_all(raw, off * 1024, st.st_size, &raw_n);
	/* a MiB of the file, then the same MiB raw, in turn: both see the
	 * same load on a shared machine */
	uint64_t cold = 0, rawc = 0;
	size = raw_n = 0;
	for (long at = 0; at < st.st_size; at += SEGMENT) {
		long n;
		cold += read_all(file, at, SEGMENT, &n);
		size += n;
		rawc += read_all(raw, off * 1024 + at, SEGMENT, &n);
		raw_n += n;
	}
	uint64_t warm = read_all(file, 0, -1, &n_warm);
	int rc = mkdir(dir, 0755);
	if (rc < 0)
		return fail("mkdir", dir, rc);
	uint64_t first = 0, last = 0;
	for (int i = 0; i < CREATES; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s/file-%04d", dir, i);
		uint64_t t0 = rdtsc();
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return fail("create", p, fd);
		close(fd);
		uint64_t t = rdtsc() - t0;
		if (i < WINDOW)
			first += t;
		else if (i >= CREATES - WINDOW)
			last += t;
	}
	struct dir d;
	int err, listed = 0;
	uint64_t t0 = rdtsc();
	dir_open(&d, dir);
	while (dir_next(&d, &err))
		listed++;
	dir_close(&d);
	uint64_t list = rdtsc() - t0;
	long ms = uptime() - u0;
	uint64_t per_ms = (rdtsc() - c0) / (uint64_t)(ms ? ms : 1);
	if (n_warm != size)
		printf("fsbench: cached read got %ld bytes\n", n_warm);
	printf("fsbench: bytes %ld B\n", size);
	printf("fsbench: raw_bytes %ld B\n", raw_n);
	printf("fsbench: cycles_per_ms %lu c\n", (unsigned long)per_ms);
	printf("fsbench: read_cold %lu c\n", (unsigned long)cold);
	printf("fsbench: read_raw %lu c\n", (unsigned long)rawc);
	printf("fsbench: read_cached %lu c\n", (unsigned long)warm);
	printf("fsbench: create_first100 %lu c\n", (unsigned long)first);
	printf("fsbench: create_last100 %lu c\n", (unsigned long)last);
	printf("fsbench: list %lu c\n", (unsigned long)list);
	printf("fsbench: listed %d entries\n", listed);
	printf("fsbench: done\n");
	return 0;
}
