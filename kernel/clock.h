/* clock.h — the kernel's time since boot, advanced by whichever timer driver
 * ticks it. */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

/* The timer driver: ticks arrive hz times a second from now on. */
void clock_set_rate(unsigned hz);
/* The timer driver, from its interrupt: one more tick. */
void clock_tick(void);

/* Ticks since the timer started, and their rate (0 before it started). */
uint64_t clock_ticks(void);
unsigned clock_hz(void);
/* Milliseconds of timer time since boot (0 before the timer started). */
uint64_t uptime_ms(void);
/* Microseconds by the TSC, never ahead of real time: it counts the TSC
 * at the fastest rate any x86 TSC runs (CLOCK_TSC_MAX_MHZ), so on a slower
 * one it runs slow. Works before the timer starts and with interrupts off;
 * for bounding waits on hardware, not for telling the time. */
uint64_t clock_floor_us(void);

#endif
