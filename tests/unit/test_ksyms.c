/* test_ksyms.c — symbol lookups against a small table and a brute-force search.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/ksyms.h"
#include "tests/unit/harness.h"

#define BASE 0xffffffff80000000ull
const struct ksym ksyms_table[] = {
    {BASE + 0x1000, "_start"},	    {BASE + 0x1040, "kmain"},
    {BASE + 0x1100, "panic"},	    {BASE + 0x1100, "panic_alias"},
    {BASE + 0x2000, "printk"},	    {BASE + 0x8000, "boot_stack"},
    {BASE + 0x9000, "_kernel_end"},
};
const unsigned long ksyms_count = 7;

static void test_exact_and_offsets(void **state)
{
	(void)state;
	uint64_t off;
	assert_string_equal(ksym_lookup(BASE + 0x1040, &off), "kmain");
	assert_int_equal(off, 0);
	assert_string_equal(ksym_lookup(BASE + 0x10ff, &off), "kmain");
	assert_int_equal(off, 0xbf);
	assert_string_equal(ksym_lookup(BASE + 0x1fff, &off), "panic_alias");
	assert_string_equal(ksym_lookup(BASE + 0x8010, &off), "boot_stack");
	assert_null(ksym_lookup(BASE + 0xfff, &off));
	assert_null(ksym_lookup(BASE + 0x9000, &off)); /* past the image */
	assert_null(ksym_lookup(~0ull, &off));
	assert_null(ksym_lookup(0x1234, &off));
}

static void test_find(void **state)
{
	(void)state;
	uint64_t a = 0;
	assert_true(ksym_find("printk", &a));
	assert_int_equal(a, BASE + 0x2000);
	assert_true(ksym_find("_start", &a));
	assert_int_equal(a, BASE + 0x1000);
	assert_false(ksym_find("nosuch", &a));
	assert_false(ksym_find("", &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_and_offsets),
	    cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
