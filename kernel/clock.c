/* clock.c — the kernel's time since boot: a tick counter the timer driver
 * advances. */
#include "kernel/arch/x86.h"
#include "kernel/clock.h"

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

void clock_sleep_ms(uint64_t ms)
{
	uint64_t end = uptime_ms() + ms;
	while (uptime_ms() < end)
		hlt();
}
