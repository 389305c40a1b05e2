/* sync.c — writes every dirty block of the disk cache to the disk. */
#include "user/lib/ulib.h"

int main(void)
{
	int rc = sync();
	if (rc < 0) {
		dprintf(FD_STDERR, "sync: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}
