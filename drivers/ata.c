/* ata.c — the ATA PIO protocol: drive selection, IDENTIFY, LBA28/LBA48
 * sector transfers, bounded waits, errors decoded by name. Pure logic over
 * struct ata_io, so host tests drive it against a simulated device. */
#include "drivers/ata.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

/* Command block registers, offsets from ch->base (ATA/ATAPI-6, 7.1). */
#define REG_DATA 0
#define REG_ERROR 1 /* read */
#define REG_FEATURES 1
#define REG_COUNT 2
#define REG_LBA_LO 3
#define REG_LBA_MID 4
#define REG_LBA_HI 5
#define REG_DEVICE 6
#define REG_STATUS 7 /* read: also acknowledges the interrupt */
#define REG_COMMAND 7
/* Device register: bits 7 and 5 obsolete-but-set, bit 6 LBA, bit 4 DEV. */
#define DEV_BASE 0xa0
#define DEV_LBA 0x40
#define DEV_SLAVE 0x10
/* Device control register (ctrl): bit 1 nIEN masks INTRQ. */
#define CTL_NIEN 0x02

/* Commands (ATA/ATAPI-6, chapter 8). */
#define CMD_READ 0x20
#define CMD_READ_EXT 0x24
#define CMD_WRITE 0x30
#define CMD_WRITE_EXT 0x34
#define CMD_FLUSH 0xe7
#define CMD_FLUSH_EXT 0xea
#define CMD_IDENTIFY 0xec
#define CMD_IDENTIFY_PACKET 0xa1

/* Signatures left in LBA mid/high by a packet device (ATAPI) and by SATA
 * bridges (ATA/ATAPI-6, 9.12; Serial ATA 1.0, 11.4). */
#define SIG_ATAPI_MID 0x14
#define SIG_ATAPI_HI 0xeb
#define SIG_SATAPI_MID 0x69
#define SIG_SATAPI_HI 0x96

/* IDENTIFY words (ATA/ATAPI-6, table 27). */
#define ID_SERIAL 10   /* 10 words */
#define ID_FIRMWARE 23 /* 4 words */
#define ID_MODEL 27    /* 20 words */
#define ID_CAPS 49     /* bit 9: LBA supported */
#define ID_CAPS_LBA (1u << 9)
#define ID_LBA28 60   /* 2 words */
#define ID_CMDSET2 83 /* bit 10: 48-bit address feature set */
#define ID_CMDSET2_LBA48 (1u << 10)
#define ID_LBA48 100 /* 4 words */

/* Waits. A status read costs at least ~0.1 µs (an I/O port access); with
 * interrupts off ATA_SPINS reads bound a wait to a second or two, with
 * them on the clock does (a drive may take seconds to spin up). */
#define ATA_SPINS 4000000UL
#define ATA_TIMEOUT_MS 5000
#define ATA_SELECT_READS 4 /* ~400 ns after selecting a drive */

static uint8_t rd(struct ata_channel *ch, int reg)
{
	return ch->io->in8((uint16_t)(ch->base + reg));
}

static void wr(struct ata_channel *ch, int reg, uint8_t v)
{
	ch->io->out8((uint16_t)(ch->base + reg), v);
}

static uint8_t alt_status(struct ata_channel *ch)
{
	return ch->io->in8(ch->ctrl);
}

/* The ~400 ns the status needs to become valid. */
static void settle(struct ata_channel *ch)
{
	for (int i = 0; i < ATA_SELECT_READS; i++)
		(void)alt_status(ch);
}

static void select_drive(struct ata_channel *ch, int slave, uint8_t lba_bits)
{
	wr(ch, REG_DEVICE,
	   (uint8_t)(DEV_BASE | DEV_LBA | (slave ? DEV_SLAVE : 0) | lba_bits));
	settle(ch);
	ch->selected = slave;
}

static size_t names(uint8_t v, const char *const n[8], char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	for (int b = 7; b >= 0; b--)
		if (v & (1u << b))
			used += (size_t)ksnprintf(
			    buf + used, used < len ? len - used : 0, "%s%s",
			    used ? " " : "", n[b]);
	return used;
}

size_t ata_status_names(uint8_t status, char *buf, size_t n)
{
	static const char *const bits[8] = {"ERR", "IDX", "CORR", "DRQ",
					    "DSC", "DF",  "DRDY", "BSY"};
	return names(status, bits, buf, n);
}

size_t ata_error_names(uint8_t error, char *buf, size_t n)
{
	/* Error register (ATA/ATAPI-6, 7.9): bit 0 AMNF/MED, 1 TK0NF/EOM,
	 * 2 ABRT, 3 MCR, 4 IDNF, 5 MC, 6 UNC, 7 BBK/ICRC. */
	static const char *const bits[8] = {"AMNF", "TK0NF", "ABRT", "MCR",
					    "IDNF", "MC",    "UNC",  "ICRC"};
	return names(error, bits, buf, n);
}

#define NO_SECTOR UINT64_MAX

/* "read sector 123 (LBA28)", or just op when sector is NO_SECTOR. */
static const char *describe_op(char *buf, size_t n, const char *op,
			       uint64_t sector, bool ext)
{
	if (sector == NO_SECTOR)
		return op;
	ksnprintf(buf, n, "%s sector %lu (LBA%d)", op, (unsigned long)sector,
		  ext ? 48 : 28);
	return buf;
}

/* Record why d's command failed (status + decoded error), count it. */
static int fail(struct ata_device *d, const char *what, uint8_t st)
{
	char sn[48], en[48] = "";
	ata_status_names(st, sn, sizeof sn);
	uint8_t err = (st & (ATA_SR_ERR | ATA_SR_DF)) && st != ATA_FLOATING
			  ? rd(d->ch, REG_ERROR)
			  : 0;
	ata_error_names(err, en, sizeof en);
	if (st & (ATA_SR_ERR | ATA_SR_DF))
		ksnprintf(d->last_error, sizeof d->last_error,
			  "%s: %s: status 0x%02x (%s), error 0x%02x (%s)",
			  d->name, what, st, sn, err, en[0] ? en : "none");
	else
		ksnprintf(d->last_error, sizeof d->last_error,
			  "%s: %s: status 0x%02x (%s)", d->name, what, st, sn);
	d->errors++;
	return -EIO;
}

enum wait_for { WAIT_IDLE, WAIT_DRQ };

/* Wait until BSY clears (and DRQ sets for WAIT_DRQ), bounded; 0 or -EIO
 * with the reason in d->last_error. The final status in *out. */
struct op {
	const char *name; /* "read", "IDENTIFY", ... */
	uint64_t sector;  /* NO_SECTOR when none */
	bool ext;	  /* LBA48 command */
};

static int op_fail(struct ata_device *d, const struct op *op, uint8_t st)
{
	char what[64];
	return fail(
	    d, describe_op(what, sizeof what, op->name, op->sector, op->ext),
	    st);
}

static int wait_status(struct ata_device *d, enum wait_for want,
		       const struct op *op, uint8_t *out)
{
	struct ata_channel *ch = d->ch;
	uint64_t spins = 0, start = 0;
	bool by_irq = false;
	for (;;) {
		uint8_t st = alt_status(ch);
		*out = st;
		if (st == ATA_FLOATING)
			return op_fail(d, op, st);
		if (!(st & ATA_SR_BSY)) {
			if (st & (ATA_SR_ERR | ATA_SR_DF))
				return op_fail(d, op, st);
			if (want == WAIT_IDLE || (st & ATA_SR_DRQ)) {
				*out = rd(ch, REG_STATUS); /* ack INTRQ */
				by_irq ? d->irq_done++ : d->polled_done++;
				return 0;
			}
		}
		if (ch->io->idle && ch->io->idle(ch)) {
			by_irq = true;
			uint64_t now = ch->io->now_ms();
			if (!start)
				start = now;
			else if (now - start > ATA_TIMEOUT_MS)
				break;
		} else if (++spins > ATA_SPINS) {
			break;
		}
	}
	char what[64];
	d->timeouts++;
	ksnprintf(d->last_error, sizeof d->last_error,
		  "%s: %s: timed out (status 0x%02x%s)", d->name,
		  describe_op(what, sizeof what, op->name, op->sector, op->ext),
		  *out, *out & ATA_SR_BSY ? ", BSY never cleared" : ", no DRQ");
	d->errors++;
	return -EIO;
}

/* Copy an IDENTIFY string (two characters a word, first in the high
 * byte), trailing blanks dropped. */
static void id_string(const uint16_t *w, int words, char *out)
{
	int n = 0;
	for (int i = 0; i < words; i++) {
		out[n++] = (char)(w[i] >> 8);
		out[n++] = (char)(w[i] & 0xff);
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		n--;
	out[n] = '\0';
	for (int i = 0; i < n; i++)
		if ((unsigned char)out[i] < ' ' || (unsigned char)out[i] > '~')
			out[i] = '?';
}

void ata_parse_identify(const uint16_t id[256], struct ata_identity *o)
{
	id_string(id + ID_MODEL, 20, o->model);
	id_string(id + ID_SERIAL, 10, o->serial);
	id_string(id + ID_FIRMWARE, 4, o->firmware);
	o->lba = id[ID_CAPS] & ID_CAPS_LBA;
	o->lba48 = o->lba && (id[ID_CMDSET2] & ID_CMDSET2_LBA48) &&
		   id[ID_CMDSET2] != 0xffff;
	uint64_t l28 = id[ID_LBA28] | (uint64_t)id[ID_LBA28 + 1] << 16;
	uint64_t l48 = 0;
	for (int i = 3; i >= 0; i--)
		l48 = l48 << 16 | id[ID_LBA48 + i];
	o->sectors = o->lba48 && l48 ? l48 : (o->lba ? l28 : 0);
}

/* After IDENTIFY aborted: a packet device says so in LBA mid/high. */
static bool packet_signature(struct ata_channel *ch)
{
	uint8_t mid = rd(ch, REG_LBA_MID), hi = rd(ch, REG_LBA_HI);
	return (mid == SIG_ATAPI_MID && hi == SIG_ATAPI_HI) ||
	       (mid == SIG_SATAPI_MID && hi == SIG_SATAPI_HI);
}

static void set_names(struct ata_device *d, const struct ata_identity *id)
{
	ksnprintf(d->model, sizeof d->model, "%s", id->model);
	ksnprintf(d->serial, sizeof d->serial, "%s", id->serial);
	ksnprintf(d->firmware, sizeof d->firmware, "%s", id->firmware);
}

/* Issue an IDENTIFY-type command; 0 with the 256 words read, -EIO. */
static int identify(struct ata_device *d, uint8_t cmd, uint16_t id[256])
{
	struct ata_channel *ch = d->ch;
	uint8_t st;
	const struct op op = {"IDENTIFY PACKET", NO_SECTOR, false};
	wr(ch, REG_COMMAND, cmd);
	settle(ch);
	if (wait_status(d, WAIT_DRQ, &op, &st))
		return -EIO;
	ch->io->in16s((uint16_t)(ch->base + REG_DATA), id, 256);
	return 0;
}

static enum ata_kind probe_packet(struct ata_device *d, char *why, size_t n)
{
	uint16_t id[256];
	struct ata_identity ident;
	d->kind = ATA_ATAPI;
	d->errors = 0; /* the aborted IDENTIFY was expected */
	d->last_error[0] = '\0';
	if (identify(d, CMD_IDENTIFY_PACKET, id) == 0) {
		ata_parse_identify(id, &ident);
		set_names(d, &ident);
	} else {
		ksnprintf(d->model, sizeof d->model, "(no IDENTIFY data)");
	}
	ksnprintf(why, n, "ATAPI device");
	return ATA_ATAPI;
}

static void probe_init(struct ata_device *d, struct ata_channel *ch, int slave)
{
	memset(d, 0, sizeof *d);
	d->ch = ch;
	d->slave = slave;
	ksnprintf(d->name, sizeof d->name, "ata%d %s", ch->index,
		  slave ? "slave" : "master");
}

enum ata_kind ata_probe(struct ata_device *d, struct ata_channel *ch, int slave,
			char *why, size_t n)
{
	probe_init(d, ch, slave);
	if (alt_status(ch) == ATA_FLOATING) {
		ksnprintf(why, n, "floating bus (status 0xff): no drive");
		return ATA_NONE;
	}
	ch->io->out8(ch->ctrl, 0); /* nIEN clear: INTRQ enabled */
	select_drive(ch, slave, 0);
	wr(ch, REG_COUNT, 0);
	wr(ch, REG_LBA_LO, 0);
	wr(ch, REG_LBA_MID, 0);
	wr(ch, REG_LBA_HI, 0);
	wr(ch, REG_COMMAND, CMD_IDENTIFY);
	settle(ch);
	uint8_t st = alt_status(ch);
	if (st == 0 || st == ATA_FLOATING) {
		ksnprintf(why, n, "no device (status 0x%02x)", st);
		return ATA_NONE;
	}
	uint16_t id[256];
	struct ata_identity ident;
	const struct op op = {"IDENTIFY", NO_SECTOR, false};
	if (wait_status(d, WAIT_DRQ, &op, &st)) {
		if (!(st & ATA_SR_BSY) && packet_signature(ch))
			return probe_packet(d, why, n);
		ksnprintf(why, n, "%s", d->last_error + strlen(d->name) + 2);
		return ATA_NONE;
	}
	ch->io->in16s((uint16_t)(ch->base + REG_DATA), id, 256);
	ata_parse_identify(id, &ident);
	if (!ident.lba || !ident.sectors) {
		ksnprintf(why, n, "%s: no LBA addressing (CHS only)",
			  ident.model);
		return ATA_NONE;
	}
	set_names(d, &ident);
	d->lba48 = ident.lba48;
	d->sectors = ident.sectors;
	d->kind = ATA_DISK;
	why[0] = '\0';
	return ATA_DISK;
}

/* Program the task file for count sectors at lba and issue cmd. */
static void issue(struct ata_device *d, uint64_t lba, unsigned count, bool ext,
		  uint8_t cmd)
{
	struct ata_channel *ch = d->ch;
	if (ext) {
		select_drive(ch, d->slave, 0);
		/* Each register is a two-byte FIFO: high-order bytes first
		 * (ATA/ATAPI-6, 6.20). count 0 means 65536. */
		wr(ch, REG_COUNT, (uint8_t)(count >> 8));
		wr(ch, REG_LBA_LO, (uint8_t)(lba >> 24));
		wr(ch, REG_LBA_MID, (uint8_t)(lba >> 32));
		wr(ch, REG_LBA_HI, (uint8_t)(lba >> 40));
	} else {
		/* LBA bits 27:24 in the device register; count 0 = 256. */
		select_drive(ch, d->slave, (uint8_t)((lba >> 24) & 0x0f));
	}
	wr(ch, REG_COUNT, (uint8_t)count);
	wr(ch, REG_LBA_LO, (uint8_t)lba);
	wr(ch, REG_LBA_MID, (uint8_t)(lba >> 8));
	wr(ch, REG_LBA_HI, (uint8_t)(lba >> 16));
	wr(ch, REG_COMMAND, cmd);
	settle(ch);
}

/* One command of count (1..ATA_MAX_PER_CMD) sectors. */
static int one_command(struct ata_device *d, uint64_t lba, unsigned count,
		       uint8_t *buf, bool write, bool ext)
{
	struct ata_channel *ch = d->ch;
	uint16_t data = (uint16_t)(ch->base + REG_DATA);
	struct op op = {write ? "write" : "read", lba, ext};
	uint8_t st;
	issue(d, lba, count, ext,
	      write ? (ext ? CMD_WRITE_EXT : CMD_WRITE)
		    : (ext ? CMD_READ_EXT : CMD_READ));
	for (unsigned i = 0; i < count; i++, buf += ATA_SECTOR) {
		op.sector = lba + i;
		if (wait_status(d, WAIT_DRQ, &op, &st))
			return -EIO;
		if (write)
			ch->io->out16s(data, buf, ATA_SECTOR / 2);
		else
			ch->io->in16s(data, buf, ATA_SECTOR / 2);
		(void)alt_status(ch); /* BSY rises within 400 ns */
	}
	if (write && wait_status(d, WAIT_IDLE, &op, &st))
		return -EIO;
	return 0;
}

int ata_transfer(struct ata_device *d, uint64_t lba, unsigned count, void *buf,
		 bool write, bool force48)
{
	if (d->kind != ATA_DISK || lba > d->sectors ||
	    count > d->sectors - lba) {
		ksnprintf(d->last_error, sizeof d->last_error,
			  "%s: sectors %lu+%u are past the end (%lu sectors)",
			  d->name, (unsigned long)lba, count,
			  (unsigned long)d->sectors);
		return -EINVAL;
	}
	struct ata_channel *ch = d->ch;
	uint8_t *p = buf;
	int rc = 0;
	ch->busy = true;
	while (count && !rc) {
		unsigned n = count < ATA_MAX_PER_CMD ? count : ATA_MAX_PER_CMD;
		bool ext = force48 || lba + n > ATA_LBA28_LIMIT;
		if (ext && !d->lba48) {
			ksnprintf(d->last_error, sizeof d->last_error,
				  "%s: LBA48 needed, device has LBA28 only",
				  d->name);
			rc = -EINVAL;
			break;
		}
		rc = one_command(d, lba, n, p, write, ext);
		write ? d->writes++ : d->reads++;
		if (!rc)
			write ? (d->sectors_written += n)
			      : (d->sectors_read += n);
		lba += n, count -= n, p += (size_t)n * ATA_SECTOR;
	}
	ch->busy = false;
	return rc;
}

int ata_read(struct ata_device *d, uint64_t lba, unsigned count, void *buf)
{
	return ata_transfer(d, lba, count, buf, false, false);
}

int ata_write(struct ata_device *d, uint64_t lba, unsigned count,
	      const void *buf)
{
	return ata_transfer(d, lba, count, (void *)buf, true, false);
}

int ata_flush(struct ata_device *d)
{
	if (d->kind != ATA_DISK)
		return -EINVAL;
	uint8_t st;
	const struct op op = {"flush cache", NO_SECTOR, d->lba48};
	d->ch->busy = true;
	select_drive(d->ch, d->slave, 0);
	wr(d->ch, REG_COMMAND, d->lba48 ? CMD_FLUSH_EXT : CMD_FLUSH);
	settle(d->ch);
	int rc = wait_status(d, WAIT_IDLE, &op, &st);
	d->ch->busy = false;
	return rc;
}
