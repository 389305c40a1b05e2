/* hello.c — the first user program. */
#include "user/lib/ulib.h"

int main(void)
{
	puts("Hello from userspace!");
	printf("hello: pid %d via syscall, %ld via int 0x80\n", getpid(),
	       int80_6(SYS_getpid, 0, 0, 0, 0, 0));
	return 0;
}
