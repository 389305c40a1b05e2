/* acpi.c — RSDP -> RSDT/XSDT table lookup and the SPCR table decoder. */
#include "drivers/acpi.h"
#include "kernel/lib/string.h"

/* RSDP layout (ACPI 6.5, 5.2.5.3). */
#define RSDP_SIG "RSD PTR "
#define RSDP_V1_LEN 20 /* checksum covers these bytes */
#define RSDP_REVISION 15
#define RSDP_RSDT 16   /* u32 RSDT address */
#define RSDP_LENGTH 20 /* u32, revision >= 2 */
#define RSDP_XSDT 24   /* u64 XSDT address */
#define RSDP_V2_LEN 36

/* System description table header (ACPI 6.5, 5.2.6). */
#define SDT_LENGTH 4
#define SDT_REVISION 8
#define SDT_HEADER_LEN 36
#define SDT_MAX_LEN (1u << 20) /* sanity bound, not from the spec */

/* SPCR fields (Microsoft "Serial Port Console Redirection Table", rev 4). */
#define SPCR_INTERFACE 36
#define SPCR_GAS 40 /* base address: Generic Address Structure */
#define GAS_SPACE 0
#define GAS_BIT_WIDTH 1
#define GAS_ADDRESS 4
#define SPCR_IRQ 53	     /* PC-AT compatible IRQ */
#define SPCR_INT_TYPE 52     /* bit 0: PC-AT 8259 IRQ is valid */
#define SPCR_BAUD 58	     /* encoded, see spcr_baud() */
#define SPCR_MIN_LEN 80	     /* revision 1 and 2 tables */
#define SPCR_CLOCK 76	     /* u32 UART clock in Hz, revision >= 3 */
#define SPCR_PRECISE_BAUD 80 /* u32 baud rate, revision >= 4 */
#define SPCR_INT_PCAT 0x01
/* DBG2 serial port subtypes usable as a 16550 (DBG2 spec, table 3). */
#define DBG2_16550 0x00
#define DBG2_16450 0x01
#define DBG2_16550_GAS 0x12

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

uint32_t acpi_table_length(const void *table)
{
	return rd32((const uint8_t *)table + SDT_LENGTH);
}

/* A whole table at phys, if its header, length and checksum are sane. */
static const uint8_t *map_table(uint64_t phys, acpi_map_fn map)
{
	const uint8_t *h = map(phys, SDT_HEADER_LEN);
	if (!h)
		return 0;
	uint32_t len = rd32(h + SDT_LENGTH);
	if (len < SDT_HEADER_LEN || len > SDT_MAX_LEN)
		return 0;
	const uint8_t *t = map(phys, len);
	return t && acpi_checksum_ok(t, len) ? t : 0;
}

/* Root table address from the RSDP: XSDT when revision >= 2, else RSDT. */
static bool root_table(const uint8_t *r, uint64_t *phys, unsigned *entry,
		       const char **why)
{
	if (memcmp(r, RSDP_SIG, 8) != 0 || !acpi_checksum_ok(r, RSDP_V1_LEN)) {
		*why = "the RSDP has a bad signature or checksum";
		return false;
	}
	if (r[RSDP_REVISION] >= 2 && rd32(r + RSDP_LENGTH) >= RSDP_V2_LEN &&
	    acpi_checksum_ok(r, RSDP_V2_LEN) && rd64(r + RSDP_XSDT)) {
		*phys = rd64(r + RSDP_XSDT);
		*entry = 8;
	} else {
		*phys = rd32(r + RSDP_RSDT);
		*entry = 4;
	}
	return true;
}

const void *acpi_find_table(const void *rsdp, const char *sig, acpi_map_fn map,
			    const char **why)
{
	uint64_t root_phys;
	unsigned esize;
	if (!rsdp) {
		*why = "the boot loader passed no ACPI RSDP";
		return 0;
	}
	if (!root_table(rsdp, &root_phys, &esize, why))
		return 0;
	const uint8_t *root = map_table(root_phys, map);
	if (!root) {
		*why = "the RSDT/XSDT is unreadable or fails its checksum";
		return 0;
	}
	uint32_t len = rd32(root + SDT_LENGTH);
	for (uint32_t off = SDT_HEADER_LEN; off + esize <= len; off += esize) {
		uint64_t p = esize == 8 ? rd64(root + off) : rd32(root + off);
		const uint8_t *t = map_table(p, map);
		if (t && memcmp(t, sig, 4) == 0)
			return t;
	}
	*why = "no such table (or it fails its checksum)";
	return 0;
}

/* Baud rate field: 0 "as is", 3 9600, 4 19200, 6 57600, 7 115200. */
static uint32_t spcr_baud(uint8_t code)
{
	switch (code) {
	case 3:
		return 9600;
	case 4:
		return 19200;
	case 6:
		return 57600;
	case 7:
		return 115200;
	}
	return 0;
}

static const char *spcr_check(const uint8_t *t, size_t avail)
{
	if (avail < SDT_HEADER_LEN || memcmp(t, "SPCR", 4) != 0)
		return "not an SPCR table";
	uint32_t len = rd32(t + SDT_LENGTH);
	if (len < SPCR_MIN_LEN || len > avail)
		return "SPCR table too short";
	if (!acpi_checksum_ok(t, len))
		return "SPCR checksum is wrong";
	uint8_t type = t[SPCR_INTERFACE];
	if (type != DBG2_16550 && type != DBG2_16450 && type != DBG2_16550_GAS)
		return "SPCR describes a UART that is not 16550-compatible";
	uint8_t space = t[SPCR_GAS + GAS_SPACE];
	if (space != ACPI_SPACE_MEMORY && space != ACPI_SPACE_IO)
		return "SPCR UART is neither in memory nor I/O space";
	if (rd64(t + SPCR_GAS + GAS_ADDRESS) == 0)
		return "SPCR says console redirection is disabled (address 0)";
	return 0;
}

const char *spcr_parse(const void *table, size_t avail, struct spcr_info *out)
{
	const uint8_t *t = table;
	const char *err = spcr_check(t, avail);
	if (err)
		return err;
	uint32_t len = rd32(t + SDT_LENGTH);
	memset(out, 0, sizeof *out);
	out->interface_type = t[SPCR_INTERFACE];
	out->space = t[SPCR_GAS + GAS_SPACE];
	out->bit_width =
	    t[SPCR_GAS + GAS_BIT_WIDTH] ? t[SPCR_GAS + GAS_BIT_WIDTH] : 8;
	out->address = rd64(t + SPCR_GAS + GAS_ADDRESS);
	out->baud = spcr_baud(t[SPCR_BAUD]);
	if (t[SPCR_INT_TYPE] & SPCR_INT_PCAT)
		out->irq = t[SPCR_IRQ];
	if (t[SDT_REVISION] >= 3 && len >= SPCR_CLOCK + 4)
		out->clock = rd32(t + SPCR_CLOCK);
	if (t[SDT_REVISION] >= 4 && len >= SPCR_PRECISE_BAUD + 4 &&
	    rd32(t + SPCR_PRECISE_BAUD))
		out->baud = rd32(t + SPCR_PRECISE_BAUD);
	return 0;
}
