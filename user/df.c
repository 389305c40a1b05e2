/* df.c — space and inodes of the file systems holding each path (by
 * default / and /initrd). */
#include "user/lib/ulib.h"

static int show(const char *path)
{
	struct ustatfs s;
	int rc = statfs(path, &s);
	if (rc < 0) {
		dprintf(FD_STDERR, "df: %s: %s\n", path, strerror(-rc));
		return 1;
	}
	unsigned long k = s.f_bsize / 1024 ? s.f_bsize / 1024 : 1;
	unsigned long used = s.f_blocks - s.f_bfree;
	printf("%-8s %9lu %9lu %9lu %4lu%% %7lu %7lu  %s%s\n", s.f_type,
	       s.f_blocks * k, used * k, s.f_bfree * k,
	       s.f_blocks ? (used * 100 + s.f_blocks - 1) / s.f_blocks : 0,
	       s.f_files, s.f_ffree, path, s.f_readonly ? " (read-only)" : "");
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;
	printf("%-8s %9s %9s %9s %5s %7s %7s  %s\n", "Type", "1K-blocks",
	       "Used", "Available", "Use%", "Inodes", "IFree", "Mounted on");
	if (argc < 2) {
		struct stat st;
		failed |= show("/");
		if (stat("/initrd", &st) == 0)
			failed |= show("/initrd");
	}
	for (int i = 1; i < argc; i++)
		failed |= show(argv[i]);
	return failed;
}
