/* idt.h — the interrupt descriptor table: 256 gates into kernel/arch/isr.asm.
 */
#ifndef KERNEL_ARCH_IDT_H
#define KERNEL_ARCH_IDT_H

#include <stdint.h>

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;	   /* bits 0-2: IST index, 0 = none */
	uint8_t type_attr; /* P, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

#define IDT_TYPE_INTERRUPT 0xe /* 64-bit interrupt gate: clears IF */
#define IDT_TYPE_TRAP 0xf      /* 64-bit trap gate: keeps IF */
#define IDT_PRESENT 0x80
#define IDT_DPL3 0x60

extern struct idt_gate idt[256];

void idt_init(void);
/* Change a gate: IST index and DPL (0 or 3). */
void idt_set_gate(unsigned vector, unsigned ist, unsigned dpl);
uint64_t idt_gate_offset(const struct idt_gate *g);

#endif
