/* usertests.c — xv6-style tests of the system calls and of process
 * isolation: each test runs in its own child, and every page the tests
 * used must be free again at the end (free pages counted before and
 * after). `usertests NAME...` runs only the tests named. */
#include "user/lib/ulib.h"
#include "user/usertests_fs.h"

#define KERNEL_ADDR 0xffffffff80000000UL /* the kernel image */
#define DIRECT_MAP 0xffff800000000000UL	 /* all of RAM, kernel-only */
#define UNMAPPED 0x100000000000UL	 /* user space no one maps */
#define NONCANONICAL USER_END		 /* the first non-user address */
#define PAGE 4096L

/* argv[1] of usertests run by the exec test: check argv and exit 42; or
 * report that an exec which had to fail ran. */
#define EXEC_CHECK "--exec-check"
#define EXEC_CHECK_OK 42
#define EXEC_UNEXPECTED "--exec-unexpected"
#define FPU_INITIAL "--fpu-initial" /* exit 0 if x87/SSE start clean */

#define MANY 30	      /* children alive at once */
#define FORKS 300     /* children forked and waited, in batches */
#define BATCH 25      /* fits the process table (NPROC 64) */
#define FULL_MAX 128  /* forks tried before the table must be full */
#define COW_BUF 65536 /* the malloc'd buffer of the copy-on-write test */

static const char *test_name; /* the running test, for FAILED lines */
static int test_failed;	      /* a check of this test failed */

/* Report a failed check of the running test and carry on (the file-system
 * tests report through it too). */
void ut_failed(const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	printf("usertests: %s: FAILED (%s)\n", test_name, why);
	test_failed = 1;
}

/* Report a failure and end the test's process: later checks need this. */
#define FATAL(...)                                                             \
	do {                                                                   \
		ut_failed(__VA_ARGS__);                                        \
		exit(1);                                                       \
	} while (0)

void ut_expect_eq(const char *what, long got, long want)
{
	if (got != want)
		ut_failed("%s: got %ld, want %ld", what, got, want);
}

/* Run fn in a new child; its wait status. */
static int run_child(void (*fn)(void))
{
	int status, pid = fork();
	if (pid < 0)
		FATAL("fork: %s (error %d)", strerror(-pid), -pid);
	if (pid == 0) {
		fn();
		exit(0);
	}
	int got = wait(&status);
	if (got != pid)
		FATAL("wait returned %d, want child %d", got, pid);
	return status;
}

/* "exit status N" or "signal N (SIGNAME)". */
static const char *describe(int status, char *buf, size_t n)
{
	if (W_EXITED(status))
		snprintf(buf, n, "exit status %d", W_EXITCODE(status));
	else
		snprintf(buf, n, "signal %d (%s)", W_TERMSIG(status),
			 signal_name(W_TERMSIG(status)));
	return buf;
}

static void expect_status(const char *what, int status, int want)
{
	char got_text[32], want_text[32];
	if (status != want)
		ut_failed("%s: %s, want %s", what,
			  describe(status, got_text, sizeof got_text),
			  describe(want, want_text, sizeof want_text));
}

/* fn must kill its process with signal sig. */
static void expect_signal(const char *what, void (*fn)(void), int sig)
{
	expect_status(what, run_child(fn), sig);
}

/* --- bad pointers and unknown system calls */

static void badptr_buffers(int fd)
{
	char buf[8];
	ut_expect_eq("write(NULL)", write(1, 0, 4), -EFAULT);
	ut_expect_eq("write(kernel)", write(1, (void *)KERNEL_ADDR, 4),
		     -EFAULT);
	ut_expect_eq("write(unmapped)", write(1, (void *)UNMAPPED, 4), -EFAULT);
	ut_expect_eq("write(wraps)", write(1, (void *)USER_BASE, -1UL),
		     -EFAULT);
	ut_expect_eq("write(past end)", write(1, (void *)(USER_END - 2), 4),
		     -EFAULT);
	ut_expect_eq("read(NULL)", read(fd, 0, 4), -EFAULT);
	ut_expect_eq("read(kernel)", read(fd, (void *)KERNEL_ADDR, 4), -EFAULT);
	ut_expect_eq("read(unmapped)", read(fd, (void *)UNMAPPED, 4), -EFAULT);
	ut_expect_eq("read(wraps)", read(fd, buf, -1UL), -EFAULT);
}

static void badptr_structs(void)
{
	static const unsigned long bad[] = {0, KERNEL_ADDR, UNMAPPED,
					    USER_END - 8, -16UL};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "listdir(0x%lx)", bad[i]);
		ut_expect_eq(what, listdir(0, (struct ustat *)bad[i]), -EFAULT);
		snprintf(what, sizeof what, "procinfo(0x%lx)", bad[i]);
		ut_expect_eq(what, procinfo(0, (struct uproc *)bad[i]),
			     -EFAULT);
		snprintf(what, sizeof what, "memstat(0x%lx)", bad[i]);
		ut_expect_eq(what, memstat((struct umemstat *)bad[i]), -EFAULT);
	}
}

/* A string running off the end of the heap into an unmapped page. */
static const char *unterminated_string(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	char *page = sbrk((long)(-brk & (PAGE - 1)) + PAGE);
	if (page == (void *)-1)
		FATAL("sbrk for the unterminated string failed");
	char *end = (char *)(((uintptr_t)page + PAGE - 1) & ~(PAGE - 1)) + PAGE;
	memset(end - 10, 'x', 10);
	return end - 10;
}

static void badptr_paths(void)
{
	const char *const bad[] = {0, (const char *)KERNEL_ADDR,
				   (const char *)UNMAPPED,
				   unterminated_string()};
	char *argv[] = {"usertests", 0};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "open(%p)", bad[i]);
		ut_expect_eq(what, open(bad[i], O_RDONLY), -EFAULT);
		snprintf(what, sizeof what, "spawn(%p)", bad[i]);
		ut_expect_eq(what, spawn(bad[i]), -EFAULT);
		snprintf(what, sizeof what, "exec(%p)", bad[i]);
		ut_expect_eq(what, exec(bad[i], argv), -EFAULT);
	}
}

/* wait with a bad status pointer while a child has exited. */
static void badptr_wait(void)
{
	static const unsigned long bad[] = {KERNEL_ADDR, UNMAPPED, -16UL};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[48];
		int pid = fork();
		if (pid == 0)
			exit(0);
		snprintf(what, sizeof what, "wait(0x%lx)", bad[i]);
		ut_expect_eq(what, wait((int *)bad[i]), -EFAULT);
		wait(0); /* the child, if the failed wait left it */
	}
}

static void test_badptr(void)
{
	int fd = open("README", O_RDONLY);
	if (fd < 0)
		FATAL("open(README): %s", strerror(-fd));
	badptr_buffers(fd);
	badptr_structs();
	badptr_paths();
	badptr_wait();
}

static void test_nosys(void)
{
	const long nrs[] = {SYS_COUNT, 999, -1, (1L << 32) | SYS_getpid};
	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "syscall %ld", nrs[i]);
		ut_expect_eq(what, syscall6(nrs[i], 0, 0, 0, 0, 0), -ENOSYS);
		snprintf(what, sizeof what, "int 0x80 %ld", nrs[i]);
		ut_expect_eq(what, int80_6(nrs[i], 0, 0, 0, 0, 0), -ENOSYS);
	}
	ut_expect_eq("getpid by int 0x80", int80_6(SYS_getpid, 0, 0, 0, 0, 0),
		     getpid());
}

/* --- faults: each kills only its own process */

enum fault {
	FAULT_CLI,
	FAULT_HLT,
	FAULT_WRITE_CR3,
	FAULT_READ_CR0,
	FAULT_IN,
	FAULT_OUT,
	FAULT_WRMSR,
	FAULT_INT_DEBUGGER, /* int 0x81: the kernel's debugger entry */
	FAULT_INT_PF,	    /* int 0x0e: the page fault's gate */
	FAULT_READ_KERNEL,
	FAULT_READ_DIRECT_MAP,
	FAULT_READ_NONCANONICAL,
	FAULT_WRITE_KERNEL,
	FAULT_CALL_KERNEL,
	FAULT_DIVIDE_BY_ZERO,
	FAULT_DIVIDE_OVERFLOW, /* INT64_MIN / -1 does not fit: #DE too */
	FAULT_STACK_OVERFLOW,
	FAULT_INT3,	 /* a breakpoint no debugger planted */
	FAULT_TRAP_FLAG, /* RFLAGS.TF set by the program: a single-step */
};

/* What each fault is, the test it belongs to, the signal it must bring. */
static const struct {
	enum fault fault;
	const char *test, *what;
	int sig;
} faults[] = {
    {FAULT_CLI, "privileged", "cli", SIGSEGV},
    {FAULT_HLT, "privileged", "hlt", SIGSEGV},
    {FAULT_WRITE_CR3, "privileged", "mov to cr3", SIGSEGV},
    {FAULT_READ_CR0, "privileged", "mov from cr0", SIGSEGV},
    {FAULT_IN, "privileged", "in", SIGSEGV},
    {FAULT_OUT, "privileged", "out", SIGSEGV},
    {FAULT_WRMSR, "privileged", "wrmsr", SIGSEGV},
    {FAULT_INT_DEBUGGER, "privileged", "int 0x81", SIGSEGV},
    {FAULT_INT_PF, "privileged", "int 0x0e", SIGSEGV},
    {FAULT_READ_KERNEL, "kernelmem", "read kernel image", SIGSEGV},
    {FAULT_READ_DIRECT_MAP, "kernelmem", "read direct map", SIGSEGV},
    {FAULT_READ_NONCANONICAL, "kernelmem", "read non-canonical", SIGSEGV},
    {FAULT_WRITE_KERNEL, "kernelmem", "write kernel image", SIGSEGV},
    {FAULT_CALL_KERNEL, "kernelmem", "call kernel image", SIGSEGV},
    {FAULT_DIVIDE_BY_ZERO, "divide", "divide by zero", SIGFPE},
    {FAULT_DIVIDE_OVERFLOW, "divide", "INT64_MIN / -1", SIGFPE},
    {FAULT_STACK_OVERFLOW, "stackoverflow", "unbounded recursion", SIGSEGV},
    {FAULT_INT3, "trap", "int3", SIGTRAP},
    {FAULT_TRAP_FLAG, "trap", "trap flag", SIGTRAP},
};

static int recurse(int depth)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	if (depth > 1000000) /* far past the 64 KiB stack */
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void privileged(enum fault f)
{
	switch (f) {
	case FAULT_CLI:
		__asm__ volatile("cli");
		break;
	case FAULT_HLT:
		__asm__ volatile("hlt");
		break;
	case FAULT_WRITE_CR3:
		__asm__ volatile("mov %0, %%cr3" ::"r"(0UL));
		break;
	case FAULT_READ_CR0:
		__asm__ volatile("mov %%cr0, %%rax" ::: "rax");
		break;
	case FAULT_IN:
		__asm__ volatile("inb $0x60, %%al" ::: "rax");
		break;
	case FAULT_OUT:
		__asm__ volatile("outb %%al, $0x80" ::"a"(0));
		break;
	case FAULT_WRMSR:
		__asm__ volatile("wrmsr" ::"c"(0xc0000082u), "a"(0), "d"(0));
		break;
	case FAULT_INT_DEBUGGER:
		__asm__ volatile("int $0x81");
		break;
	case FAULT_INT_PF:
		__asm__ volatile("int $0x0e");
		break;
	default:
		break;
	}
}

static void memory_access(enum fault f)
{
	volatile unsigned long *kernel = (volatile unsigned long *)KERNEL_ADDR;
	switch (f) {
	case FAULT_READ_KERNEL:
		(void)*kernel;
		break;
	case FAULT_READ_DIRECT_MAP:
		(void)*(volatile unsigned long *)DIRECT_MAP;
		break;
	case FAULT_READ_NONCANONICAL:
		(void)*(volatile unsigned long *)NONCANONICAL;
		break;
	case FAULT_WRITE_KERNEL:
		*kernel = 0;
		break;
	case FAULT_CALL_KERNEL:
		((void (*)(void))KERNEL_ADDR)();
		break;
	default:
		break;
	}
}

static void arithmetic(enum fault f)
{
	unsigned long q;
	if (f == FAULT_DIVIDE_BY_ZERO) /* in asm: C would fold it */
		__asm__ volatile("xor %%edx, %%edx\n\tdiv %2"
				 : "=a"(q)
				 : "a"(1UL), "r"(0UL)
				 : "rdx");
	if (f == FAULT_DIVIDE_OVERFLOW)
		__asm__ volatile("cqo\n\tidiv %2"
				 : "=a"(q)
				 : "a"(INT64_MIN), "r"(-1L)
				 : "rdx");
	if (f == FAULT_STACK_OVERFLOW)
		recurse(0);
}

/* Traps that only a debugger should want: each must end the process
 * with SIGTRAP, not stop the kernel. */
static void debug_trap(enum fault f)
{
	if (f == FAULT_INT3)
		__asm__ volatile("int3");
	if (f == FAULT_TRAP_FLAG) /* TF on: #DB after the next instruction */
		__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
				 "nop" ::
				     : "memory", "cc");
}

static enum fault fault_to_cause; /* set before the child is forked */

static void cause_fault(void)
{
	privileged(fault_to_cause);
	memory_access(fault_to_cause);
	arithmetic(fault_to_cause);
	debug_trap(fault_to_cause);
}

/* Each fault of the running test, in its own child. */
static void run_faults(void)
{
	for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		if (strcmp(faults[i].test, test_name))
			continue;
		fault_to_cause = faults[i].fault;
		expect_signal(faults[i].what, cause_fault, faults[i].sig);
	}
}

/* --- scheduling, kill, sleep */

static void spin(void)
{
	for (;;)
		;
}

static void kill_self(void)
{
	kill(getpid());
}

static void test_preempt(void)
{
	int status, pid = fork();
	if (pid == 0)
		spin();
	long t0 = uptime();
	ut_expect_eq("sleep(100)", sleep(100), 0);
	if (uptime() - t0 < 100)
		ut_failed("sleep(100) returned after %ld ms", uptime() - t0);
	ut_expect_eq("kill(spinner)", kill(pid), 0);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("spinner", status, SIGKILL);
	ut_expect_eq("kill(reaped)", kill(pid), -ESRCH);
}

static void test_kill(void)
{
	ut_expect_eq("kill(no such pid)", kill(99999), -ESRCH);
	ut_expect_eq("kill(-1)", kill(-1), -ESRCH);
	expect_signal("kill(self)", kill_self, SIGKILL);
	int status, pid = fork();
	if (pid == 0) {
		sleep(10000);
		exit(0);
	}
	sleep(20); /* let it fall asleep */
	long t0 = uptime();
	ut_expect_eq("kill(sleeper)", kill(pid), 0);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("sleeper", status, SIGKILL);
	if (uptime() - t0 > 5000)
		ut_failed("a sleeping process took %ld ms to die",
			  uptime() - t0);
}

static void test_sleep(void)
{
	long t0 = uptime();
	ut_expect_eq("sleep(0)", sleep(0), 0);
	ut_expect_eq("sleep(50)", sleep(50), 0);
	long dt = uptime() - t0;
	if (dt < 50)
		ut_failed("sleep(50) took %ld ms", dt);
}

/* A sleep so long its deadline would pass 2^64 ms must still block (it
 * used to wrap and return at once): the child is still asleep when
 * killed 100 ms later. */
static unsigned long sleep_ms;
static void sleep_long(void)
{
	sleep(sleep_ms);
	exit(0);
}

static void test_sleep_max(void)
{
	static const unsigned long lengths[] = {~0UL, 1UL << 63, ~0UL - 1000};
	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		char what[48];
		int status;
		sleep_ms = lengths[i];
		int pid = fork();
		if (pid == 0)
			sleep_long();
		sleep(100);
		snprintf(what, sizeof what, "sleep(0x%lx)", lengths[i]);
		kill(pid);
		if (wait(&status) != pid)
			FATAL("wait for the %s child", what);
		expect_status(what, status, SIGKILL);
	}
}

/* --- many processes */

static int live_children(void)
{
	struct uproc u;
	int n = 0, me = getpid();
	for (unsigned long i = 0; procinfo(i, &u) == 0; i++)
		n += u.ppid == me && strcmp(u.state, "zombie") != 0;
	return n;
}

/* Wait for n children whose exit codes are code[i] for pid[i]. */
static void wait_all(const int *pid, const int *code, int n)
{
	for (int k = 0; k < n; k++) {
		int status, got = wait(&status), i = 0;
		while (i < n && pid[i] != got)
			i++;
		if (i == n)
			FATAL("wait returned %d, not one of the children", got);
		expect_status("child", status, W_MAKE_EXIT(code[i]));
	}
	ut_expect_eq("wait with no children left", wait(0), -ECHILD);
}

static void test_many_at_once(void)
{
	int pid[MANY], code[MANY];
	long t0 = uptime();
	for (int i = 0; i < MANY; i++) {
		code[i] = i + 1;
		if ((pid[i] = fork()) == 0) {
			sleep(500);
			exit(i + 1);
		}
		if (pid[i] < 0)
			FATAL("fork %d of %d: %s", i + 1, MANY,
			      strerror(-pid[i]));
	}
	int alive = live_children();
	if (alive != MANY && uptime() - t0 < 500)
		ut_failed("%d of %d children alive together", alive, MANY);
	wait_all(pid, code, MANY);
}

static void test_fork_wait(void)
{
	int pid[BATCH], code[BATCH];
	for (int done = 0; done < FORKS; done += BATCH) {
		for (int i = 0; i < BATCH; i++) {
			code[i] = (done + i) & 0xff;
			if ((pid[i] = fork()) == 0)
				exit((done + i) & 0xff);
			if (pid[i] < 0)
				FATAL("fork %d: %s", done + i,
				      strerror(-pid[i]));
		}
		wait_all(pid, code, BATCH);
	}
}

/* Fork until the table is full: -EAGAIN, then every child is ended. */
static void test_full_table(void)
{
	int pid[FULL_MAX], n = 0;
	while (n < FULL_MAX && (pid[n] = fork()) > 0)
		n++;
	if (n < FULL_MAX && pid[n] == 0) {
		sleep(5000); /* killed long before */
		exit(0);
	}
	if (n == FULL_MAX)
		ut_failed("%d forks and the table is not full", n);
	else
		ut_expect_eq("fork with the table full", pid[n], -EAGAIN);
	for (int i = 0; i < n; i++)
		ut_expect_eq("kill", kill(pid[i]), 0);
	for (int i = 0; i < n; i++) {
		int status;
		wait(&status);
		expect_status("child", status, SIGKILL);
	}
	ut_expect_eq("wait with no children left", wait(0), -ECHILD);
}

/* --- copy-on-write */

static int cow_global = 1;
static const int cow_rodata = 5;

static int buf_is(const unsigned char *b, unsigned char v)
{
	for (int i = 0; i < COW_BUF; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

/* Child: sees g, s, b; writes its own values, sees them; exit 0 if so. */
static void cow_child(volatile int *s, unsigned char *b, int g, int sv,
		      unsigned char bv)
{
	sleep(20); /* let the parent write first, when it does */
	if (cow_global != g || *s != sv || !buf_is(b, bv))
		exit(2);
	cow_global = -1;
	*s = -1;
	memset(b, 0xee, COW_BUF);
	exit(cow_global == -1 && *s == -1 && buf_is(b, 0xee) ? 0 : 3);
}

/* Child: the kernel writes into a shared page (user/README read in). */
static void cow_kernel_write(unsigned char *b)
{
	int fd = open("README", O_RDONLY);
	exit(fd >= 0 && read(fd, b, 10) == 10 && !memcmp(b, "The initrd", 10)
		 ? 0
		 : 4);
}

static void write_rodata(void)
{
	*(volatile int *)&cow_rodata = 6;
}

static void write_text(void)
{
	*(volatile char *)(uintptr_t)write_text = 0;
}

static void test_cow(void)
{
	volatile int stack_var = 2;
	unsigned char *b = malloc(COW_BUF);
	if (!b)
		FATAL("malloc(%d) failed", COW_BUF);
	memset(b, 0xaa, COW_BUF);
	int status, pid = fork();
	if (pid == 0)
		cow_child(&stack_var, b, 1, 2, 0xaa);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("child writing after fork", status, W_MAKE_EXIT(0));
	if (cow_global != 1 || stack_var != 2 || !buf_is(b, 0xaa))
		ut_failed("the parent sees the child's writes");
	if ((pid = fork()) == 0)
		cow_child(&stack_var, b, 1, 2, 0xaa);
	cow_global = 10, stack_var = 20;
	memset(b, 0x55, COW_BUF);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("child after the parent wrote", status, W_MAKE_EXIT(0));
	if (cow_global != 10 || stack_var != 20 || !buf_is(b, 0x55))
		ut_failed("the parent lost its own writes");
	if ((pid = fork()) == 0)
		cow_kernel_write(b);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("child reading into the buffer", status, W_MAKE_EXIT(0));
	if (!buf_is(b, 0x55))
		ut_failed(
		    "the parent sees what the kernel wrote for the child");
	expect_signal("write read-only data after fork", write_rodata, SIGSEGV);
	expect_signal("write text after fork", write_text, SIGSEGV);
	free(b);
}

/* --- exec */

static int exec_check(int argc, char **argv)
{
	return argc == 4 && !strcmp(argv[0], "usertests") &&
		       !strcmp(argv[2], "one") &&
		       !strcmp(argv[3], "two words") && !argv[4]
		   ? EXEC_CHECK_OK
		   : 1;
}

static void exec_with_args(void)
{
	char *argv[] = {"usertests", EXEC_CHECK, "one", "two words", 0};
	int err = exec("usertests", argv);
	printf("usertests: exec: exec returned %d\n", err);
	exit(1);
}

/* Run by an exec that should have failed. */
static int exec_unexpected(void)
{
	printf("usertests: exec: FAILED (an exec that must fail ran)\n");
	return 1;
}

static void test_exec_errors(void)
{
	char *argv[] = {"usertests", EXEC_UNEXPECTED, 0};
	char *badarg[] = {"usertests", EXEC_UNEXPECTED, (char *)KERNEL_ADDR, 0};
	char *many[EXEC_ARGV_MAX + 2], long_arg[EXEC_ARG_LEN + 1];
	for (int i = 0; i <= EXEC_ARGV_MAX; i++)
		many[i] = i ? EXEC_UNEXPECTED : "usertests";
	many[EXEC_ARGV_MAX + 1] = 0;
	/* EXEC_ARG_LEN bytes and the NUL: one byte too many */
	memset(long_arg, 'a', EXEC_ARG_LEN);
	long_arg[EXEC_ARG_LEN] = '\0';
	char *longv[] = {"usertests", EXEC_UNEXPECTED, long_arg, 0};
	char *no_args[] = {0};
	ut_expect_eq("exec(missing)", exec("nosuchfile", argv), -ENOENT);
	ut_expect_eq("exec(README)", exec("README", argv), -ENOEXEC);
	ut_expect_eq("exec(argv kernel)",
		     exec("usertests", (char **)KERNEL_ADDR), -EFAULT);
	ut_expect_eq("exec(argv unmapped)",
		     exec("usertests", (char **)UNMAPPED), -EFAULT);
	ut_expect_eq("exec(argv[2] kernel)", exec("usertests", badarg),
		     -EFAULT);
	ut_expect_eq("exec(argv NULL)", exec("usertests", 0), -EFAULT);
	ut_expect_eq("exec(no argv[0])", exec("usertests", no_args), -EINVAL);
	ut_expect_eq("exec(17 arguments)", exec("usertests", many), -E2BIG);
	ut_expect_eq("exec(129-byte argument)", exec("usertests", longv),
		     -E2BIG);
}

static void test_exec(void)
{
	expect_status("exec with arguments", run_child(exec_with_args),
		      W_MAKE_EXIT(EXEC_CHECK_OK));
	test_exec_errors();
}

/* --- x87 and SSE state: each process its own */

#define FPU_ROUNDS 100
#define X87_PC_DOUBLE 0x027f /* x87 control: exceptions masked, 53 bits */
#define X87_RC_SHIFT 10	     /* x87 rounding control, bits 11:10 */
#define MXCSR_MASKED 0x1f80  /* MXCSR: exceptions masked */
#define MXCSR_RC_SHIFT 13    /* MXCSR rounding control, bits 14:13 */
#define RC_DOWN 1
#define RC_UP 2

/* What one round leaves: xmm0-15, the x87 stack's marker, 1/3 computed
 * on the x87 and by SSE under this process's rounding, control words. */
struct fpu_regs {
	uint64_t xmm[16];
	double marker, x87_third, sse_third;
	uint16_t cw;
	uint32_t mxcsr;
};

static const double fpu_one = 1.0, fpu_three = 3.0;

#define LOADX(n) "movq " #n "*8(%[in]), %%xmm" #n "\n\t"
#define STOREX(n) "movq %%xmm" #n ", " #n "*8(%[out])\n\t"

/* Load the control words, xmm0-15 (xmm14 = 1, xmm15 = 3) and the x87
 * stack (marker, 1); give the CPU away (yield) if asked; then divide by
 * 3 on both units and read everything back. Another process's state
 * showing through would change the registers or the rounding. */
static void fpu_round(const uint64_t *in, double marker, uint16_t cw,
		      uint32_t mxcsr, long give_away, struct fpu_regs *out)
{
	__asm__ volatile(
	    "fldcw %[cw]\n\tldmxcsr %[mx]\n\t" LOADX(0) LOADX(1) LOADX(2) LOADX(
		3) LOADX(4) LOADX(5) LOADX(6) LOADX(7) LOADX(8) LOADX(9)
		LOADX(10) LOADX(11) LOADX(12) LOADX(13) LOADX(14) LOADX(
		    15) "fldl %[marker]\n\tfldl %[one]\n\t"
			"test %[give], %[give]\n\tjz 1f\n\t"
			"mov %[yield], %%eax\n\tsyscall\n"
			"1:\n\t" STOREX(0) STOREX(1) STOREX(2) STOREX(3)
			    STOREX(4) STOREX(5) STOREX(6) STOREX(7) STOREX(8)
				STOREX(9) STOREX(10) STOREX(11) STOREX(12)
				    STOREX(13) STOREX(14) STOREX(
					15) "fdivl %[three]\n\tfstpl "
					    "%c[ox](%[out])\n\t"
					    "fstpl %c[om](%[out])\n\t"
					    "divsd %%xmm15, %%xmm14\n\tmovq "
					    "%%xmm14, %c[os](%[out])\n\t"
					    "fnstcw %c[ocw](%[out])\n\tstmxcsr "
					    "%c[omx](%[out])"
	    :
	    : [in] "r"(in), [out] "r"(out), [cw] "m"(cw), [mx] "m"(mxcsr),
	      [marker] "m"(marker), [one] "m"(fpu_one), [three] "m"(fpu_three),
	      [give] "r"(give_away), [yield] "i"(SYS_yield),
	      [ox] "i"(offsetof(struct fpu_regs, x87_third)),
	      [om] "i"(offsetof(struct fpu_regs, marker)),
	      [os] "i"(offsetof(struct fpu_regs, sse_third)),
	      [ocw] "i"(offsetof(struct fpu_regs, cw)),
	      [omx] "i"(offsetof(struct fpu_regs, mxcsr))
	    : "rax", "rcx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2",
	      "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
	      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static int same_regs(const struct fpu_regs *a, const struct fpu_regs *b)
{
	return !memcmp(a->xmm, b->xmm, sizeof a->xmm) &&
	       !memcmp(&a->marker, &b->marker, sizeof a->marker) &&
	       !memcmp(&a->x87_third, &b->x87_third, sizeof a->x87_third) &&
	       !memcmp(&a->sse_third, &b->sse_third, sizeof a->sse_third) &&
	       a->cw == b->cw && a->mxcsr == b->mxcsr;
}

/* FPU_ROUNDS rounds, each yielding to the other process mid-way, under
 * rounding rc; the number of rounds whose results differ from a round
 * run without yielding. */
static int fpu_rounds(int rc, unsigned long seed, struct fpu_regs *want)
{
	uint64_t in[16];
	union {
		double d;
		uint64_t u;
	} one = {1.0}, three = {3.0};
	for (int i = 0; i < 14; i++)
		in[i] = seed * 0x9e3779b97f4a7c15UL + (unsigned long)i;
	in[14] = one.u;
	in[15] = three.u;
	uint16_t cw = (uint16_t)(X87_PC_DOUBLE | rc << X87_RC_SHIFT);
	uint32_t mx = (uint32_t)(MXCSR_MASKED | rc << MXCSR_RC_SHIFT);
	double marker = (double)seed + 0.25;
	struct fpu_regs got;
	fpu_round(in, marker, cw, mx, 0, want);
	int bad = 0;
	for (int r = 0; r < FPU_ROUNDS; r++) {
		fpu_round(in, marker, cw, mx, 1, &got);
		bad += !same_regs(&got, want);
	}
	return bad;
}

/* A new program starts from the initial state whatever ran before. */
static int fpu_initial_check(void)
{
	uint16_t cw;
	uint32_t mx;
	__asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(cw), "=m"(mx));
	if (cw == 0x037f && mx == MXCSR_MASKED)
		return 0;
	printf("usertests: fpu: FAILED (a new program's x87 control word is "
	       "0x%x, MXCSR 0x%x; want 0x37f, 0x1f80)\n",
	       cw, mx);
	return 1;
}

static void exec_fpu_initial(void)
{
	char *argv[] = {"usertests", FPU_INITIAL, 0};
	uint16_t cw = 0x0f7f;
	uint32_t mx = 0x7f80;
	__asm__ volatile("fldcw %0\n\tldmxcsr %1" : : "m"(cw), "m"(mx));
	exec("usertests", argv);
	exit(2);
}

static void test_fpu(void)
{
	struct fpu_regs down, up;
	int pid = fork();
	if (pid == 0)
		exit(fpu_rounds(RC_UP, 2, &up) ? 1 : 0);
	int bad = fpu_rounds(RC_DOWN, 1, &down), status;
	if (bad)
		ut_failed("%d of %d rounds saw other x87/SSE state", bad,
			  FPU_ROUNDS);
	ut_expect_eq("wait", wait(&status), pid);
	expect_status("the other process's rounds", status, W_MAKE_EXIT(0));
	fpu_rounds(RC_UP, 1, &up);
	if (!memcmp(&down.x87_third, &up.x87_third, sizeof up.x87_third) ||
	    !memcmp(&down.sse_third, &up.sse_third, sizeof up.sse_third))
		ut_failed(
		    "1/3 rounded down and up are the same: the test cannot "
		    "see a leak");
	expect_status("exec after odd FPU settings",
		      run_child(exec_fpu_initial), W_MAKE_EXIT(0));
}

/* --- sbrk and malloc */

static char *touch_addr;
static void touch(void)
{
	*(volatile char *)touch_addr = 1;
}

static void test_sbrk(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	char *a = (char *)sbrk((long)(-brk & (PAGE - 1))) +
		  (-brk & (PAGE - 1)); /* page-aligned break */
	ut_expect_eq("sbrk(2 pages)", (long)sbrk(2 * PAGE), (long)a);
	memset(a, 1, 2 * PAGE);
	ut_expect_eq("sbrk(0)", (long)sbrk(0), (long)(a + 2 * PAGE));
	ut_expect_eq("sbrk(-2 pages)", (long)sbrk(-2 * PAGE),
		     (long)(a + 2 * PAGE));
	touch_addr = a;
	expect_signal("write below a shrunk break", touch, SIGSEGV);
	ut_expect_eq("sbrk(1 page) again", (long)sbrk(PAGE), (long)a);
	ut_expect_eq("a regrown page is zeroed", a[0] + a[PAGE - 1], 0);
	ut_expect_eq("sbrk(2^47)", (long)sbrk(1L << 47), -1);
	ut_expect_eq("sbrk(-2^40)", (long)sbrk(-(1L << 40)), -1);
	ut_expect_eq("break unchanged", (long)sbrk(0), (long)(a + PAGE));
	char *g = sbrk(1L << 30); /* 1 GiB: refused, or lazily given */
	if (g != (void *)-1)
		sbrk(-(1L << 30));
	ut_expect_eq("break after 1 GiB", (long)sbrk(0), (long)(a + PAGE));
}

static void malloc_patterns(void)
{
	enum { N = 200 };
	static unsigned char *p[N];
	for (int i = 0; i < N; i++)
		if (!(p[i] = malloc((size_t)(i * 37) % 3000 + 1)))
			FATAL("malloc block %d failed", i);
		else
			memset(p[i], i, (size_t)(i * 37) % 3000 + 1);
	for (int i = 0; i < N; i += 2)
		free(p[i]);
	for (int i = 1; i < N; i += 2) {
		size_t n = (size_t)(i * 37) % 3000 + 1;
		if (p[i][0] != (unsigned char)i ||
		    p[i][n - 1] != (unsigned char)i)
			ut_failed("block %d was overwritten", i);
		p[i] = realloc(p[i], n + 5000);
		if (!p[i] || p[i][n - 1] != (unsigned char)i)
			ut_failed("realloc lost block %d's contents", i);
		free(p[i]);
	}
}

static void test_malloc(void)
{
	char *before = sbrk(0);
	free(malloc(1));
	if ((char *)sbrk(0) - before < 16384)
		ut_failed("the heap grew by %ld bytes, not 16 KiB at least",
			  (long)((char *)sbrk(0) - before));
	malloc_patterns();
	char *big = malloc(100000);
	if (!big || (char *)sbrk(0) - before < 100000)
		ut_failed("malloc(100000) did not grow the heap");
	unsigned char *z = calloc(1000, 3);
	for (int i = 0; z && i < 3000; i++)
		if (z[i])
			FATAL("calloc byte %d is %d", i, z[i]);
	ut_expect_eq("malloc(2^47)", (long)malloc(1UL << 47), 0);
	ut_expect_eq("malloc(SIZE_MAX)", (long)malloc(SIZE_MAX), 0);
	ut_expect_eq("calloc overflow", (long)calloc(1UL << 40, 1UL << 40), 0);
	free(big);
	free(z);
}

/* --- the runner */

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
    {"badptr", test_badptr},
    {"nosys", test_nosys},
    {"privileged", run_faults},
    {"kernelmem", run_faults},
    {"divide", run_faults},
    {"stackoverflow", run_faults},
    {"trap", run_faults},
    {"preempt", test_preempt},
    {"kill", test_kill},
    {"sleep", test_sleep},
    {"sleepmax", test_sleep_max},
    {"manyprocs", test_many_at_once},
    {"forkwait", test_fork_wait},
    {"fulltable", test_full_table},
    {"cow", test_cow},
    {"exec", test_exec},
    {"fpu", test_fpu},
    {"sbrk", test_sbrk},
    {"malloc", test_malloc},
    UT_FS_TESTS,
};

/* Run one test in its own child; 1 if it failed. */
static int run_test(const struct test *t)
{
	int status, pid = fork();
	if (pid < 0) {
		printf("usertests: %s: FAILED (fork: %s)\n", t->name,
		       strerror(-pid));
		return 1;
	}
	if (pid == 0) {
		test_name = t->name;
		t->fn();
		exit(test_failed);
	}
	if (wait(&status) != pid || status == W_MAKE_EXIT(1))
		return 1; /* the test printed why */
	if (status == W_MAKE_EXIT(0)) {
		printf("usertests: %s: ok\n", t->name);
		return 0;
	}
	if (W_EXITED(status))
		printf("usertests: %s: FAILED (exit status %d)\n", t->name,
		       W_EXITCODE(status));
	else
		printf("usertests: %s: FAILED (killed by signal %d, %s)\n",
		       t->name, W_TERMSIG(status),
		       signal_name(W_TERMSIG(status)));
	return 1;
}

/* Whether test name runs: all without arguments, else those named. */
static int selected(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return argc < 2;
}

/* Every argument must name a test; 0 after a message if one does not. */
static int names_ok(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		unsigned k = 0;
		while (k < sizeof tests / sizeof tests[0] &&
		       strcmp(tests[k].name, argv[i]))
			k++;
		if (k == sizeof tests / sizeof tests[0]) {
			printf("usertests: no test named '%s'; the tests:",
			       argv[i]);
			for (k = 0; k < sizeof tests / sizeof tests[0]; k++)
				printf(" %s", tests[k].name);
			printf("\n");
			return 0;
		}
	}
	return 1;
}

static int check_memory(const struct umemstat *before)
{
	struct umemstat after;
	memstat(&after);
	printf("usertests: free pages before %lu after %lu\n",
	       before->free_pages, after.free_pages);
	printf("usertests: user pages before %lu after %lu\n",
	       before->user_pages, after.user_pages);
	if (after.free_pages == before->free_pages &&
	    after.user_pages == before->user_pages)
		return 0;
	printf("usertests: memory: FAILED (%ld pages not returned)\n",
	       (long)(before->free_pages - after.free_pages));
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], EXEC_CHECK))
		return exec_check(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], UT_FS_EXEC_CHECK))
		return ut_fs_exec_check(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], EXEC_UNEXPECTED))
		return exec_unexpected();
	if (argc >= 2 && !strcmp(argv[1], FPU_INITIAL))
		return fpu_initial_check();
	if (!names_ok(argc, argv))
		return 2;
	printf("usertests: starting (pid %d)\n", getpid());
	struct umemstat before;
	int rc = memstat(&before), failures = 0;
	if (rc < 0)
		printf("usertests: memstat: %s\n", strerror(-rc));
	for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (selected(argc, argv, tests[i].name))
			failures += run_test(&tests[i]);
	failures += check_memory(&before);
	if (failures)
		printf("usertests: %d FAILED\n", failures);
	else
		printf("usertests: ALL TESTS PASSED\n");
	return failures ? 1 : 0;
}
