/* ata_hw.c — the machine's ATA channels: the PCI IDE controller (class
 * 01:01) in native or legacy (compatibility) mode, port I/O, IRQ 14/15
 * completion, the four drives probed at boot. */
#include "drivers/ata.h"
#include "drivers/pci.h"
#include "drivers/pic.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

/* Legacy (compatibility mode) resources (ATA/ATAPI-6, annex; PCI IDE
 * Controller Specification 1.0, 2.1). */
#define LEGACY_BASE0 0x1f0
#define LEGACY_CTRL0 0x3f6
#define LEGACY_IRQ0 14
#define LEGACY_BASE1 0x170
#define LEGACY_CTRL1 0x376
#define LEGACY_IRQ1 15
/* Prog-if bit 0 / bit 2: primary / secondary channel in native mode, its
 * ports in BAR0+BAR1 / BAR2+BAR3; the control block register (alternate
 * status, device control) is at offset 2 of the 4-byte BAR. */
#define PROGIF_NATIVE(ch) (1u << (2 * (ch)))
#define NATIVE_CTRL_OFFSET 2

static uint8_t port_in8(uint16_t port)
{
	return inb(port);
}

static void port_out8(uint16_t port, uint8_t v)
{
	outb(port, v);
}

static void port_in16s(uint16_t port, void *buf, size_t words)
{
	insw(port, buf, words);
}

static void port_out16s(uint16_t port, const void *buf, size_t words)
{
	outsw(port, buf, words);
}

/* With interrupts on, halt until the next interrupt unless the channel's
 * has come since the last look (cli first so none is lost before hlt;
 * sti's one-instruction shadow makes "sti; hlt" atomic). */
static bool hw_idle(struct ata_channel *ch)
{
	if (!ch->irq_on || !(read_rflags() & RFLAGS_IF))
		return false;
	cli();
	if (ch->irqs == ch->irqs_waited)
		__asm__ volatile("sti; hlt" ::: "memory");
	else
		sti();
	ch->irqs_waited = ch->irqs;
	return true;
}

static const struct ata_io hw_io = {port_in8,	 port_out8, port_in16s,
				    port_out16s, hw_idle,   uptime_ms};

static struct ata_channel channels[ATA_CHANNELS];
static struct ata_device devices[ATA_MAX_DEVICES];
static int ndevices;
static char none_reason[320];

static void ata_irq(struct trap_frame *f)
{
	unsigned irq = (unsigned)(f->vector - PIC_VECTOR_BASE);
	for (int i = 0; i < ATA_CHANNELS; i++) {
		struct ata_channel *ch = &channels[i];
		if (ch->irq != irq || !ch->base)
			continue;
		ch->irq_status = inb((uint16_t)(ch->base + 7)); /* acks */
		ch->irqs++;
	}
	pic_eoi(irq);
}

static void install_irq(struct ata_channel *ch)
{
	if (ch->irq >= PIC_IRQS)
		return;
	for (int i = 0; i < ATA_CHANNELS; i++)
		if (&channels[i] != ch && channels[i].irq_on &&
		    channels[i].irq == ch->irq) {
			ch->irq_on = true; /* shared line, handler in place */
			return;
		}
	trap_register(PIC_VECTOR_BASE + ch->irq, ata_irq);
	pic_unmask(ch->irq);
	ch->irq_on = true;
}

/* Channel i's ports from the controller's BARs (native mode) or the
 * legacy addresses; false when a native BAR is unusable. */
static bool channel_ports(struct ata_channel *ch, int i,
			  const struct pci_addr *a, uint8_t progif, char *how,
			  size_t n)
{
	ch->index = i;
	ch->selected = -1;
	ch->io = &hw_io;
	if (a && (progif & PROGIF_NATIVE(i))) {
		bool io1, io2;
		uint64_t cmd, ctl;
		if (!pci_bar(*a, 2 * i, &io1, &cmd) ||
		    !pci_bar(*a, 2 * i + 1, &io2, &ctl) || !io1 || !io2) {
			ksnprintf(how, n, "native mode, BAR%d/BAR%d unusable",
				  2 * i, 2 * i + 1);
			return false;
		}
		pci_enable_decode(*a, true);
		ch->base = (uint16_t)cmd;
		ch->ctrl = (uint16_t)(ctl + NATIVE_CTRL_OFFSET);
		ch->irq = (uint8_t)pci_read32(*a, PCI_INTERRUPT_LINE);
		ksnprintf(how, n, "native 0x%x/0x%x irq %u", ch->base, ch->ctrl,
			  ch->irq);
		return true;
	}
	ch->base = i ? LEGACY_BASE1 : LEGACY_BASE0;
	ch->ctrl = i ? LEGACY_CTRL1 : LEGACY_CTRL0;
	ch->irq = i ? LEGACY_IRQ1 : LEGACY_IRQ0;
	ksnprintf(how, n, "legacy 0x%x/0x%x irq %u", ch->base, ch->ctrl,
		  ch->irq);
	return true;
}

static void print_device(const struct ata_device *d)
{
	if (d->kind == ATA_ATAPI) {
		printk("%s: ATAPI %s (a packet device: left alone)\n", d->name,
		       d->model);
		return;
	}
	uint64_t mib = d->sectors * ATA_SECTOR >> 20;
	printk("%s: %s, %lu sectors (%lu MiB), %s (serial %s, firmware %s)\n",
	       d->name, d->model, (unsigned long)d->sectors, (unsigned long)mib,
	       d->lba48 ? "LBA48" : "LBA28", d->serial[0] ? d->serial : "none",
	       d->firmware[0] ? d->firmware : "none");
}

static void note(char *why, size_t n, const char *fmt, const char *a,
		 const char *b)
{
	size_t used = strlen(why);
	if (used < n)
		ksnprintf(why + used, n - used, fmt, used ? "; " : "", a, b);
}

static void probe_channel(struct ata_channel *ch, char *why, size_t n)
{
	char w[96];
	const char *name = ch->index ? "ata1" : "ata0";
	if (inb(ch->ctrl) == ATA_FLOATING) {
		note(why, n, "%s%s: %s", name, "floating bus (status 0xff)");
		return;
	}
	for (int slave = 0; slave < 2; slave++) {
		struct ata_device *d = &devices[ndevices];
		if (ata_probe(d, ch, slave, w, sizeof w) == ATA_NONE) {
			note(why, n, "%s%s: %s", d->name, w);
			continue;
		}
		print_device(d);
		ndevices++;
	}
}

static bool have_disk(void)
{
	for (int i = 0; i < ndevices; i++)
		if (devices[i].kind == ATA_DISK)
			return true;
	return false;
}

/* Why there is no disk: a SATA controller's disks are out of reach. */
static void explain_none(const char *seen, bool have_ide)
{
	struct pci_addr s;
	bool sata = pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_SATA, 0,
				   0xff, 0, &s);
	ksnprintf(none_reason, sizeof none_reason, "%s%s%s",
		  have_ide ? "" : "no PCI IDE controller; ",
		  sata ? "disks behind the SATA (AHCI) controller are not "
			 "supported; "
		       : "",
		  seen);
	printk("ata: no ATA disk found (%s); carrying on without a disk\n",
	       none_reason);
}

void ata_init(void)
{
	struct pci_addr a;
	bool ide =
	    pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE, 0, 0xff, 0, &a);
	uint8_t progif = ide ? pci_prog_if(a) : 0;
	char how[2][48], seen[256] = "";
	for (int i = 0; i < ATA_CHANNELS; i++)
		if (!channel_ports(&channels[i], i, ide ? &a : 0, progif,
				   how[i], sizeof how[i]))
			channels[i].base = 0;
	if (ide)
		printk("ata: PCI IDE controller %02x:%02x.%x (prog-if 0x%02x): "
		       "ata0 %s, ata1 %s\n",
		       a.bus, a.dev, a.fn, progif, how[0], how[1]);
	for (int i = 0; i < ATA_CHANNELS; i++)
		if (channels[i].base)
			probe_channel(&channels[i], seen, sizeof seen);
	for (int i = 0; i < ATA_CHANNELS; i++)
		if (channels[i].base)
			install_irq(&channels[i]);
	if (!have_disk())
		explain_none(seen, ide);
}

struct ata_device *ata_device(int i)
{
	return i >= 0 && i < ndevices ? &devices[i] : 0;
}

const char *ata_none_reason(void)
{
	return have_disk() ? "" : none_reason;
}
