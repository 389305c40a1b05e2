/* ls.c — lists the files of the initrd with their sizes in bytes. */
#include "user/lib/ulib.h"

int main(void)
{
	struct ustat st;
	int rc;
	unsigned long i;
	for (i = 0; (rc = listdir(i, &st)) == 0; i++)
		printf("%-16s %8lu\n", st.name, st.size);
	if (rc != -ENOENT) {
		printf("ls: listdir(%lu): %s (error %d)\n", i, strerror(-rc),
		       -rc);
		return 1;
	}
	return 0;
}
