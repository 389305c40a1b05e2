/* ata.h — ATA (IDE) disks in PIO mode: channels, IDENTIFY, LBA28/LBA48
 * sector reads and writes with bounded waits and decoded errors. */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATA_SECTOR 512
#define ATA_CHANNELS 2
#define ATA_MAX_DEVICES (2 * ATA_CHANNELS)
#define ATA_LBA28_LIMIT (1ULL << 28) /* sectors LBA28 addresses */
#define ATA_MAX_PER_CMD 256	     /* sectors per command we issue */

/* Status register bits (ATA/ATAPI-6, 7.15.6). */
#define ATA_SR_BSY 0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF 0x20
#define ATA_SR_DRQ 0x08
#define ATA_SR_ERR 0x01
#define ATA_FLOATING 0xff /* no controller drives the bus */

/* How the protocol code reaches the hardware (port I/O in the kernel, a
 * simulated device in host tests). */
struct ata_channel;
struct ata_io {
	uint8_t (*in8)(uint16_t port);
	void (*out8)(uint16_t port, uint8_t v);
	void (*in16s)(uint16_t port, void *buf, size_t words);
	void (*out16s)(uint16_t port, const void *buf, size_t words);
	/* Between two status checks: wait for an interrupt when interrupts
	 * are on (true), else return false at once (the caller spins). */
	bool (*idle)(struct ata_channel *ch);
	/* Milliseconds of some clock; used only after idle() returned true. */
	uint64_t (*now_ms)(void);
};

struct ata_channel {
	const struct ata_io *io;
	uint16_t base; /* command block: data .. status/command */
	uint16_t ctrl; /* control block: alternate status / device control */
	uint8_t irq;   /* PIC line, ATA_NO_IRQ when none */
	int index;     /* 0 = ata0 (primary), 1 = ata1 (secondary) */
	int selected;  /* drive last selected, -1 unknown */
	bool busy;     /* a command is under way (the debugger may stop it) */
	volatile uint64_t irqs;	     /* interrupts taken */
	volatile uint8_t irq_status; /* status read by the last interrupt */
	uint64_t irqs_waited;	     /* irqs when the waiter last looked */
	bool irq_on;		     /* the handler is installed */
};
#define ATA_NO_IRQ 0xff

enum ata_kind { ATA_NONE = 0, ATA_DISK, ATA_ATAPI };

struct ata_device {
	struct ata_channel *ch;
	int slave; /* 0 master, 1 slave */
	enum ata_kind kind;
	char name[16]; /* "ata0 master" */
	char model[41], serial[21], firmware[9];
	bool lba48;
	uint64_t sectors; /* capacity */
	/* counters for the monitor's `disk` */
	uint64_t reads, writes, sectors_read, sectors_written;
	uint64_t errors, timeouts, irq_done, polled_done;
	char last_error[112];
};

/* What IDENTIFY (DEVICE) data says (256 words, ATA/ATAPI-6 table 27). */
struct ata_identity {
	char model[41], serial[21], firmware[9];
	bool lba, lba48;
	uint64_t sectors; /* LBA48 count when supported, else LBA28 */
};
void ata_parse_identify(const uint16_t id[256], struct ata_identity *out);

/* Status and error register bits by name: "DRDY ERR", "ABRT IDNF". */
size_t ata_status_names(uint8_t status, char *buf, size_t n);
size_t ata_error_names(uint8_t error, char *buf, size_t n);

/* Look for drive slave (0/1) on ch. Returns the kind found and fills d;
 * why says what was seen when nothing usable was (floating bus, no
 * device, BSY stuck, an IDENTIFY error). Bounded: never hangs. */
enum ata_kind ata_probe(struct ata_device *d, struct ata_channel *ch, int slave,
			char *why, size_t n);

/* Transfer count sectors at lba, many per command, LBA28 when the range
 * fits it, else LBA48. 0, or -EIO (the reason in d->last_error and
 * printed by the caller) / -EINVAL past the end. */
int ata_read(struct ata_device *d, uint64_t lba, unsigned count, void *buf);
int ata_write(struct ata_device *d, uint64_t lba, unsigned count,
	      const void *buf);
/* The same with the command set chosen: force48 uses the EXT commands
 * even for a range LBA28 reaches (tests compare both). */
int ata_transfer(struct ata_device *d, uint64_t lba, unsigned count, void *buf,
		 bool write, bool force48);
/* FLUSH CACHE (EXT): what the device buffered reaches the medium. */
int ata_flush(struct ata_device *d);

/* ---- the kernel's devices (ata_hw.c) ---- */

/* Find the controller (PCI class 01:01, native or legacy ports), probe
 * the four drives, print one line per device. */
void ata_init(void);
/* The i-th device found (disks and ATAPI), NULL past the end. */
struct ata_device *ata_device(int i);
/* Why no disk was found, for the boot log; "" when one was. */
const char *ata_none_reason(void);

#endif
