/* test_ring.c — the byte ring: FIFO order, full/empty, wraparound against a
 * model. */
#include <stdlib.h>

#include "kernel/lib/ring.h"
#include "tests/unit/harness.h"

static void test_fifo_full_empty(void **state)
{
	(void)state;
	static struct ring r;
	uint8_t c;
	ring_init(&r);
	assert_false(ring_get(&r, &c));
	for (int i = 0; i < RING_SIZE; i++)
		assert_true(ring_put(&r, (uint8_t)i));
	assert_false(ring_put(&r, 0xff));
	assert_int_equal(r.dropped, 1);
	assert_int_equal(ring_count(&r), RING_SIZE);
	for (int i = 0; i < RING_SIZE; i++) {
		assert_true(ring_get(&r, &c));
		assert_int_equal(c, (uint8_t)i);
	}
	assert_false(ring_get(&r, &c));
}

/* Random puts and gets, checked against a plain array queue. */
static void test_random_against_model(void **state)
{
	(void)state;
	static struct ring r;
	static uint8_t model[1 << 20];
	size_t head = 0, tail = 0;
	ring_init(&r);
	r.head = r.tail = 0xfffffff0u; /* exercise counter wraparound */
	srand(99);
	for (int i = 0; i < 200000; i++) {
		uint8_t c;
		if (rand() % 3) {
			uint8_t v = (uint8_t)rand();
			bool ok = ring_put(&r, v);
			assert_int_equal(ok, head - tail < RING_SIZE);
			if (ok)
				model[head++ % sizeof model] = v;
		} else {
			bool ok = ring_get(&r, &c);
			assert_int_equal(ok, head != tail);
			if (ok)
				assert_int_equal(c,
						 model[tail++ % sizeof model]);
		}
		assert_int_equal(ring_count(&r), head - tail);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fifo_full_empty),
	    cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
