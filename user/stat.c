/* stat.c — shows a file's inode: type, size, blocks, links, mode, times. */
#include "user/lib/ulib.h"

static const char *kind(unsigned mode)
{
	return S_ISDIR(mode)   ? "directory"
	       : S_ISLNK(mode) ? "symbolic link"
	       : S_ISREG(mode) ? "regular file"
			       : "other";
}

/* "0644": the kernel's formatter has no %o. */
static const char *octal(unsigned v, char out[5])
{
	for (int i = 3; i >= 0; i--, v >>= 3)
		out[i] = (char)('0' + (v & 7));
	out[4] = '\0';
	return out;
}

static int show(const char *path)
{
	char oct[5];
	struct stat st;
	char t[3][32];
	int rc = lstat(path, &st);
	if (rc < 0) {
		dprintf(FD_STDERR, "stat: %s: %s\n", path, strerror(-rc));
		return 1;
	}
	format_time(st.st_atime, t[0], sizeof t[0]);
	format_time(st.st_mtime, t[1], sizeof t[1]);
	format_time(st.st_ctime, t[2], sizeof t[2]);
	printf("  File: %s\n", path);
	printf("  Size: %ld\tBlocks: %ld\tIO Block: %lu\t%s\n", st.st_size,
	       st.st_blocks, st.st_blksize, kind(st.st_mode));
	printf("Device: %lu\tInode: %lu\tLinks: %u\n", st.st_dev, st.st_ino,
	       st.st_nlink);
	printf("Access: (%s)\tUid: %u\tGid: %u\n",
	       octal(st.st_mode & 07777, oct), st.st_uid, st.st_gid);
	printf("Access: %s\nModify: %s\nChange: %s\n", t[0], t[1], t[2]);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;
	for (int i = 1; i < argc; i++)
		failed |= show(argv[i]);
	return argc < 2 ? 2 : failed;
}
