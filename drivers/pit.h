/* pit.h — the 8253/8254 timer: periodic tick, tick counter, uptime. */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include <stdint.h>

#define PIT_DEFAULT_HZ 100

/* Program channel 0 at hz (clamped to 19..10000) and start counting. */
void pit_init(unsigned hz);
uint64_t pit_ticks(void);
unsigned pit_hz(void);
uint64_t uptime_ms(void);
/* Busy-wait (interrupts must be on) for at least ms milliseconds. */
void pit_sleep_ms(uint64_t ms);

#endif
