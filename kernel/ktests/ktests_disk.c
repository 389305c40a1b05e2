/* ktests_disk.c — boot-time tests of the ATA driver on the first disk:
 * multi-sector writes and reads back by LBA28 and LBA48 commands, with
 * interrupts on (IRQ completion) and off (polling). The pytest then
 * checks the image file's bytes. */
#include <stdint.h>

#include "drivers/ata.h"
#include "kernel/arch/x86.h"
#include "kernel/ktests/ktest.h"
#include "kernel/lib/errno.h"
#include "kernel/printk.h"
#include "mm/slab.h"

#define RW_SECTORS 300	   /* two commands: 256 + 44 */
#define RW_FIRST_LBA 4096  /* four areas of RW_SECTORS from here */
#define RW_AREA_STRIDE 512 /* sectors between two areas' starts */

/* Byte i of sector lba in area k (the pytest computes the same). */
static uint8_t pattern(uint64_t lba, unsigned i, unsigned k)
{
	return (uint8_t)(lba * 131 + i * 7 + k * 29);
}

static struct ata_device *first_disk(void)
{
	struct ata_device *d;
	for (int i = 0; (d = ata_device(i)); i++)
		if (d->kind == ATA_DISK)
			return d;
	ktest_fail("no ATA disk (attach one with -drive ...,if=ide)");
}

static void one_area(struct ata_device *d, uint8_t *buf, unsigned k)
{
	bool polled = k & 1, ext = k & 2;
	uint64_t lba = RW_FIRST_LBA + k * RW_AREA_STRIDE;
	for (unsigned s = 0; s < RW_SECTORS; s++)
		for (unsigned i = 0; i < ATA_SECTOR; i++)
			buf[s * ATA_SECTOR + i] = pattern(lba + s, i, k);
	uint64_t f = polled ? irq_save() : 0;
	int rc = ata_transfer(d, lba, RW_SECTORS, buf, true, ext);
	if (!rc) {
		for (unsigned n = 0; n < RW_SECTORS * ATA_SECTOR; n++)
			buf[n] = 0;
		rc = ata_transfer(d, lba, RW_SECTORS, buf, false, ext);
	}
	if (polled)
		irq_restore(f);
	if (rc)
		ktest_fail("area %u: error %d: %s", k, rc, d->last_error);
	for (unsigned s = 0; s < RW_SECTORS; s++)
		for (unsigned i = 0; i < ATA_SECTOR; i++)
			if (buf[s * ATA_SECTOR + i] != pattern(lba + s, i, k))
				ktest_fail(
				    "area %u: sector %lu byte %u differs", k,
				    (unsigned long)(lba + s), i);
	printk("ata_rw: area %u: %u sectors at %lu, %s, LBA%d: ok\n", k,
	       RW_SECTORS, (unsigned long)lba,
	       polled ? "polled" : "interrupts on", ext ? 48 : 28);
}

KTEST(ata_rw, "ATA: write/read back sectors, LBA28/LBA48, IRQ and polled")
{
	ata_init(); /* ktests run before the kernel's own storage set-up */
	struct ata_device *d = first_disk();
	uint8_t *buf = kmalloc(RW_SECTORS * ATA_SECTOR);
	if (!buf)
		ktest_fail("no memory for the buffer");
	for (unsigned k = 0; k < 4; k++)
		one_area(d, buf, k);
	if (ata_read(d, d->sectors, 1, buf) != -EINVAL)
		ktest_fail("a read past the end was not refused");
	if (ata_flush(d))
		ktest_fail("flush: %s", d->last_error);
	kfree(buf);
	printk("ata_rw: completions by IRQ %lu, polled %lu, errors %lu\n",
	       (unsigned long)d->irq_done, (unsigned long)d->polled_done,
	       (unsigned long)d->errors);
	if (!d->irq_done || !d->polled_done)
		ktest_fail("expected both IRQ and polled completions");
}
