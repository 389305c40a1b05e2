/* test_ata.c — the ATA PIO protocol (drivers/ata.c) against a simulated
 * channel written from the ATA/ATAPI-6 register description: IDENTIFY,
 * LBA28/LBA48 task files, multi-sector transfers, and the failures a real
 * bus shows (floating bus, absent drive, BSY stuck, no DRQ, UNC, DF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ata.h"
#include "kernel/lib/errno.h"
#include "tests/unit/harness.h"

#define BASE 0x1f0
#define CTRL 0x3f6
#define MAX_STORED 2048
#define NO_FAULT UINT64_MAX

/* Status/error bits as the device sets them. */
#define S_BSY 0x80
#define S_DRDY 0x40
#define S_DF 0x20
#define S_DRQ 0x08
#define S_ERR 0x01
#define E_ABRT 0x04
#define E_IDNF 0x10
#define E_UNC 0x40

struct fdrive {
	bool present, atapi, lba48, lba;
	uint64_t sectors;
	bool bsy_stuck, no_drq;
	uint64_t unc_sector, df_sector; /* NO_FAULT when none */
};

enum fmode { IDLE, PIO_IN, PIO_OUT };

static struct fake {
	bool floating;
	struct fdrive drv[2];
	int sel;
	uint8_t count[2], lo[2], mid[2], hi[2]; /* [0] newest, [1] previous */
	uint8_t dev, status, error, ctl;
	enum fmode mode;
	uint16_t buf[256];
	uint64_t lba;
	unsigned left;
	/* written sectors; unwritten ones read a pattern made from the LBA */
	uint64_t st_lba[MAX_STORED];
	uint8_t st_data[MAX_STORED][512];
	int nstored;
	uint64_t max_lba_touched;
	int commands, ext_commands;
} F;

static void pattern(uint64_t lba, uint8_t *out)
{
	for (int i = 0; i < 512; i++)
		out[i] = (uint8_t)(lba * 7 + i + (lba >> 24) * 13);
}

static uint8_t *stored(uint64_t lba, bool create)
{
	for (int i = 0; i < F.nstored; i++)
		if (F.st_lba[i] == lba)
			return F.st_data[i];
	if (!create)
		return 0;
	assert_true(F.nstored < MAX_STORED);
	F.st_lba[F.nstored] = lba;
	return F.st_data[F.nstored++];
}

static void sector_get(uint64_t lba, uint8_t *out)
{
	uint8_t *s = stored(lba, false);
	if (s)
		memcpy(out, s, 512);
	else
		pattern(lba, out);
}

static void put_string(uint16_t *w, const char *s, int words)
{
	char tmp[64];
	memset(tmp, ' ', sizeof tmp);
	memcpy(tmp, s, strlen(s));
	for (int i = 0; i < words; i++)
		w[i] = (uint16_t)((uint8_t)tmp[2 * i] << 8 |
				  (uint8_t)tmp[2 * i + 1]);
}

static void identify_data(const struct fdrive *d, bool packet)
{
	memset(F.buf, 0, sizeof F.buf);
	put_string(F.buf + 10, packet ? "CD0001" : "SN12345", 10);
	put_string(F.buf + 23, "FW1.0", 4);
	put_string(F.buf + 27, packet ? "FAKE CDROM" : "FAKE DISK", 20);
	if (d->lba)
		F.buf[49] = 1u << 9;
	uint64_t l28 = d->sectors < (1ull << 28) ? d->sectors : 0x0fffffff;
	F.buf[60] = (uint16_t)l28;
	F.buf[61] = (uint16_t)(l28 >> 16);
	if (d->lba48) {
		F.buf[83] = 1u << 10;
		for (int i = 0; i < 4; i++)
			F.buf[100 + i] = (uint16_t)(d->sectors >> (16 * i));
	}
}

static void set_error(uint8_t err)
{
	F.status = S_DRDY | S_ERR;
	F.error = err;
	F.mode = IDLE;
}

/* Before the transfer of the sector at F.lba. */
static void next_sector(bool write)
{
	struct fdrive *d = &F.drv[F.sel];
	if (F.lba > F.max_lba_touched || F.max_lba_touched == NO_FAULT)
		F.max_lba_touched = F.lba;
	if (F.lba == d->unc_sector && !write)
		return set_error(E_UNC);
	if (F.lba == d->df_sector) {
		F.status = S_DRDY | S_DF | S_ERR;
		F.error = E_ABRT;
		F.mode = IDLE;
		return;
	}
	F.mode = write ? PIO_OUT : PIO_IN;
	if (!write)
		sector_get(F.lba, (uint8_t *)F.buf);
	F.status = d->no_drq ? S_DRDY : (S_DRDY | S_DRQ);
}

static void rw_command(bool ext, bool write)
{
	struct fdrive *d = &F.drv[F.sel];
	uint64_t lba;
	unsigned count;
	F.commands++;
	if (ext) {
		F.ext_commands++;
		lba = (uint64_t)F.hi[1] << 40 | (uint64_t)F.mid[1] << 32 |
		      (uint64_t)F.lo[1] << 24 | (uint64_t)F.hi[0] << 16 |
		      (uint64_t)F.mid[0] << 8 | F.lo[0];
		count = (unsigned)F.count[1] << 8 | F.count[0];
		count = count ? count : 65536;
	} else {
		lba = (uint64_t)(F.dev & 0x0f) << 24 | (uint64_t)F.hi[0] << 16 |
		      (uint64_t)F.mid[0] << 8 | F.lo[0];
		count = F.count[0] ? F.count[0] : 256;
	}
	if ((ext && !d->lba48) || !(F.dev & 0x40))
		return set_error(E_ABRT);
	if (lba + count > d->sectors)
		return set_error(E_IDNF | E_ABRT);
	F.lba = lba;
	F.left = count;
	next_sector(write);
}

static void command(uint8_t cmd)
{
	struct fdrive *d = &F.drv[F.sel];
	if (!d->present)
		return;
	F.error = 0;
	switch (cmd) {
	case 0xec: /* IDENTIFY DEVICE */
		if (d->atapi) {
			F.mid[0] = 0x14, F.hi[0] = 0xeb;
			return set_error(E_ABRT);
		}
		identify_data(d, false);
		F.left = 1, F.mode = PIO_IN, F.lba = NO_FAULT;
		F.status = S_DRDY | S_DRQ;
		return;
	case 0xa1: /* IDENTIFY PACKET DEVICE */
		if (!d->atapi)
			return set_error(E_ABRT);
		identify_data(d, true);
		F.left = 1, F.mode = PIO_IN, F.lba = NO_FAULT;
		F.status = S_DRQ;
		return;
	case 0x20:
	case 0x24:
	case 0x30:
	case 0x34:
		return rw_command(cmd & 0x04, cmd & 0x10);
	case 0xe7:
	case 0xea:
		F.status = S_DRDY;
		return;
	default:
		set_error(E_ABRT);
	}
}

static uint8_t status_now(void)
{
	if (F.floating)
		return 0xff;
	struct fdrive *d = &F.drv[F.sel];
	if (!d->present)
		return 0;
	if (d->bsy_stuck)
		return S_BSY;
	return F.status;
}

static uint8_t f_in8(uint16_t port)
{
	if (F.floating)
		return 0xff;
	if (port == CTRL)
		return status_now();
	switch (port - BASE) {
	case 1:
		return F.error;
	case 2:
		return F.count[0];
	case 3:
		return F.lo[0];
	case 4:
		return F.mid[0];
	case 5:
		return F.hi[0];
	case 6:
		return F.dev;
	case 7:
		return status_now();
	}
	fail_msg("read of unexpected port 0x%x", port);
	return 0;
}

static void shift(uint8_t r[2], uint8_t v)
{
	r[1] = r[0];
	r[0] = v;
}

static void f_out8(uint16_t port, uint8_t v)
{
	if (port == CTRL) {
		F.ctl = v;
		return;
	}
	switch (port - BASE) {
	case 1:
		return;
	case 2:
		return shift(F.count, v);
	case 3:
		return shift(F.lo, v);
	case 4:
		return shift(F.mid, v);
	case 5:
		return shift(F.hi, v);
	case 6:
		F.dev = v;
		F.sel = (v >> 4) & 1;
		return;
	case 7:
		return command(v);
	}
	fail_msg("write of unexpected port 0x%x", port);
}

static void sector_done(bool write)
{
	if (write)
		memcpy(stored(F.lba, true), F.buf, 512);
	if (--F.left == 0) {
		F.mode = IDLE;
		F.status = S_DRDY;
		return;
	}
	F.lba++;
	next_sector(write);
}

static void f_in16s(uint16_t port, void *buf, size_t words)
{
	assert_int_equal(port, BASE);
	assert_int_equal(words, 256);
	assert_int_equal(F.mode, PIO_IN);
	memcpy(buf, F.buf, 512);
	if (F.lba == NO_FAULT) { /* IDENTIFY */
		F.mode = IDLE;
		F.status = S_DRDY;
		return;
	}
	sector_done(false);
}

static void f_out16s(uint16_t port, const void *buf, size_t words)
{
	assert_int_equal(port, BASE);
	assert_int_equal(words, 256);
	assert_int_equal(F.mode, PIO_OUT);
	memcpy(F.buf, buf, 512);
	sector_done(true);
}

static const struct ata_io fake_io = {f_in8, f_out8, f_in16s, f_out16s, 0, 0};
static struct ata_channel ch;

static struct fdrive disk(uint64_t sectors, bool lba48)
{
	return (struct fdrive){.present = true,
			       .lba = true,
			       .lba48 = lba48,
			       .sectors = sectors,
			       .unc_sector = NO_FAULT,
			       .df_sector = NO_FAULT};
}

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof F);
	F.max_lba_touched = NO_FAULT;
	F.status = S_DRDY;
	F.drv[0] = disk(131072, true);
	memset(&ch, 0, sizeof ch);
	ch.io = &fake_io;
	ch.base = BASE;
	ch.ctrl = CTRL;
	ch.irq = ATA_NO_IRQ;
	return 0;
}

static void test_identify_disk(void **state)
{
	(void)state;
	struct ata_device d;
	char why[96];
	assert_int_equal(ata_probe(&d, &ch, 0, why, sizeof why), ATA_DISK);
	assert_string_equal(d.name, "ata0 master");
	assert_string_equal(d.model, "FAKE DISK");
	assert_string_equal(d.serial, "SN12345");
	assert_string_equal(d.firmware, "FW1.0");
	assert_int_equal(d.sectors, 131072);
	assert_true(d.lba48);
}

static void test_identify_lba28_only(void **state)
{
	(void)state;
	struct ata_device d;
	char why[96];
	F.drv[0] = disk(50000, false);
	assert_int_equal(ata_probe(&d, &ch, 0, why, sizeof why), ATA_DISK);
	assert_false(d.lba48);
	assert_int_equal(d.sectors, 50000);
}

static void test_atapi_left_alone(void **state)
{
	(void)state;
	struct ata_device d;
	char why[96];
	F.drv[1] = (struct fdrive){.present = true, .atapi = true};
	assert_int_equal(ata_probe(&d, &ch, 1, why, sizeof why), ATA_ATAPI);
	assert_string_equal(d.name, "ata0 slave");
	assert_string_equal(d.model, "FAKE CDROM");
	assert_int_equal(d.errors, 0);
	char buf[512];
	assert_int_equal(ata_read(&d, 0, 1, buf), -EINVAL);
}

static void test_absent_and_floating(void **state)
{
	(void)state;
	struct ata_device d;
	char why[96];
	assert_int_equal(ata_probe(&d, &ch, 1, why, sizeof why), ATA_NONE);
	assert_non_null(strstr(why, "no device"));
	F.floating = true;
	assert_int_equal(ata_probe(&d, &ch, 0, why, sizeof why), ATA_NONE);
	assert_non_null(strstr(why, "floating"));
}

static void test_bsy_stuck_is_bounded(void **state)
{
	(void)state;
	struct ata_device d;
	char why[96];
	F.drv[0].bsy_stuck = true;
	assert_int_equal(ata_probe(&d, &ch, 0, why, sizeof why), ATA_NONE);
	assert_non_null(strstr(why, "timed out"));
	assert_non_null(strstr(why, "BSY never cleared"));
}

static struct ata_device probed(void)
{
	struct ata_device d;
	char why[96];
	assert_int_equal(ata_probe(&d, &ch, 0, why, sizeof why), ATA_DISK);
	return d;
}

static void test_read_write_many_sectors(void **state)
{
	(void)state;
	struct ata_device d = probed();
	enum { N = 300 }; /* two commands: 256 + 44 */
	uint8_t *w = malloc(N * 512), *r = malloc(N * 512);
	for (int i = 0; i < N * 512; i++)
		w[i] = (uint8_t)(i * 31 + 5);
	int before = F.commands;
	assert_int_equal(ata_write(&d, 1000, N, w), 0);
	assert_int_equal(F.commands - before, 2);
	for (int i = 0; i < N; i++) /* on the device, at the right LBAs */
		assert_memory_equal(stored(1000 + i, false), w + i * 512, 512);
	assert_int_equal(ata_read(&d, 1000, N, r), 0);
	assert_memory_equal(r, w, N * 512);
	assert_int_equal(F.ext_commands, 0); /* LBA28 reaches it */
	assert_int_equal(d.sectors_written, N);
	assert_int_equal(d.sectors_read, N);
	assert_int_equal(d.errors, 0);
	free(w);
	free(r);
}

static void test_lba48_addresses(void **state)
{
	(void)state;
	F.drv[0] = disk((1ull << 33) + 100, true); /* 4 TiB */
	struct ata_device d = probed();
	uint8_t r[3 * 512], want[512];
	uint64_t lba = (1ull << 32) + 0x123456;
	assert_int_equal(ata_read(&d, lba, 3, r), 0);
	assert_int_equal(F.ext_commands, 1);
	for (int i = 0; i < 3; i++) {
		pattern(lba + i, want);
		assert_memory_equal(r + i * 512, want, 512);
	}
	/* forced LBA48 at a low address reads what LBA28 reads */
	uint8_t a[512], b[512];
	assert_int_equal(ata_transfer(&d, 77, 1, a, false, true), 0);
	assert_int_equal(F.ext_commands, 2);
	assert_int_equal(ata_transfer(&d, 77, 1, b, false, false), 0);
	assert_int_equal(F.ext_commands, 2);
	assert_memory_equal(a, b, 512);
	/* the range straddling 2^28 needs LBA48 */
	assert_int_equal(ata_read(&d, (1ull << 28) - 1, 2, r), 0);
	assert_int_equal(F.ext_commands, 3);
}

static void test_lba48_refused_on_lba28_device(void **state)
{
	(void)state;
	F.drv[0] = disk(1000, false);
	struct ata_device d = probed();
	uint8_t r[512];
	assert_int_equal(ata_transfer(&d, 1, 1, r, false, true), -EINVAL);
	assert_int_equal(F.commands, 0);
}

static void test_past_end_refused(void **state)
{
	(void)state;
	struct ata_device d = probed();
	uint8_t r[2 * 512];
	assert_int_equal(ata_read(&d, 131071, 2, r), -EINVAL);
	assert_int_equal(ata_read(&d, UINT64_MAX, 1, r), -EINVAL);
	assert_int_equal(F.commands, 0);
	assert_non_null(strstr(d.last_error, "past the end"));
	assert_int_equal(ata_read(&d, 131071, 1, r), 0);
}

static void test_unc_error_decoded(void **state)
{
	(void)state;
	F.drv[0].unc_sector = 505;
	struct ata_device d = probed();
	uint8_t r[10 * 512];
	assert_int_equal(ata_read(&d, 500, 10, r), -EIO);
	assert_non_null(strstr(d.last_error, "ata0 master"));
	assert_non_null(strstr(d.last_error, "read sector 505"));
	assert_non_null(strstr(d.last_error, "ERR"));
	assert_non_null(strstr(d.last_error, "UNC"));
	assert_int_equal(d.errors, 1);
	/* the device is usable afterwards */
	assert_int_equal(ata_read(&d, 0, 1, r), 0);
}

static void test_device_fault_on_write(void **state)
{
	(void)state;
	F.drv[0].df_sector = 9;
	struct ata_device d = probed();
	uint8_t w[4 * 512] = {0};
	assert_int_equal(ata_write(&d, 8, 4, w), -EIO);
	assert_non_null(strstr(d.last_error, "DF"));
	assert_non_null(strstr(d.last_error, "ABRT"));
	assert_non_null(strstr(d.last_error, "write sector 9"));
}

static void test_no_drq_times_out(void **state)
{
	(void)state;
	struct ata_device d = probed();
	F.drv[0].no_drq = true;
	uint8_t r[512];
	assert_int_equal(ata_read(&d, 3, 1, r), -EIO);
	assert_non_null(strstr(d.last_error, "timed out"));
	assert_non_null(strstr(d.last_error, "no DRQ"));
	assert_int_equal(d.timeouts, 1);
	F.drv[0].no_drq = false;
	F.drv[0].bsy_stuck = true;
	assert_int_equal(ata_read(&d, 3, 1, r), -EIO);
	assert_non_null(strstr(d.last_error, "BSY never cleared"));
	assert_false(ch.busy);
}

static void test_flush(void **state)
{
	(void)state;
	struct ata_device d = probed();
	assert_int_equal(ata_flush(&d), 0);
}

static void test_names(void **state)
{
	(void)state;
	char b[64];
	ata_status_names(0x51, b, sizeof b);
	assert_string_equal(b, "DRDY DSC ERR");
	ata_error_names(0x54, b, sizeof b);
	assert_string_equal(b, "UNC IDNF ABRT");
	ata_error_names(0, b, sizeof b);
	assert_string_equal(b, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_identify_disk, setup),
	    cmocka_unit_test_setup(test_identify_lba28_only, setup),
	    cmocka_unit_test_setup(test_atapi_left_alone, setup),
	    cmocka_unit_test_setup(test_absent_and_floating, setup),
	    cmocka_unit_test_setup(test_bsy_stuck_is_bounded, setup),
	    cmocka_unit_test_setup(test_read_write_many_sectors, setup),
	    cmocka_unit_test_setup(test_lba48_addresses, setup),
	    cmocka_unit_test_setup(test_lba48_refused_on_lba28_device, setup),
	    cmocka_unit_test_setup(test_past_end_refused, setup),
	    cmocka_unit_test_setup(test_unc_error_decoded, setup),
	    cmocka_unit_test_setup(test_device_fault_on_write, setup),
	    cmocka_unit_test_setup(test_no_drq_times_out, setup),
	    cmocka_unit_test_setup(test_flush, setup),
	    cmocka_unit_test_setup(test_names, setup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
