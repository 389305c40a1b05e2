/* uart_find.c — console=: SPCR, else legacy COM1-4, else a PCI 16550. */
#include "drivers/acpi.h"
#include "drivers/pci.h"
#include "drivers/pic.h"
#include "drivers/uart_find.h"
#include "kernel/arch/layout.h"
#include "kernel/printk.h"

#define PCI_SERIAL_BARS 6
#define MMIO32_SHIFT 2	 /* 32-bit registers sit 4 bytes apart */
#define UART_REG_COUNT 8 /* a 16550's registers (drivers/serial.c) */

/* ACPI tables through the boot tables' direct map (first BOOT_DM_GIB):
 * NULL unless all of [phys, phys+len) lies inside it (overflow-proof:
 * an address near 2^64 must not wrap into the map). */
static const void *boot_map(uint64_t phys, size_t len)
{
	uint64_t limit = (uint64_t)BOOT_DM_GIB << 30;
	if (phys > limit || len > limit - phys)
		return 0;
	return phys_to_virt(phys);
}

static const char *spec_text(const struct uart_spec *spec)
{
	return spec->text ? spec->text : "";
}

/* console=mmio: must name device registers: inside the boot map, and
 * neither RAM (it echoes what is written, so the probe would pass and
 * console bytes would land in memory) nor the kernel image. */
static bool mmio_allowed(const struct uart_spec *spec,
			 const struct boot_info *bi, char *why, size_t n)
{
	uint64_t a = spec->addr, span = UART_REG_COUNT;
	uint64_t kstart = KERNEL_PHYS, kend = kernel_virt_to_phys(_kernel_end);
	if (spec->kind == UART_SPEC_MMIO32)
		span <<= MMIO32_SHIFT;
	const char *what = 0;
	if (!boot_map(a, span))
		ksnprintf(why, n, "console=%s: 0x%lx is above %u GiB",
			  spec_text(spec), a, BOOT_DM_GIB);
	else if (a < kend && a + span > kstart)
		what = "inside the kernel image";
	else if (mb2_overlaps_ram(bi, a, span))
		what = "RAM by the memory map";
	else
		return true;
	if (what)
		ksnprintf(why, n, "console=%s: 0x%lx is %s, not a UART",
			  spec_text(spec), a, what);
	return false;
}

/* MMIO registers must lie in the boot tables' direct map to be probed. */
static bool mmio_reachable(uint64_t addr)
{
	return boot_map(addr, PAGE_SIZE) != 0;
}

static void set_io(struct uart *u, uint64_t port, uint32_t baud, uint8_t irq)
{
	*u = (struct uart){.port = (uint16_t)port, .baud = baud, .irq = irq};
	serial_set_access(u, 0, 0);
}

static void set_mmio(struct uart *u, uint64_t addr, bool wide, uint32_t baud,
		     uint8_t irq)
{
	struct uart_mmio m = {addr, wide ? MMIO32_SHIFT : 0, wide ? 4 : 1};
	*u = (struct uart){.baud = baud, .irq = irq};
	serial_set_access(u, &m, 0);
}

static void describe(const struct uart *u, const char *how, char *why, size_t n)
{
	char where[64];
	serial_describe(u, where, sizeof where);
	ksnprintf(why, n, "16550 at %s, %u baud 8N1, %s", where, u->baud, how);
}

static bool from_spcr(const void *rsdp, uint32_t baud, struct uart *u,
		      char *why, size_t n)
{
	const char *err;
	struct spcr_info si;
	const void *t = acpi_find_table(rsdp, "SPCR", boot_map, &err);
	if (t)
		err = spcr_parse(t, acpi_table_length(t), &si);
	if (err) {
		ksnprintf(why, n, "no usable ACPI SPCR (%s)", err);
		return false;
	}
	if (si.space == ACPI_SPACE_MEMORY && !mmio_reachable(si.address)) {
		ksnprintf(why, n, "the ACPI SPCR UART at 0x%lx is above %u GiB",
			  si.address, BOOT_DM_GIB);
		return false;
	}
	uint32_t b = baud ? baud : si.baud;
	if (si.space == ACPI_SPACE_IO)
		set_io(u, si.address, b, si.irq);
	else
		set_mmio(u, si.address, si.bit_width == 32, b, si.irq);
	serial_set_access(u, serial_mmio(u), si.clock);
	if (!serial_init(u)) {
		ksnprintf(why, n, "the ACPI SPCR UART at 0x%lx did not answer",
			  si.address);
		return false;
	}
	describe(u, "from the ACPI SPCR table", why, n);
	return true;
}

static bool from_legacy(uint32_t baud, struct uart *u, char *why, size_t n)
{
	for (int i = 0; i < 4; i++) {
		set_io(u, serial_ttys_port(i),
		       baud ? baud : SERIAL_DEFAULT_BAUD, UART_NO_IRQ);
		if (serial_init(u)) {
			char how[48];
			ksnprintf(how, sizeof how,
				  "first legacy port that answered (ttyS%d)",
				  i);
			describe(u, how, why, n);
			return true;
		}
	}
	return false;
}

static uint8_t pci_irq(struct pci_addr a)
{
	uint8_t line = (uint8_t)pci_read32(a, PCI_INTERRUPT_LINE);
	return line < PIC_IRQS && line != IRQ_CASCADE ? line : UART_NO_IRQ;
}

/* The UART in a's first I/O or memory BAR. */
static bool try_pci_device(struct pci_addr a, uint32_t baud, struct uart *u)
{
	for (int i = 0; i < PCI_SERIAL_BARS; i++) {
		bool io;
		uint64_t base;
		if (!pci_bar(a, i, &io, &base))
			continue;
		if (!io && !mmio_reachable(base))
			continue;
		pci_enable_decode(a, io);
		if (io)
			set_io(u, base, baud, pci_irq(a));
		else
			set_mmio(u, base, false, baud, pci_irq(a));
		return serial_init(u);
	}
	return false;
}

static bool from_pci(uint32_t baud, struct uart *u, char *why, size_t n)
{
	struct pci_addr a, *from = 0;
	baud = baud ? baud : SERIAL_DEFAULT_BAUD;
	while (pci_find_class(PCI_CLASS_COMM, PCI_SUBCLASS_SERIAL,
			      PCI_PROGIF_16550, PCI_PROGIF_16950, from, &a)) {
		if (try_pci_device(a, baud, u)) {
			char how[48];
			ksnprintf(how, sizeof how, "PCI %02x:%02x.%x 16550",
				  a.bus, a.dev, a.fn);
			describe(u, how, why, n);
			return true;
		}
		from = &a;
	}
	return false;
}

static bool auto_find(const struct uart_spec *spec, const void *rsdp,
		      struct uart *u, char *why, size_t n)
{
	char spcr_note[96];
	if (from_spcr(rsdp, spec->baud, u, spcr_note, sizeof spcr_note)) {
		ksnprintf(why, n, "%s", spcr_note);
		return true;
	}
	if (from_legacy(spec->baud, u, why, n) ||
	    from_pci(spec->baud, u, why, n))
		return true;
	ksnprintf(why, n,
		  "none found: %s, no legacy COM1-COM4, no PCI 16550 device",
		  spcr_note);
	return false;
}

bool uart_find(const struct uart_spec *spec, const struct boot_info *bi,
	       struct uart *u, char *why, size_t n)
{
	uint32_t baud = spec->baud ? spec->baud : SERIAL_DEFAULT_BAUD;
	switch (spec->kind) {
	case UART_SPEC_NONE:
		ksnprintf(why, n, "disabled by console=none");
		return false;
	case UART_SPEC_AUTO:
		return auto_find(spec, bi->rsdp, u, why, n);
	case UART_SPEC_PCI:
		if (from_pci(spec->baud, u, why, n))
			return true;
		ksnprintf(why, n, "console=%s: no PCI 16550 device answered",
			  spec_text(spec));
		return false;
	case UART_SPEC_IO:
		set_io(u, spec->addr, baud, UART_NO_IRQ);
		break;
	case UART_SPEC_MMIO:
	case UART_SPEC_MMIO32:
		if (!mmio_allowed(spec, bi, why, n))
			return false;
		set_mmio(u, spec->addr, spec->kind == UART_SPEC_MMIO32, baud,
			 UART_NO_IRQ);
		break;
	}
	unsigned refusals = serial_baud_refusals();
	bool ok = serial_init(u);
	if (ok)
		describe(u, "as console= asked", why, n);
	else if (serial_baud_refusals() != refusals)
		ksnprintf(why, n, "console=%s: %s", spec_text(spec),
			  serial_baud_refusal());
	else
		ksnprintf(why, n, "console=%s: no UART answers there",
			  spec_text(spec));
	return ok;
}
