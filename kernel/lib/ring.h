/* ring.h — a fixed-size byte ring buffer: one producer (an interrupt), one
 * consumer. */
#ifndef KERNEL_LIB_RING_H
#define KERNEL_LIB_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_SIZE 1024 /* a power of two */

struct ring {
	volatile uint32_t
	    head; /* next slot to write; only the producer moves it */
	volatile uint32_t
	    tail;	  /* next slot to read; only the consumer moves it */
	uint32_t dropped; /* bytes lost because the ring was full */
	uint8_t buf[RING_SIZE];
};

void ring_init(struct ring *r);
/* Append a byte; false (and counted in dropped) when full. */
bool ring_put(struct ring *r, uint8_t c);
/* Remove the oldest byte into *c; false when empty. */
bool ring_get(struct ring *r, uint8_t *c);
size_t ring_count(const struct ring *r);

#endif
