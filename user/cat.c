/* cat.c — copies files (or the standard input) to the standard output. */
#include "user/lib/ulib.h"

static int copy(int fd, const char *name)
{
	static char buf[4096];
	long n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write_all(FD_STDOUT, buf, (size_t)n) < 0)
			return 1;
	if (n < 0) {
		dprintf(FD_STDERR, "cat: %s: %s\n", name, strerror((int)-n));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;
	if (argc < 2)
		return copy(FD_STDIN, "(standard input)");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(FD_STDERR, "cat: %s: %s\n", argv[i],
				strerror(-fd));
			failed = 1;
			continue;
		}
		failed |= copy(fd, argv[i]);
		close(fd);
	}
	return failed;
}
