/* acpi.h — just enough ACPI to find the console UART (SPCR). */
#ifndef DRIVERS_ACPI_H
#define DRIVERS_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generic Address Structure address space IDs (ACPI 6.5, table 5.1). */
#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1

/* Maps len bytes at physical address phys for reading, or returns NULL. */
typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len);

/* Sum of len bytes is 0 mod 256 (ACPI 6.5, 5.2.5.3 and 5.2.6). */
bool acpi_checksum_ok(const void *p, size_t len);

/* The length field of a table's header. */
uint32_t acpi_table_length(const void *table);

/* The table with signature sig (4 characters) listed in the XSDT (RSDP
 * revision >= 2) or RSDT of the RSDP copy rsdp, checksums verified.
 * NULL with the reason in *why when there is none. */
const void *acpi_find_table(const void *rsdp, const char *sig, acpi_map_fn map,
			    const char **why);

/* What the SPCR table says about the console UART. */
struct spcr_info {
	uint8_t interface_type; /* DBG2 serial port subtype */
	uint8_t space;		/* ACPI_SPACE_MEMORY or ACPI_SPACE_IO */
	uint8_t bit_width;	/* register width in bits: 8 or 32 */
	uint64_t address;	/* port or physical address of register 0 */
	uint32_t baud;		/* 0: keep what the firmware programmed */
	uint8_t irq;		/* PC-AT IRQ, 0 when none is given */
	uint32_t clock;		/* UART input clock in Hz, 0 = unknown */
};

/* Decode an SPCR table of avail bytes. Returns NULL on success, or why
 * the table is unusable (bad checksum, not a 16550, disabled ...). */
const char *spcr_parse(const void *table, size_t avail, struct spcr_info *out);

#endif
