/* clock.c — the kernel's time since boot: a tick counter the timer driver
 * advances. */
#include "kernel/arch/x86.h"
#include "kernel/clock.h"

/* No x86 TSC ticks faster than this (the fastest parts run their TSC at
 * about 5 GHz; SDM vol. 3B, "Time-Stamp Counter": an invariant TSC runs at
 * the maximum non-turbo frequency). */
#define CLOCK_TSC_MAX_MHZ 8000u

static volatile uint64_t ticks;
static unsigned rate;

void clock_set_rate(unsigned hz)
{
	rate = hz;
}

void clock_tick(void)
{
	ticks++;
}

uint64_t clock_ticks(void)
{
	return ticks;
}

unsigned clock_hz(void)
{
	return rate;
}

uint64_t uptime_ms(void)
{
	return rate ? ticks * 1000 / rate : 0;
}

uint64_t clock_floor_us(void)
{
	return rdtsc() / CLOCK_TSC_MAX_MHZ;
}
