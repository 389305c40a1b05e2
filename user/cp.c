/* cp.c — copies the file FROM to TO (into TO when it is a directory). */
#include "user/lib/ulib.h"

static int fail(const char *what, const char *name, long err)
{
	dprintf(FD_STDERR, "cp: %s %s: %s\n", what, name, strerror((int)-err));
	return 1;
}

int main(int argc, char **argv)
{
	static char data[8192];
	char buf[PATH_MAX];
	if (argc != 3) {
		dprintf(FD_STDERR, "usage: cp FROM TO\n");
		return 2;
	}
	const char *to = path_target(argv[1], argv[2], buf, sizeof buf);
	int in = open(argv[1], O_RDONLY);
	if (in < 0)
		return fail("cannot open", argv[1], in);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return fail("cannot create", to, out);
	long n;
	while ((n = read(in, data, sizeof data)) > 0)
		if ((n = write_all(out, data, (size_t)n)) < 0)
			return fail("cannot write", to, n);
	if (n < 0)
		return fail("cannot read", argv[1], n);
	close(in);
	close(out);
	return 0;
}
