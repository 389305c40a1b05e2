/* twins.c — two processes running the same code (fork, no exec): a
 * debugger breakpoint in one must not stop the other. */
#include "user/lib/ulib.h"

#define TICK_MS 20

static volatile int ticks;

__attribute__((noinline)) void twin_tick(int who)
{
	ticks++;
	if (ticks % 25 == 0)
		printf("twins: %s tick %d\n", who ? "child" : "parent", ticks);
}

int main(void)
{
	int pid = fork();
	if (pid < 0) {
		printf("twins: fork failed: %d\n", pid);
		return 1;
	}
	if (pid > 0)
		printf("twins: parent pid %d, child pid %d\n", getpid(), pid);
	for (;;) {
		twin_tick(pid == 0);
		sleep(TICK_MS);
	}
}
