/* test_initrd.c — the ustar reader on archives built here. */
#include <stdio.h>
#include <string.h>

#include "fs/initrd.h"
#include "tests/unit/harness.h"

#define ARCHIVE_MAX (16 * USTAR_BLOCK)

static uint8_t ar[ARCHIVE_MAX];
static size_t len;

/* Append a member: header (POSIX ustar magic, checksum) then data. */
static uint8_t *add(const char *prefix, const char *name, char type,
		    const char *data)
{
	uint8_t *h = ar + len;
	size_t n = data ? strlen(data) : 0;
	memset(h, 0, USTAR_BLOCK);
	strncpy((char *)h, name, 100);
	if (prefix)
		strncpy((char *)h + 345, prefix, 155);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)n & 07777777u);
	h[156] = (uint8_t)type;
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < USTAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	len += USTAR_BLOCK;
	if (n)
		memcpy(ar + len, data, n);
	len += (n + USTAR_BLOCK - 1) / USTAR_BLOCK * USTAR_BLOCK;
	return h;
}

/* init, a directory, ./hello and a file whose name uses the prefix. */
static void build(void)
{
	memset(ar, 0, sizeof ar);
	len = 0;
	add(0, "init", '0', "INIT");
	add(0, "bin/", '5', 0);
	add(0, "./hello", '0', "hello world");
	add("deep/dir", "file", '0', "x");
	len += 2 * USTAR_BLOCK; /* end-of-archive marker */
}

static struct initrd rd(void)
{
	return (struct initrd){ar, len};
}

static void test_find(void **state)
{
	(void)state;
	build();
	struct initrd r = rd();
	struct initrd_file f;
	assert_true(initrd_find(&r, "init", &f));
	assert_int_equal(f.size, 4);
	assert_memory_equal(f.data, "INIT", 4);
	assert_true(initrd_find(&r, "/hello", &f));
	assert_string_equal(f.name, "hello");
	assert_int_equal(f.size, 11);
	assert_true(initrd_find(&r, "./deep/dir/file", &f));
	assert_false(initrd_find(&r, "bin", &f)); /* a directory */
	assert_false(initrd_find(&r, "missing", &f));
}

static void test_listing(void **state)
{
	(void)state;
	build();
	struct initrd r = rd();
	struct initrd_file f;
	const char *names[] = {"init", "hello", "deep/dir/file"};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(initrd_file_at(&r, i, &f, 0), 0);
		assert_string_equal(f.name, names[i]);
	}
	assert_int_equal(initrd_file_at(&r, 3, &f, 0), -1);
	const char *why = 0;
	assert_int_equal(initrd_check(&r, &why), 3);
}

static void test_empty_and_tiny(void **state)
{
	(void)state;
	const char *why = 0;
	memset(ar, 0, sizeof ar);
	struct initrd r = {ar, 2 * USTAR_BLOCK};
	assert_int_equal(initrd_check(&r, &why), 0);
	r.size = 0;
	assert_int_equal(initrd_check(&r, &why), 0);
	build();
	r = (struct initrd){ar, 100}; /* less than one header */
	assert_int_equal(initrd_check(&r, &why), 0);
}

static void expect_malformed(const char *want)
{
	struct initrd r = rd();
	const char *why = 0;
	assert_int_equal(initrd_check(&r, &why), -1);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("reason '%s' lacks '%s'", why, want);
}

static void test_bad_checksum(void **state)
{
	(void)state;
	build();
	ar[0] = 'X'; /* the name changes, the checksum does not */
	expect_malformed("checksum");
}

static void test_bad_magic(void **state)
{
	(void)state;
	build();
	memcpy(ar + 257, "nope!", 5);
	expect_malformed("magic");
}

static void test_member_past_end(void **state)
{
	(void)state;
	memset(ar, 0, sizeof ar);
	len = 0;
	add(0, "big", '0', "0123456789");
	len = USTAR_BLOCK + 4; /* the data is cut short */
	expect_malformed("past the end");
}

static void test_bad_size_field(void **state)
{
	(void)state;
	memset(ar, 0, sizeof ar);
	len = 0;
	uint8_t *h = add(0, "f", '0', "abc");
	h[124] = '9'; /* not octal; fix the checksum so size is what fails */
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < USTAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	expect_malformed("size");
}

static void test_malformed_after_good_files(void **state)
{
	(void)state;
	build();
	uint8_t *third =
	    ar + 5 * USTAR_BLOCK; /* after init 2, dir 1, hello 2 */
	third[148] = '7';
	struct initrd r = rd();
	struct initrd_file f;
	assert_int_equal(initrd_file_at(&r, 0, &f, 0), 0);
	assert_int_equal(initrd_file_at(&r, 2, &f, 0), -2);
	assert_false(initrd_find(&r, "deep/dir/file", &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_listing),
	    cmocka_unit_test(test_empty_and_tiny),
	    cmocka_unit_test(test_bad_checksum),
	    cmocka_unit_test(test_bad_magic),
	    cmocka_unit_test(test_member_past_end),
	    cmocka_unit_test(test_bad_size_field),
	    cmocka_unit_test(test_malformed_after_good_files),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
