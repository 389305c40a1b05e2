/* test_spcr.c — RSDP/XSDT/RSDT lookup, SPCR decoding, console= forms. */
#include <string.h>

#include "drivers/acpi.h"
#include "kernel/cmdline.h"
#include "tests/unit/harness.h"

/* A fake physical address space: tables at fixed "physical" offsets. */
#define ARENA_SIZE 0x6000
#define RSDP_AT 0x0100
#define RSDT_AT 0x1000
#define XSDT_AT 0x2000
#define FACP_AT 0x3000
#define SPCR_AT 0x4000
static uint8_t arena[ARENA_SIZE];

static const void *fake_map(uint64_t phys, size_t len)
{
	return phys + len <= ARENA_SIZE ? arena + phys : NULL;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void fix_checksum(uint8_t *t, size_t len, size_t at)
{
	uint8_t sum = 0;
	t[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[at] = (uint8_t)-sum;
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "TRIAGE", 6);
	memcpy(t + 16, "TESTTBL ", 8);
}

/* An SPCR as a firmware would lay it out (Microsoft SPCR spec, rev 2-4). */
static uint8_t *make_spcr(uint8_t rev, uint8_t type, uint8_t space,
			  uint8_t width, uint64_t addr, uint8_t baud_code,
			  uint8_t irq)
{
	uint8_t *t = arena + SPCR_AT;
	uint32_t len = rev >= 4 ? 88 : 80;
	memset(t, 0, 128);
	sdt_header(t, "SPCR", len, rev);
	t[36] = type;
	t[40] = space;		     /* GAS address space id */
	t[41] = width;		     /* GAS register bit width */
	t[43] = width == 32 ? 3 : 1; /* GAS access size: 3 dword, 1 byte */
	put64(t + 44, addr);
	t[52] = irq ? 1 : 0; /* interrupt type: bit 0 = PC-AT 8259 IRQ */
	t[53] = irq;
	t[58] = baud_code;
	t[60] = 1;		   /* stop bits */
	t[62] = 3;		   /* terminal type ANSI */
	put32(t + 64, 0xffffffff); /* not a PCI device */
	fix_checksum(t, len, 9);
	return t;
}

static void make_tables(uint8_t rsdp_rev)
{
	memset(arena, 0, sizeof arena);
	sdt_header(arena + FACP_AT, "FACP", 36, 1);
	fix_checksum(arena + FACP_AT, 36, 9);
	uint8_t *x = arena + XSDT_AT;
	sdt_header(x, "XSDT", 36 + 16, 1);
	put64(x + 36, FACP_AT);
	put64(x + 44, SPCR_AT);
	fix_checksum(x, 52, 9);
	uint8_t *r = arena + RSDT_AT;
	sdt_header(r, "RSDT", 36 + 8, 1);
	put32(r + 36, FACP_AT);
	put32(r + 40, SPCR_AT);
	fix_checksum(r, 44, 9);
	uint8_t *p = arena + RSDP_AT;
	memcpy(p, "RSD PTR ", 8);
	p[15] = rsdp_rev;
	put32(p + 16, RSDT_AT);
	put32(p + 20, 36);
	put64(p + 24, XSDT_AT);
	fix_checksum(p, 20, 8);
	fix_checksum(p, 36, 32);
	make_spcr(2, 0, ACPI_SPACE_IO, 8, 0x3f8, 7, 4);
}

static void test_find_via_xsdt_and_rsdt(void **state)
{
	(void)state;
	const char *why = NULL;
	for (uint8_t rev = 0; rev <= 2; rev += 2) {
		make_tables(rev);
		const void *t =
		    acpi_find_table(arena + RSDP_AT, "SPCR", fake_map, &why);
		assert_ptr_equal(t, arena + SPCR_AT);
		assert_null(
		    acpi_find_table(arena + RSDP_AT, "HPET", fake_map, &why));
		assert_non_null(strstr(why, "no such table"));
	}
	/* revision 2 must use the XSDT: break the RSDT, still found */
	make_tables(2);
	memset(arena + RSDT_AT, 0, 44);
	assert_non_null(
	    acpi_find_table(arena + RSDP_AT, "SPCR", fake_map, &why));
}

static void test_find_rejects_bad_checksums(void **state)
{
	(void)state;
	const char *why = NULL;
	make_tables(2);
	arena[SPCR_AT + 58] ^= 1; /* corrupt the SPCR */
	assert_null(acpi_find_table(arena + RSDP_AT, "SPCR", fake_map, &why));
	make_tables(2);
	arena[RSDP_AT + 16] ^= 1; /* corrupt the RSDP */
	assert_null(acpi_find_table(arena + RSDP_AT, "SPCR", fake_map, &why));
	assert_non_null(strstr(why, "RSDP"));
	assert_null(acpi_find_table(NULL, "SPCR", fake_map, &why));
	assert_non_null(strstr(why, "no ACPI RSDP"));
}

static void test_parse_io_port(void **state)
{
	(void)state;
	struct spcr_info si;
	make_tables(2);
	assert_null(spcr_parse(arena + SPCR_AT, 80, &si));
	assert_int_equal(si.space, ACPI_SPACE_IO);
	assert_int_equal(si.address, 0x3f8);
	assert_int_equal(si.bit_width, 8);
	assert_int_equal(si.baud, 115200);
	assert_int_equal(si.irq, 4);
	assert_int_equal(si.clock, 0);
}

static void test_parse_mmio32_and_rev4_fields(void **state)
{
	(void)state;
	struct spcr_info si;
	uint8_t *t =
	    make_spcr(4, 0x12, ACPI_SPACE_MEMORY, 32, 0xfe032000, 0, 0);
	put32(t + 76, 1843200 * 4); /* UART clock, rev >= 3 */
	put32(t + 80, 921600);	    /* precise baud, rev >= 4 */
	fix_checksum(t, 88, 9);
	assert_null(spcr_parse(t, 88, &si));
	assert_int_equal(si.space, ACPI_SPACE_MEMORY);
	assert_int_equal(si.bit_width, 32);
	assert_int_equal(si.address, 0xfe032000);
	assert_int_equal(si.clock, 1843200 * 4);
	assert_int_equal(si.baud, 921600);
	assert_int_equal(si.irq, 0);
	/* revision 2: bytes 76-79 are reserved, not a clock */
	t = make_spcr(2, 0, ACPI_SPACE_MEMORY, 8, 0xfe032000, 6, 0);
	put32(t + 76, 1234);
	fix_checksum(t, 80, 9);
	assert_null(spcr_parse(t, 80, &si));
	assert_int_equal(si.clock, 0);
	assert_int_equal(si.baud, 57600);
}

static void test_baud_encoding(void **state)
{
	(void)state;
	static const struct {
		uint8_t code;
		uint32_t baud;
	} cases[] = {{0, 0},	 {3, 9600},   {4, 19200}, {5, 0},
		     {6, 57600}, {7, 115200}, {8, 0}};
	struct spcr_info si;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_spcr(2, 0, ACPI_SPACE_IO, 8, 0x2f8, cases[i].code, 3);
		assert_null(spcr_parse(arena + SPCR_AT, 80, &si));
		assert_int_equal(si.baud, cases[i].baud);
	}
}

static void test_parse_rejects(void **state)
{
	(void)state;
	struct spcr_info si;
	uint8_t *t = make_spcr(2, 0, ACPI_SPACE_IO, 8, 0x3f8, 7, 4);
	t[9]++;
	assert_non_null(strstr(spcr_parse(t, 80, &si), "checksum"));
	t = make_spcr(2, 3 /* ARM PL011 */, ACPI_SPACE_MEMORY, 32, 0x9000000, 7,
		      0);
	assert_non_null(strstr(spcr_parse(t, 80, &si), "not 16550"));
	t = make_spcr(2, 0, ACPI_SPACE_IO, 8, 0, 7, 0);
	assert_non_null(strstr(spcr_parse(t, 80, &si), "disabled"));
	t = make_spcr(2, 0, 2 /* PCI config space */, 8, 0x3f8, 7, 0);
	assert_non_null(strstr(spcr_parse(t, 80, &si), "neither"));
	t = make_spcr(2, 0, ACPI_SPACE_IO, 8, 0x3f8, 7, 0);
	assert_non_null(strstr(spcr_parse(t, 79, &si), "too short"));
	memcpy(t, "SPCX", 4);
	assert_non_null(strstr(spcr_parse(t, 80, &si), "not an SPCR"));
}

static void test_console_spec_forms(void **state)
{
	(void)state;
	struct uart_spec s;
	assert_null(cmdline_parse_uart_spec("", &s));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	assert_null(cmdline_parse_uart_spec("auto,9600", &s));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	assert_int_equal(s.baud, 9600);
	assert_null(cmdline_parse_uart_spec("none", &s));
	assert_int_equal(s.kind, UART_SPEC_NONE);
	assert_null(cmdline_parse_uart_spec("ttyS2", &s));
	assert_int_equal(s.kind, UART_SPEC_IO);
	assert_int_equal(s.addr, 0x3e8);
	assert_int_equal(s.baud, 0);
	assert_null(cmdline_parse_uart_spec("io:0xc000,38400", &s));
	assert_int_equal(s.kind, UART_SPEC_IO);
	assert_int_equal(s.addr, 0xc000);
	assert_int_equal(s.baud, 38400);
	assert_null(cmdline_parse_uart_spec("mmio:0xfe030000,115200", &s));
	assert_int_equal(s.kind, UART_SPEC_MMIO);
	assert_int_equal(s.addr, 0xfe030000);
	assert_null(cmdline_parse_uart_spec("mmio32:0xfe030000", &s));
	assert_int_equal(s.kind, UART_SPEC_MMIO32);
	assert_null(cmdline_parse_uart_spec("pci,57600", &s));
	assert_int_equal(s.kind, UART_SPEC_PCI);
	assert_int_equal(s.baud, 57600);
}

static void test_console_spec_errors(void **state)
{
	(void)state;
	struct uart_spec s;
	const char *e = cmdline_parse_uart_spec("ttyS9", &s);
	assert_non_null(strstr(e, "expected ttyS0..ttyS3"));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	assert_non_null(cmdline_parse_uart_spec("mmio:", &s));
	assert_non_null(cmdline_parse_uart_spec("mmio:0", &s));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	/* a rate the UART's clock cannot make is serial_init's to refuse */
	assert_null(cmdline_parse_uart_spec("pci,230400", &s));
	assert_int_equal(s.baud, 230400);
	assert_non_null(cmdline_parse_uart_spec("pci,4000001", &s));
	assert_non_null(cmdline_parse_uart_spec("pci,x", &s));
	assert_non_null(cmdline_parse_uart_spec("averyveryverylongname", &s));
}

/* Addresses whose registers would wrap past 2^64, misaligned 32-bit
 * registers and numbers too big for 64 bits are refused at parse time;
 * the spec keeps the text so later messages can name it. */
static void test_console_spec_hostile_addresses(void **state)
{
	(void)state;
	struct uart_spec s;
	const char *e = cmdline_parse_uart_spec("mmio:0xffffffffffffffff", &s);
	assert_non_null(e);
	assert_non_null(strstr(e, "past the top"));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	assert_non_null(cmdline_parse_uart_spec("mmio:0xfffffffffffffff9", &s));
	assert_null(cmdline_parse_uart_spec("mmio:0xfffffffffffffff8", &s));
	assert_non_null(
	    cmdline_parse_uart_spec("mmio32:0xfffffffffffffffc", &s));
	assert_non_null(
	    cmdline_parse_uart_spec("mmio:0x1ffffffffffffffff", &s));
	assert_non_null(
	    cmdline_parse_uart_spec("mmio:99999999999999999999", &s));
	e = cmdline_parse_uart_spec("mmio32:0xfe030002", &s);
	assert_non_null(e);
	assert_non_null(strstr(e, "aligned"));
	assert_int_equal(s.kind, UART_SPEC_AUTO);
	assert_null(cmdline_parse_uart_spec("mmio:0xfe030001,9600", &s));
	assert_int_equal(s.kind, UART_SPEC_MMIO); /* byte registers: any */
	assert_string_equal(s.text, "mmio:0xfe030001,9600");
	assert_null(cmdline_parse_uart_spec("ttyS1", &s));
	assert_string_equal(s.text, "ttyS1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_via_xsdt_and_rsdt),
	    cmocka_unit_test(test_find_rejects_bad_checksums),
	    cmocka_unit_test(test_parse_io_port),
	    cmocka_unit_test(test_parse_mmio32_and_rev4_fields),
	    cmocka_unit_test(test_baud_encoding),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_console_spec_forms),
	    cmocka_unit_test(test_console_spec_errors),
	    cmocka_unit_test(test_console_spec_hostile_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
