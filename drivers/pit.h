/* pit.h — the 8253/8254 timer: the periodic tick of the kernel clock
 * (kernel/clock.h). */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

/* Program channel 0 at hz (clamped to 19..10000) and start ticking. */
void pit_init(unsigned hz);

#endif
