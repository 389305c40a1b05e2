/* ring.c — the single-producer single-consumer byte ring buffer. */
#include "kernel/lib/ring.h"

void ring_init(struct ring *r)
{
	r->head = r->tail = 0;
	r->dropped = 0;
}

size_t ring_count(const struct ring *r)
{
	return (uint32_t)(r->head - r->tail);
}

bool ring_put(struct ring *r, uint8_t c)
{
	if (ring_count(r) == RING_SIZE) {
		r->dropped++;
		return false;
	}
	r->buf[r->head % RING_SIZE] = c;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->head++;
	return true;
}

bool ring_get(struct ring *r, uint8_t *c)
{
	if (r->head == r->tail)
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	*c = r->buf[r->tail % RING_SIZE];
	r->tail++;
	return true;
}
