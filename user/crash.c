/* crash.c — fault demo: a write through a null pointer. */
#include "user/lib/ulib.h"

int main(void)
{
	puts("crash: writing to address 0");
	*(volatile int *)0 = 1;
	puts("crash: still alive (wrong!)");
	return 1;
}
