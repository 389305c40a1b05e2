/* mv.c — renames FROM to TO (into TO when it is a directory). */
#include "user/lib/ulib.h"

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	if (argc != 3) {
		dprintf(FD_STDERR, "usage: mv FROM TO\n");
		return 2;
	}
	const char *to = path_target(argv[1], argv[2], buf, sizeof buf);
	int rc = rename(argv[1], to);
	if (rc < 0) {
		dprintf(FD_STDERR, "mv: %s -> %s: %s\n", argv[1], to,
			strerror(-rc));
		return 1;
	}
	return 0;
}
