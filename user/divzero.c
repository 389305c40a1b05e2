/* divzero.c — fault demo: an integer division by zero raises #DE (SIGFPE). */
#include "user/lib/ulib.h"

int main(void)
{
	unsigned long q, zero = 0;
	puts("divzero: dividing by zero");
	/* In asm: the compiler may rewrite a C division by a constant 1. */
	__asm__ volatile("xor %%edx, %%edx\n\tdiv %2"
			 : "=a"(q)
			 : "a"(1UL), "r"(zero)
			 : "rdx");
	printf("divzero: %lu (wrong!)\n", q);
	return 1;
}
