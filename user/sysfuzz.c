/* sysfuzz.c — random system calls from ring 3: numbers 0-511, hostile
 * pointers and lengths, through `syscall` and `int 0x80` alternately at
 * random (half the calls among the known numbers and a few past them).
 * `sysfuzz [COUNT [SEED]]` (defaults 20000 and 1: the same seed
 * makes the same calls). The calls run in a child; the parent compares
 * the free page count before and after and prints one verdict line.
 * The kernel must neither crash nor leak a page. */
#include "user/lib/ulib.h"

#define DEFAULT_COUNT 20000
#define DEFAULT_SEED 1
#define MAX_NR 512 /* numbers 0 .. MAX_NR-1, most of them unknown */
#define NEAR_NRS (SYS_COUNT + 8) /* half the calls: the known numbers */
#define SCRATCH 8192		 /* the only memory the calls may write */
#define PAGE 4096
#define HEAP_CAP (1UL << 20)	  /* heap growth the fuzzer allows */
#define HEAP_REFUSED (64UL << 20) /* past this sbrk fails (uspace.c) */
#define REAP_EVERY 64		  /* calls between reaping forked children */
#define KERNEL_IMAGE 0xffffffff80000000UL
#define DIRECT_MAP 0xffff800000000000UL
#define UNMAPPED 0x100000000000UL

/* Two heap pages with nothing mapped above them (the break): a call
 * that writes past their end faults instead of hitting this program. */
static uint8_t *scratch;
static uint64_t state;
static unsigned long by_syscall, by_int80, succeeded, faulted, unknown;

/* xorshift64* (Vigna): small, and fixed by the seed. */
static uint64_t rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(const uint64_t *v, unsigned n)
{
	return v[rnd() % n];
}

/* Addresses: inside the scratch buffer, across its ends, and every kind
 * the kernel must refuse. */
static uint64_t hostile_pointer(void)
{
	uint64_t s = (uint64_t)scratch;
	const uint64_t v[] = {0,
			      1,
			      s,
			      s + rnd() % SCRATCH,
			      s + SCRATCH - 1,
			      s + PAGE - 3,
			      USER_BASE,
			      USER_END - 1,
			      USER_END - 8,
			      USER_END,
			      UNMAPPED,
			      KERNEL_IMAGE,
			      DIRECT_MAP,
			      0x00007ffffffff000UL,
			      0x8000000000000000UL,
			      0xfffffffffffff000UL,
			      ~0UL,
			      rnd()};
	return pick(v, sizeof v / sizeof v[0]);
}

/* Lengths and counts: empty, a page and its neighbours, ones that wrap
 * an address, the edge of user space. */
static uint64_t hostile_length(void)
{
	const uint64_t v[] = {0,
			      1,
			      7,
			      SCRATCH,
			      PAGE - 1,
			      PAGE,
			      PAGE + 1,
			      1UL << 31,
			      1UL << 32,
			      USER_END,
			      1UL << 63,
			      ~0UL,
			      (uint64_t)-PAGE,
			      rnd() % 100000};
	return pick(v, sizeof v / sizeof v[0]);
}

static uint64_t hostile_arg(void)
{
	switch (rnd() % 4) {
	case 0:
		return hostile_pointer();
	case 1:
		return hostile_length();
	case 2:
		return (uint64_t)(long)(rnd() % 16) - 4; /* -4 .. 11 */
	default:
		return rnd();
	}
}

/* One call by either entry, all six argument registers set. */
static long raw(int int80, uint64_t nr, const uint64_t a[6])
{
	uint64_t a3 = a[3], a4 = a[4], a5 = a[5];
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	register uint64_t r9 __asm__("r9") = a5;
	long ret;
	if (int80)
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]),
				   "r"(r10), "r"(r8), "r"(r9)
				 : "memory");
	else
		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]),
				   "r"(r10), "r"(r8), "r"(r9)
				 : "rcx", "r11", "memory");
	return ret;
}

static int small_fd(uint64_t v)
{
	return (int)v >= 0 && (int)v <= FD_STDERR;
}

static int in_scratch(uint64_t p)
{
	return p >= (uint64_t)scratch && p < (uint64_t)scratch + SCRATCH;
}

/* A path in the scratch pages may by chance be a name a call wrote there
 * (listdir, procinfo): start it with a byte no file name has. */
static void spoil_path(uint64_t p)
{
	if (in_scratch(p))
		*(volatile uint8_t *)p = 0xff;
}

/* The break may move down to the scratch pages' end, and up by at most
 * HEAP_CAP past it (each fork copies the heap's page tables: a 64 MiB
 * heap would make the calls slow, not more searching); a larger step
 * is kept when the kernel must refuse it anyway. */
static uint64_t tame_sbrk(uint64_t incr)
{
	uint64_t brk = (uint64_t)sbrk(0), floor = (uint64_t)scratch + SCRATCH;
	if ((int64_t)incr < 0 && brk + incr < floor)
		return floor - brk;
	if ((int64_t)incr > 0 && incr <= HEAP_REFUSED &&
	    brk + incr > floor + HEAP_CAP)
		return 0;
	return incr;
}

/* Keep the fuzzer itself alive and the machine usable: no exit, no
 * console reads (they would wait for a key) or writes (noise), no kill
 * of another process, no sleep longer than a few ms, no exec or spawn
 * of a real program, the scratch pages kept. Everything else goes to the
 * kernel as drawn. */
static int tame(uint64_t nr, uint64_t a[6])
{
	switch (nr) {
	case SYS_exit:
		return 0;
	case SYS_read:
	case SYS_write:
	case SYS_close:
		if (small_fd(a[0]))
			a[0] = 1000;
		return 1;
	case SYS_kill:
		if ((int)a[0] > 0)
			a[0] = (uint64_t)-1;
		return 1;
	case SYS_sleep:
		a[0] %= 3;
		return 1;
	case SYS_exec:
	case SYS_spawn:
		spoil_path(a[0]);
		return 1;
	case SYS_sbrk:
		a[0] = tame_sbrk(a[0]);
		return 1;
	default:
		return 1;
	}
}

static void count(long ret)
{
	if (ret >= 0)
		succeeded++;
	else if (ret == -EFAULT)
		faulted++;
	else if (ret == -ENOSYS)
		unknown++;
}

static void reap(void)
{
	while (wait(0) > 0)
		;
}

/* count calls; a forked copy of this process ends at once. */
static void fuzz(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		uint64_t nr = rnd() % (rnd() & 1 ? MAX_NR : NEAR_NRS), a[6];
		for (int k = 0; k < 6; k++)
			a[k] = hostile_arg();
		if (!tame(nr, a))
			continue;
		int int80 = rnd() & 1;
		long ret = raw(int80, nr, a);
		if (nr == SYS_fork && ret == 0)
			exit(0);
		int80 ? by_int80++ : by_syscall++;
		count(ret);
		if (i % REAP_EVERY == 0)
			reap();
	}
	reap();
}

int main(int argc, char **argv)
{
	unsigned long n =
	    argc > 1 ? (unsigned long)atoi(argv[1]) : DEFAULT_COUNT;
	unsigned long seed =
	    argc > 2 ? (unsigned long)atoi(argv[2]) : DEFAULT_SEED;
	struct umemstat before, after;
	memstat(&before);
	int status, pid = fork();
	if (pid == 0) {
		sbrk((long)(-(uint64_t)sbrk(0) & (PAGE - 1))); /* page-align */
		scratch = sbrk(SCRATCH);
		if (scratch == (void *)-1)
			exit(3);
		state = seed * 0x9e3779b97f4a7c15ULL + 1;
		fuzz(n);
		printf("sysfuzz: %lu calls (%lu syscall, %lu int 0x80): %lu "
		       "succeeded, %lu EFAULT, %lu ENOSYS\n",
		       by_syscall + by_int80, by_syscall, by_int80, succeeded,
		       faulted, unknown);
		exit(0);
	}
	if (pid < 0 || wait(&status) != pid) {
		printf("sysfuzz: FAILED (fork: %s)\n", strerror(-pid));
		return 1;
	}
	memstat(&after);
	printf("sysfuzz: seed %lu: free pages before %lu after %lu, user "
	       "pages before %lu after %lu\n",
	       seed, before.free_pages, after.free_pages, before.user_pages,
	       after.user_pages);
	int ok = status == 0 && after.free_pages == before.free_pages &&
		 after.user_pages == before.user_pages;
	printf("sysfuzz: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
