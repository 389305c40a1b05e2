/* syscheck.c — system-call checks: EFAULT, ENOSYS, files. */
#include "user/lib/ulib.h"

#define KERNEL_ADDR 0xffffffff80000000L
#define UNMAPPED_USER 0x10000000L

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got != want) {
		printf("syscheck: FAIL %s: got %ld, want %ld\n", what, got,
		       want);
		failures++;
	}
}

static void bad_pointers(void)
{
	int st;
	expect("write(NULL)", write(1, 0, 4), -EFAULT);
	expect("write(kernel)", write(1, (void *)KERNEL_ADDR, 4), -EFAULT);
	expect("write(unmapped)", write(1, (void *)UNMAPPED_USER, 4), -EFAULT);
	expect("write(wraps)", write(1, (void *)0x400000, -1UL), -EFAULT);
	expect("open(kernel)", open((const char *)KERNEL_ADDR, O_RDONLY),
	       -EFAULT);
	expect("spawn(NULL)", spawn(0), -EFAULT);
	expect("wait(kernel)", wait((int *)KERNEL_ADDR), -EFAULT);
	expect("listdir(kernel)", listdir(0, (struct ustat *)KERNEL_ADDR),
	       -EFAULT);
	(void)st;
}

static void unknown_numbers(void)
{
	expect("syscall 999", syscall6(999, 0, 0, 0, 0, 0), -ENOSYS);
	expect("syscall -1", syscall6(-1, 0, 0, 0, 0, 0), -ENOSYS);
	expect("int80 999", int80_6(999, 0, 0, 0, 0, 0), -ENOSYS);
}

static void files(void)
{
	char buf[4];
	int fd = open("/hello", O_RDONLY);
	expect("open(/hello) >= 3", fd >= 3, 1);
	expect("read ELF magic", read(fd, buf, 4), 4);
	expect("magic", buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F', 1);
	expect("read(kernel buf)", read(fd, (void *)KERNEL_ADDR, 4), -EFAULT);
	expect("close", close(fd), 0);
	expect("read closed", read(fd, buf, 4), -EBADF);
	expect("open(missing)", open("nosuchfile", O_RDONLY), -ENOENT);
	expect("spawn(missing)", spawn("nosuchfile"), -ENOENT);
	expect("spawn(non-ELF)", spawn("README"), -ENOEXEC);
	expect("wait(no children)", wait(0), -ECHILD);
}

int main(void)
{
	bad_pointers();
	unknown_numbers();
	files();
	expect("yield", yield(), 0);
	printf("syscheck: %s (%d failures)\n", failures ? "FAIL" : "ok",
	       failures);
	return failures ? 1 : 0;
}
