/* pci.h — PCI configuration space (ports 0xCF8/0xCFC), class scan, BARs. */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct pci_addr {
	uint8_t bus, dev, fn;
};

#define PCI_CLASS_COMM 0x07	 /* simple communication controller */
#define PCI_SUBCLASS_SERIAL 0x00 /* serial controller */
#define PCI_PROGIF_16550 0x02	 /* 16550-compatible ... */
#define PCI_PROGIF_16950 0x06	 /* ... up to 16950, all 16550 supersets */
#define PCI_CLASS_STORAGE 0x01	 /* mass storage controller */
#define PCI_SUBCLASS_IDE 0x01	 /* IDE: prog-if bits say native or legacy */
#define PCI_SUBCLASS_SATA 0x06	 /* SATA (AHCI is prog-if 0x01) */
/* Config offset: the PIC IRQ the firmware routed. */
#define PCI_INTERRUPT_LINE 0x3c

uint32_t pci_read32(struct pci_addr a, uint8_t off);
void pci_write32(struct pci_addr a, uint8_t off, uint32_t v);
/* The first function, after *from (or from bus 0 when from is NULL),
 * whose class, subclass and prog-if match (prog-if in [pi_lo, pi_hi]). */
bool pci_find_class(uint8_t cls, uint8_t sub, uint8_t pi_lo, uint8_t pi_hi,
		    const struct pci_addr *from, struct pci_addr *out);
/* The programming interface byte (class register bits 15:8). */
uint8_t pci_prog_if(struct pci_addr a);
/* Decode BAR i: false when it is unimplemented or unassigned. */
bool pci_bar(struct pci_addr a, int i, bool *is_io, uint64_t *base);
/* Turn on I/O or memory decoding in the command register. */
void pci_enable_decode(struct pci_addr a, bool io);

#endif
