/* demos.c — runs hello and each fault demo in turn and reports how it ended
 * (boot with init=demos; phase 1's first process). */
#include "user/lib/ulib.h"

/* Run in this order, one at a time. */
static const char *const programs[] = {"hello", "crash",   "kread",
				       "priv",	"divzero", "syscheck"};

static void list_initrd(void)
{
	struct ustat st;
	printf("demos: initrd:");
	for (unsigned long i = 0; listdir(i, &st) == 0; i++)
		printf(" %s(%lu)", st.name, st.size);
	printf("\n");
}

static void run(const char *path)
{
	int status, pid = spawn(path);
	if (pid < 0) {
		printf("demos: cannot run %s: error %d\n", path, -pid);
		return;
	}
	int got = wait(&status);
	if (got != pid)
		printf("demos: wait returned %d, expected %d\n", got, pid);
	else if (W_EXITED(status))
		printf("demos: %s (pid %d) exited with status %d\n", path, pid,
		       W_EXITCODE(status));
	else
		printf("demos: %s (pid %d) killed by signal %d\n", path, pid,
		       W_TERMSIG(status));
}

int main(void)
{
	printf("demos: pid %d, uptime %ld ms\n", getpid(), uptime());
	list_initrd();
	for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++)
		run(programs[i]);
	printf("demos: all programs done\n");
	return 0;
}
