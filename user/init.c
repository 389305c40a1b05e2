/* init.c — first process: runs each demo program, reports its end. */
#include "user/lib/ulib.h"

/* Phase 1 has no shell: init runs these in order, one at a time. */
static const char *const programs[] = {"hello", "crash",   "kread",
				       "priv",	"divzero", "syscheck"};

static void list_initrd(void)
{
	struct ustat st;
	printf("init: initrd:");
	for (unsigned long i = 0; listdir(i, &st) == 0; i++)
		printf(" %s(%lu)", st.name, st.size);
	printf("\n");
}

static void run(const char *path)
{
	int status, pid = spawn(path);
	if (pid < 0) {
		printf("init: cannot run %s: error %d\n", path, -pid);
		return;
	}
	int got = wait(&status);
	if (got != pid)
		printf("init: wait returned %d, expected %d\n", got, pid);
	else if (W_EXITED(status))
		printf("init: %s (pid %d) exited with status %d\n", path, pid,
		       W_EXITCODE(status));
	else
		printf("init: %s (pid %d) killed by signal %d\n", path, pid,
		       W_TERMSIG(status));
}

int main(void)
{
	printf("init: pid %d, uptime %ld ms\n", getpid(), uptime());
	list_initrd();
	for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++)
		run(programs[i]);
	printf("init: all programs done\n");
	return 0;
}
