/* pci.c — PCI configuration mechanism #1: access, class scan, BARs. */
#include "drivers/pci.h"
#include "kernel/arch/x86.h"

/* PCI Local Bus Specification 3.0, 3.2.2.3.2 and 6.1 / 6.2.5. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_ENABLE (1u << 31)
#define PCI_VENDOR_NONE 0xffff
#define PCI_COMMAND 0x04
#define PCI_CMD_IO (1u << 0)
#define PCI_CMD_MEM (1u << 1)
#define PCI_CLASS_REV 0x08   /* class << 24 | subclass << 16 | prog-if << 8 */
#define PCI_HEADER_TYPE 0x0c /* byte 2 of the dword */
#define PCI_HEADER_MULTI 0x80
#define PCI_HEADER_KIND 0x7f /* 0: ordinary device, BARs 0-5 */
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM_TYPE 0x6 /* bits 2:1, 2 = 64-bit */
#define PCI_BAR_MEM_64 0x4
#define PCI_MAX_DEV 32
#define PCI_MAX_FN 8

static uint32_t config_address(struct pci_addr a, uint8_t off)
{
	return PCI_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
	       (uint32_t)a.fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(struct pci_addr a, uint8_t off)
{
	uint64_t f = irq_save();
	outl(PCI_CONFIG_ADDRESS, config_address(a, off));
	uint32_t v = inl(PCI_CONFIG_DATA);
	irq_restore(f);
	return v;
}

void pci_write32(struct pci_addr a, uint8_t off, uint32_t v)
{
	uint64_t f = irq_save();
	outl(PCI_CONFIG_ADDRESS, config_address(a, off));
	outl(PCI_CONFIG_DATA, v);
	irq_restore(f);
}

static bool class_matches(struct pci_addr a, uint8_t cls, uint8_t sub,
			  uint8_t pi_lo, uint8_t pi_hi)
{
	uint32_t cr = pci_read32(a, PCI_CLASS_REV);
	uint8_t pi = (uint8_t)(cr >> 8);
	return (cr >> 24) == cls && (uint8_t)(cr >> 16) == sub && pi >= pi_lo &&
	       pi <= pi_hi;
}

/* Step to the next function number (fn 0 of a single-function device
 * skips 1-7). False after the last bus. */
static bool next_addr(struct pci_addr *a, bool multi)
{
	if (multi && a->fn + 1 < PCI_MAX_FN) {
		a->fn++;
		return true;
	}
	a->fn = 0;
	if (++a->dev < PCI_MAX_DEV)
		return true;
	a->dev = 0;
	return a->bus++ != 0xff;
}

bool pci_find_class(uint8_t cls, uint8_t sub, uint8_t pi_lo, uint8_t pi_hi,
		    const struct pci_addr *from, struct pci_addr *out)
{
	struct pci_addr a = {0, 0, 0};
	bool multi = true;
	if (from) {
		a = *from;
		if (!next_addr(&a, true))
			return false;
	}
	do {
		uint32_t id = pci_read32(a, 0);
		if ((id & 0xffff) == PCI_VENDOR_NONE) {
			multi = a.fn != 0; /* absent fn 0: no device here */
			continue;
		}
		if (a.fn == 0)
			multi = (pci_read32(a, PCI_HEADER_TYPE) >> 16) &
				PCI_HEADER_MULTI;
		if (class_matches(a, cls, sub, pi_lo, pi_hi)) {
			*out = a;
			return true;
		}
	} while (next_addr(&a, multi));
	return false;
}

uint8_t pci_prog_if(struct pci_addr a)
{
	return (uint8_t)(pci_read32(a, PCI_CLASS_REV) >> 8);
}

bool pci_bar(struct pci_addr a, int i, bool *is_io, uint64_t *base)
{
	uint32_t kind =
	    (pci_read32(a, PCI_HEADER_TYPE) >> 16) & PCI_HEADER_KIND;
	if (kind != 0 || i < 0 || i > 5)
		return false;
	uint8_t off = (uint8_t)(PCI_BAR0 + 4 * i);
	uint32_t bar = pci_read32(a, off);
	*is_io = bar & PCI_BAR_IO;
	if (*is_io) {
		*base = bar & ~0x3u;
	} else {
		*base = bar & ~0xfu;
		if ((bar & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64 && i < 5)
			*base |= (uint64_t)pci_read32(a, off + 4) << 32;
	}
	return *base != 0;
}

void pci_enable_decode(struct pci_addr a, bool io)
{
	uint32_t cmd = pci_read32(a, PCI_COMMAND);
	uint32_t want = io ? PCI_CMD_IO : PCI_CMD_MEM;
	if (!(cmd & want))
		pci_write32(a, PCI_COMMAND, (cmd & 0xffff) | want);
}
