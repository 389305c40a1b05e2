/* pit.h — the 8253/8254 timer: the periodic tick of the kernel clock
 * (kernel/clock.h). */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include <stdint.h>

/* Program channel 0 at hz (clamped to 19..10000) and start ticking. */
void pit_init(unsigned hz);

#define PIT_FREQ 1193182 /* input clock in Hz */

/* A stopwatch that works with interrupts off (inside the debugger): input
 * clocks (PIT_FREQ a second) counted from channel 0's down-counter. It
 * sees time only while called at least once per timer period; 0 for ever
 * before pit_init. */
uint64_t pit_poll_clocks(void);

#endif
