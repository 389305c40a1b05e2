/* rmdir.c — removes empty directories. */
#include "user/lib/ulib.h"

int main(int argc, char **argv)
{
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		int rc = rmdir(argv[i]);
		if (rc < 0) {
			dprintf(FD_STDERR, "rmdir: %s: %s\n", argv[i],
				strerror(-rc));
			failed = 1;
		}
	}
	return argc < 2 ? 2 : failed;
}
