/* longwrite.c — one long system call and a bystander: a child writes
 * BYTES (default 8 MiB) to the console in a single write() while the
 * parent wakes every TICK_MS and counts. The kernel must keep its clock
 * and run the parent meanwhile: "longwrite: ... ticks" reports both. */
#include "user/lib/ulib.h"

#define DEFAULT_BYTES (8L << 20)
#define LINE 64	   /* bytes per line of the written text */
#define TICK_MS 20 /* the bystander's sleep between counts */

/* BYTES of text: lines of LINE-1 letters and a newline. */
static char *fill(long n)
{
	char *buf = malloc((size_t)n);
	if (!buf)
		return 0;
	for (long i = 0; i < n; i++)
		buf[i] =
		    i % LINE == LINE - 1 ? '\n' : (char)('a' + i / LINE % 26);
	return buf;
}

static int zombie(int pid)
{
	struct uproc u;
	for (unsigned long i = 0; procinfo(i, &u) == 0; i++)
		if (u.pid == pid)
			return !strcmp(u.state, "zombie");
	return 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atoi(argv[1]) : DEFAULT_BYTES;
	char *buf = n > 0 ? fill(n) : 0;
	if (!buf) {
		printf("longwrite: cannot allocate %ld bytes\n", n);
		return 1;
	}
	printf("longwrite: start\n");
	long t0 = uptime();
	int pid = fork();
	if (pid == 0) {
		long w = write(FD_STDOUT, buf, (size_t)n);
		printf("\nlongwrite: wrote %ld of %ld bytes in %ld ms\n", w, n,
		       uptime() - t0);
		exit(w == n ? 0 : 1);
	}
	long ticks = 0;
	while (!zombie(pid)) {
		sleep(TICK_MS);
		ticks++;
	}
	int status;
	wait(&status);
	printf("longwrite: done after %ld ms of uptime; the bystander woke "
	       "%ld times (every %d ms)\n",
	       uptime() - t0, ticks, TICK_MS);
	return W_EXITED(status) ? W_EXITCODE(status) : 128 + W_TERMSIG(status);
}
