/* init.c — pid 1: runs the shell on the console and starts a new one
 * whenever it ends; reaps any other child it is given. */
#include "user/lib/ulib.h"

#define SHELL "sh"
#define RESTART_PAUSE_MS 1000 /* a shell that ends sooner waits this long */
#define EXIT_CANNOT_RUN 127

static int start_shell(void)
{
	char *argv[] = {SHELL, 0};
	int pid = fork();
	if (pid == 0) {
		int err = exec(SHELL, argv);
		printf("init: cannot run %s: %s (error %d)\n", SHELL,
		       strerror(-err), -err);
		exit(EXIT_CANNOT_RUN);
	}
	if (pid < 0)
		printf("init: cannot fork: %s (error %d)\n", strerror(-pid),
		       -pid);
	return pid;
}

/* Wait until child pid ends, reaping other children on the way; its
 * wait status, or -1 if wait fails. */
static int wait_for(int pid)
{
	for (;;) {
		int status, got = wait(&status);
		if (got == pid)
			return status;
		if (got < 0) {
			printf("init: wait: %s (error %d)\n", strerror(-got),
			       -got);
			return -1;
		}
	}
}

static void report(int status)
{
	if (status == -1)
		return;
	if (W_EXITED(status))
		printf("init: %s exited with status %d, restarting\n", SHELL,
		       W_EXITCODE(status));
	else
		printf("init: %s killed by signal %d (%s), restarting\n", SHELL,
		       W_TERMSIG(status), signal_name(W_TERMSIG(status)));
}

int main(void)
{
	if (getpid() != 1)
		printf("init: running as pid %d, not 1\n", getpid());
	for (;;) {
		long start = uptime();
		int pid = start_shell();
		if (pid > 0)
			report(wait_for(pid));
		if (uptime() - start < RESTART_PAUSE_MS)
			sleep(RESTART_PAUSE_MS);
	}
}
