/* mkdir.c — creates directories. */
#include "user/lib/ulib.h"

int main(int argc, char **argv)
{
	int failed = 0;
	if (argc < 2) {
		dprintf(FD_STDERR, "usage: mkdir DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int rc = mkdir(argv[i], 0755);
		if (rc < 0) {
			dprintf(FD_STDERR, "mkdir: %s: %s\n", argv[i],
				strerror(-rc));
			failed = 1;
		}
	}
	return failed;
}
