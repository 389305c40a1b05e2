/* gdt.c — the GDT (kernel/user code and data, TSS) and the IST stacks with
 * guard pages. */
#include "kernel/arch/gdt.h"
#include "kernel/arch/stacks.h"
#include "kernel/lib/string.h"

#define IST_STACK_SIZE 16384

struct guarded_stack {
	uint8_t guard[4096];
	uint8_t stack[IST_STACK_SIZE];
} __attribute__((aligned(4096)));

static struct guarded_stack ist_stacks[3];
static const char *const ist_names[3] = {"IST1 (double fault)", "IST2 (NMI)",
					 "IST3 (machine check)"};

struct tss kernel_tss;
uint64_t gdt_table[7] = {
    0,
    DESC_P | DESC_S | DESC_EXEC | DESC_RW | DESC_L,		/* 0x08 */
    DESC_P | DESC_S | DESC_RW,					/* 0x10 */
    DESC_P | DESC_S | DESC_RW | DESC_DPL3,			/* 0x18 */
    DESC_P | DESC_S | DESC_EXEC | DESC_RW | DESC_L | DESC_DPL3, /* 0x20 */
    0,
    0, /* 0x28: TSS, two slots */
};

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&kernel_tss, limit = sizeof kernel_tss - 1;
	gdt_table[5] =
	    (limit & 0xffff) | (base & 0xffffff) << 16 | DESC_TSS_AVAIL << 40 |
	    DESC_P | ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt_table[6] = base >> 32;
}

static void gdt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed))
	ptr = {sizeof gdt_table - 1, (uint64_t)gdt_table};
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA),
			   "r"(SEL_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	memset(&kernel_tss, 0, sizeof kernel_tss);
	kernel_tss.iomap_base = sizeof kernel_tss; /* no I/O bitmap */
	for (int i = 0; i < 3; i++) {
		struct guarded_stack *s = &ist_stacks[i];
		uint64_t top = (uint64_t)(s->stack + IST_STACK_SIZE);
		kernel_tss.ist[i] = top; /* IST(i+1) */
		stack_register(ist_names[i], (uint64_t)s->guard,
			       (uint64_t)s->stack, top);
	}
	gdt_set_tss();
	gdt_load();
}

void tss_set_rsp0(uint64_t rsp0)
{
	kernel_tss.rsp[0] = rsp0;
}
