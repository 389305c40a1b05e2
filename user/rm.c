/* rm.c — removes files; `rm -d` also removes empty directories. */
#include <stdbool.h>

#include "user/lib/ulib.h"

int main(int argc, char **argv)
{
	int failed = 0, i = 1;
	bool dirs = i < argc && !strcmp(argv[i], "-d");
	i += dirs;
	if (i == argc) {
		dprintf(FD_STDERR, "usage: rm [-d] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		int rc = unlink(argv[i]);
		if (rc == -EISDIR && dirs)
			rc = rmdir(argv[i]);
		if (rc < 0) {
			dprintf(FD_STDERR, "rm: %s: %s\n", argv[i],
				strerror(-rc));
			failed = 1;
		}
	}
	return failed;
}
