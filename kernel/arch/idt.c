/* idt.c — builds the IDT: every vector to its stub, IST stacks for #DF/NMI/#MC.
 */
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/trap.h"

extern const uint64_t isr_stub_table[256];
struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_set_gate(unsigned vector, unsigned ist, unsigned dpl)
{
	uint64_t off = isr_stub_table[vector];
	idt[vector] = (struct idt_gate){
	    .offset_lo = off & 0xffff,
	    .selector = SEL_KCODE,
	    .ist = (uint8_t)ist,
	    .type_attr = (uint8_t)(IDT_PRESENT | (dpl ? IDT_DPL3 : 0) |
				   IDT_TYPE_INTERRUPT),
	    .offset_mid = (off >> 16) & 0xffff,
	    .offset_hi = (uint32_t)(off >> 32),
	};
}

uint64_t idt_gate_offset(const struct idt_gate *g)
{
	return g->offset_lo | (uint64_t)g->offset_mid << 16 |
	       (uint64_t)g->offset_hi << 32;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set_gate(v, 0, 0);
	idt_set_gate(VEC_DF, IST_DOUBLE_FAULT, 0);
	idt_set_gate(VEC_NMI, IST_NMI, 0);
	idt_set_gate(VEC_MC, IST_MACHINE_CHECK, 0);
	idt_set_gate(VEC_BP, 0, 3); /* int3 allowed from ring 3 */
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof idt - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}
