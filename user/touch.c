/* touch.c — creates each file that does not exist (empty, mode 0644). */
#include "user/lib/ulib.h"

int main(int argc, char **argv)
{
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			dprintf(FD_STDERR, "touch: %s: %s\n", argv[i],
				strerror(-fd));
			failed = 1;
			continue;
		}
		close(fd);
	}
	return argc < 2 ? 2 : failed;
}
