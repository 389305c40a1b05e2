/* pic.c — programs the two 8259A interrupt controllers (remap, mask, EOI). */
#include "drivers/pic.h"
#include "kernel/arch/x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11 /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI 0x20 /* non-specific end of interrupt */

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	io_wait();
	outb(PIC1_DATA, PIC_VECTOR_BASE); /* ICW2: master vector base */
	io_wait();
	outb(PIC2_DATA, PIC_VECTOR_BASE + 8); /* ICW2: slave vector base */
	io_wait();
	outb(PIC1_DATA, 1 << IRQ_CASCADE); /* ICW3: slave on IRQ2 */
	io_wait();
	outb(PIC2_DATA, IRQ_CASCADE); /* ICW3: slave identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	outb(PIC1_DATA,
	     0xff & ~(1 << IRQ_CASCADE)); /* all masked but cascade */
	outb(PIC2_DATA, 0xff);
}

static uint16_t port_of(unsigned irq)
{
	return irq < 8 ? PIC1_DATA : PIC2_DATA;
}

void pic_unmask(unsigned irq)
{
	uint16_t port = port_of(irq);
	outb(port, inb(port) & ~(1 << (irq % 8)));
}

void pic_mask(unsigned irq)
{
	uint16_t port = port_of(irq);
	outb(port, inb(port) | (1 << (irq % 8)));
}

uint16_t pic_get_mask(void)
{
	return (uint16_t)(inb(PIC1_DATA) | inb(PIC2_DATA) << 8);
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}
