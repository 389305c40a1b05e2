/* test_cmdline.c — the typed option table: values, defaults, warnings, UART
 * specs. */
#include <string.h>

#include "kernel/cmdline.h"
#include "tests/unit/harness.h"

static char warnings[1024];
static void warn(const char *msg)
{
	strcat(warnings, msg);
	strcat(warnings, "\n");
}

static bool flag;
static uint64_t num;
static char str[8];
static int mode;
static const char *const modes[] = {"on", "monitor", "gdb", "off", NULL};
static const struct cmdline_opt opts[] = {
    {"flag", OPT_BOOL, &flag, 0, NULL, ""},
    {"num", OPT_UINT, &num, 0, NULL, ""},
    {"str", OPT_STRING, str, sizeof str, NULL, ""},
    {"debug", OPT_ENUM, &mode, 0, modes, ""},
};

static int parse(const char *line)
{
	warnings[0] = '\0';
	return cmdline_parse(line, opts, 4, warn);
}

static int setup(void **state)
{
	(void)state;
	flag = false;
	num = 7;
	strcpy(str, "dflt");
	mode = 0;
	return 0;
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(parse("  flag num=0x1F str=abc debug=gdb  "), 0);
	assert_true(flag);
	assert_int_equal(num, 31);
	assert_string_equal(str, "abc");
	assert_int_equal(mode, 2);
	assert_int_equal(parse("flag=off num=123"), 0);
	assert_false(flag);
	assert_int_equal(num, 123);
}

static void test_unknown_and_bad_values_warn(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("bogus=1 num=12x debug=maybe str=waytoolong num=5"), 4);
	assert_non_null(strstr(warnings, "unknown option 'bogus' ignored"));
	assert_non_null(
	    strstr(warnings, "option 'num' wants a number, got '12x'"));
	assert_non_null(strstr(warnings, "option 'debug' wants one of"));
	assert_non_null(strstr(warnings, "option 'str' wants"));
	assert_int_equal(num, 5); /* later good values still apply */
	assert_string_equal(str, "dflt");
}

static void test_empty_and_null(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(cmdline_parse(NULL, opts, 4, warn), 0);
	assert_int_equal(num, 7);
	assert_int_equal(parse("num= ="), 2); /* empty value, empty name */
}

static void test_uart_specs(void **state)
{
	(void)state;
	uint16_t port = 0x3f8;
	uint32_t baud = 115200;
	assert_null(cmdline_parse_uart("ttyS1", &port, &baud));
	assert_int_equal(port, 0x2f8);
	assert_int_equal(baud, 115200);
	assert_null(cmdline_parse_uart("io:0xe000,9600", &port, &baud));
	assert_int_equal(port, 0xe000);
	assert_int_equal(baud, 9600);
	assert_null(cmdline_parse_uart(",38400", &port, &baud));
	assert_int_equal(port, 0xe000);
	assert_int_equal(baud, 38400);
	assert_non_null(cmdline_parse_uart("ttyS4", &port, &baud));
	assert_non_null(cmdline_parse_uart("io:zz", &port, &baud));
	/* the UART's clock decides (serial_init): not refused here */
	assert_null(cmdline_parse_uart("ttyS0,230400", &port, &baud));
	assert_int_equal(baud, 230400);
	assert_null(cmdline_parse_uart("ttyS0,38400", &port, &baud));
	assert_non_null(cmdline_parse_uart("ttyS0,4000001", &port, &baud));
	assert_non_null(cmdline_parse_uart("ttyS0,0", &port, &baud));
	assert_int_equal(baud, 38400);
}

/* A number too big for 64 bits is refused (it used to wrap), with the
 * value named; the largest that fits still parses. */
static void test_numbers_that_overflow_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(parse("num=99999999999999999999"), 1);
	assert_int_equal(num, 7);
	assert_non_null(
	    strstr(warnings,
		   "option 'num' wants a number, got '99999999999999999999'"));
	assert_int_equal(parse("num=18446744073709551616"), 1);
	assert_int_equal(parse("num=0x10000000000000000"), 1);
	assert_int_equal(num, 7);
	assert_int_equal(parse("num=18446744073709551615"), 0);
	assert_true(num == UINT64_MAX);
	assert_int_equal(parse("num=0xffffffffffffffff"), 0);
	assert_true(num == UINT64_MAX);
	uint64_t v = 1;
	assert_false(cmdline_parse_uint("184467440737095516150", 21, &v));
	assert_false(cmdline_parse_uint("0x1ffffffffffffffff", 19, &v));
	assert_int_equal(v, 1);
	assert_true(cmdline_parse_uint("0x00000000000000000001", 22, &v));
	assert_int_equal(v, 1); /* leading zeros are not an overflow */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_values, setup),
	    cmocka_unit_test_setup(test_unknown_and_bad_values_warn, setup),
	    cmocka_unit_test_setup(test_empty_and_null, setup),
	    cmocka_unit_test_setup(test_uart_specs, setup),
	    cmocka_unit_test_setup(test_numbers_that_overflow_are_rejected,
				   setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
