/* ubench.c — cycles measured in ring 3 (rdtsc): a null system call
 * (getpid) by `syscall` and by `int 0x80`, and a context switch between
 * two processes yielding to each other (also with both using x87/SSE),
 * and an FXSAVE/FXRSTOR pair.
 * One line per figure, "ubench: NAME VALUE UNIT"; bench/user_bench.py
 * boots init=ubench. */
#include "user/lib/ulib.h"

#define CALLS 10000 /* system calls per timed batch */
#define ROUNDS 21   /* batches; the median is reported */
#define YIELDS 2000 /* yields per process per context-switch round */

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Cycles of one getpid through entry (syscall6 or int80_6), averaged
 * over a batch. */
static uint64_t null_call(long (*entry)(long, long, long, long, long, long))
{
	uint64_t t0 = rdtsc();
	for (int i = 0; i < CALLS; i++)
		entry(SYS_getpid, 0, 0, 0, 0, 0);
	return (rdtsc() - t0) / CALLS;
}

/* Batches of both entries alternate, so that a noisy moment on the host
 * hits both: medians of each and of the per-round ratio (x100). */
static void null_calls(uint64_t *sc, uint64_t *i80, uint64_t *ratio100)
{
	uint64_t s[ROUNDS], i[ROUNDS], r[ROUNDS];
	null_call(syscall6); /* warm up */
	for (int k = 0; k < ROUNDS; k++) {
		s[k] = null_call(syscall6);
		i[k] = null_call(int80_6);
		r[k] = i[k] * 100 / (s[k] ? s[k] : 1);
	}
	*sc = median(s, ROUNDS);
	*i80 = median(i, ROUNDS);
	*ratio100 = median(r, ROUNDS);
}

/* Cycles of one FXSAVE64 + FXRSTOR64 pair (unprivileged: timed here in
 * ring 3): what an eager switch adds when the process changes. */
static uint64_t fxsave_pair(void)
{
	static uint8_t area[512] __attribute__((aligned(16)));
	uint64_t per[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = rdtsc();
		for (int i = 0; i < CALLS; i++)
			__asm__ volatile("fxsave64 %0\n\tfxrstor64 %0"
					 : "+m"(area));
		per[r] = (rdtsc() - t0) / CALLS;
	}
	return median(per, ROUNDS);
}

/* One yield, after touching the x87 and SSE registers when fpu is set
 * (a process that uses floating point between switches). */
static void yield_fpu(int fpu)
{
	if (fpu)
		__asm__ volatile("fld1\n\tfstp %%st(0)\n\taddsd %%xmm1, %%xmm0"
				 :
				 :
				 : "xmm0", "memory");
	yield();
}

/* Median cycles of one yield; with a partner process yielding too, each
 * yield is two switches (to the partner and back). */
static uint64_t yields(int partner, int fpu)
{
	uint64_t per[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		int pid = partner ? fork() : -1;
		if (pid == 0) {
			for (int i = 0; i < YIELDS + 1; i++)
				yield_fpu(fpu);
			exit(0);
		}
		yield(); /* let the partner reach its loop */
		uint64_t t0 = rdtsc();
		for (int i = 0; i < YIELDS; i++)
			yield_fpu(fpu);
		per[r] = (rdtsc() - t0) / YIELDS;
		if (pid > 0)
			wait(0);
	}
	return median(per, ROUNDS);
}

int main(void)
{
	uint64_t sc, i80, ratio;
	null_calls(&sc, &i80, &ratio);
	printf("ubench: syscall_getpid %lu cycles\n", sc);
	printf("ubench: int80_getpid %lu cycles\n", i80);
	printf("ubench: int80_vs_syscall %lu.%02lu x\n", ratio / 100,
	       ratio % 100);
	printf("ubench: yield_alone %lu cycles\n", yields(0, 0));
	printf("ubench: context_switch %lu cycles\n", yields(1, 0) / 2);
	printf("ubench: context_switch_fpu %lu cycles\n", yields(1, 1) / 2);
	printf("ubench: fxsave_fxrstor %lu cycles\n", fxsave_pair());
	printf("ubench: done\n");
	return 0;
}
