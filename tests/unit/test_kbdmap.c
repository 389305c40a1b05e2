/* test_kbdmap.c — scancode set 1: letters, shift, caps lock, ctrl, releases,
 * extended keys. */
#include "drivers/kbdmap.h"
#include "tests/unit/harness.h"

/* Feed scancodes, collect the characters typed. */
static void type(const uint8_t *sc, int n, char *out)
{
	struct kbd_state st = {0};
	int k = 0;
	for (int i = 0; i < n; i++) {
		int c = kbd_translate(&st, sc[i]);
		if (c >= 0)
			out[k++] = (char)c;
	}
	out[k] = '\0';
}

static void test_sequences(void **state)
{
	(void)state;
	char out[32];
	/* h i (press+release each), Enter */
	const uint8_t hi[] = {0x23, 0xa3, 0x17, 0x97, 0x1c, 0x9c};
	type(hi, 6, out);
	assert_string_equal(out, "hi\n");
	/* shift held: a 1 ; shift released: a */
	const uint8_t sh[] = {0x2a, 0x1e, 0x9e, 0x02, 0x82, 0xaa, 0x1e};
	type(sh, 7, out);
	assert_string_equal(out, "A!a");
	/* caps on: a, shift+a, 1 ; caps off: a */
	const uint8_t caps[] = {0x3a, 0xba, 0x1e, 0x36, 0x1e,
				0xb6, 0x02, 0x3a, 0xba, 0x1e};
	type(caps, 10, out);
	assert_string_equal(out, "Aa1a");
	/* ctrl+c, ctrl+u */
	const uint8_t ctl[] = {0x1d, 0x2e, 0x16, 0x9d, 0x2e};
	type(ctl, 5, out);
	assert_string_equal(out, "\x03\x15"
				 "c");
	/* extended (arrow up) and unmapped codes type nothing */
	const uint8_t ext[] = {0xe0, 0x48, 0xe0, 0xc8, 0x58, 0x7f};
	type(ext, 6, out);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_sequences)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
