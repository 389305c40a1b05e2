/* test_format.c — kvformat/ksnprintf checked against the host libc's snprintf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "tests/unit/harness.h"

#define SAME(...)                                                              \
	do {                                                                   \
		char want_[256], got_[256];                                    \
		int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);          \
		int gn_ = ksnprintf(got_, sizeof got_, __VA_ARGS__);           \
		assert_string_equal(got_, want_);                              \
		assert_int_equal(gn_, wn_);                                    \
	} while (0)

static void test_conversions(void **state)
{
	(void)state;
	SAME("%d %i %u", -42, 17, 3000000000u);
	SAME("%x %X %lx %llx", 0xbeefu, 0xbeefu, 0xffffffff80000000ul,
	     0x1234567890abcdefull);
	SAME("%s|%c|%%", "text", 'z');
	SAME("%ld %lu %lld", -1L, ~0UL, -9223372036854775807LL - 1);
	SAME("%zu %zx", (size_t)12345, (size_t)0xabc);
}

static void test_width_and_padding(void **state)
{
	(void)state;
	SAME("[%8d] [%-8d] [%08d] [%08x]", 42, 42, 42, 0xab);
	SAME("[%-10s] [%10s] [%3s]", "ab", "cd", "toolong");
	SAME("[%016lx] [%-4c] [%5c]", 0x1ul, 'q', 'r');
	SAME("[%08d] [%8d]", -42, -42);
	SAME("[%.3s] [%.*s] [%*d]", "abcdef", 2, "xyz", 6, 7);
}

static void test_pointer(void **state)
{
	(void)state;
	char got[64];
	ksnprintf(got, sizeof got, "%p", (void *)0xffff800000001000ul);
	assert_string_equal(got, "0xffff800000001000");
	ksnprintf(got, sizeof got, "%p", (void *)0x10);
	assert_string_equal(got, "0x0000000000000010");
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'X', sizeof buf);
	int n = ksnprintf(buf, sizeof buf, "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(ksnprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
}

static void test_null_string_and_unknown(void **state)
{
	(void)state;
	char buf[64];
	const char *volatile nothing = NULL;
	const char *volatile odd = "%q"; /* hidden from -Wformat */
	ksnprintf(buf, sizeof buf, "%s", nothing);
	assert_string_equal(buf, "(null)");
	ksnprintf(buf, sizeof buf, odd);
	assert_string_equal(buf, "%q");
}

/* Randomised: numbers of every size through every integer conversion. */
static void test_random_numbers(void **state)
{
	(void)state;
	static const char *const fmts[] = {"%ld",   "%lu",     "%lx",	"%lX",
					   "%20ld", "%-20lx|", "%020lu"};
	srand(1234);
	for (int i = 0; i < 20000; i++) {
		unsigned long u = ((unsigned long)rand() << 33) ^
				  ((unsigned long)rand() << 11) ^
				  (unsigned long)rand();
		long v = (long)(u >> (rand() % 64));
		if (rand() & 1)
			v = -v - 1;
		SAME(fmts[i % 7], v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conversions),
	    cmocka_unit_test(test_width_and_padding),
	    cmocka_unit_test(test_pointer),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_null_string_and_unknown),
	    cmocka_unit_test(test_random_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
