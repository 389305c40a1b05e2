/* ps.c — lists the processes: pid, parent, state, name, CR3, user RIP. */
#include "user/lib/ulib.h"

int main(void)
{
	struct uproc u;
	int rc;
	unsigned long i;
	printf("%5s %5s %-9s %-16s %-10s %s\n", "PID", "PPID", "STATE", "NAME",
	       "CR3", "RIP");
	for (i = 0; (rc = procinfo(i, &u)) == 0; i++)
		if (u.pid && strcmp(u.state, "unused"))
			printf("%5d %5d %-9s %-16s 0x%08lx 0x%lx\n", u.pid,
			       u.ppid, u.state, u.name, u.cr3, u.rip);
	if (rc != -ENOENT) {
		printf("ps: procinfo(%lu): %s (error %d)\n", i, strerror(-rc),
		       -rc);
		return 1;
	}
	return 0;
}
