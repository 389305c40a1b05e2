/* priv.c — fault demo: a privileged instruction (cli) in ring 3 raises #GP. */
#include "user/lib/ulib.h"

int main(void)
{
	puts("priv: executing cli");
	__asm__ volatile("cli");
	puts("priv: still alive (wrong!)");
	return 1;
}
