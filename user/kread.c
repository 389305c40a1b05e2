/* kread.c — fault demo: reading kernel memory from ring 3. */
#include "user/lib/ulib.h"

#define KERNEL_TEXT 0xffffffff80000000UL /* KERNEL_VMA: the image */

int main(void)
{
	puts("kread: reading kernel memory");
	volatile unsigned long v = *(volatile unsigned long *)KERNEL_TEXT;
	printf("kread: read 0x%lx (wrong!)\n", v);
	return 1;
}
