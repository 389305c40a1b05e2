/* gdt.h — segment selectors, the GDT and the 64-bit TSS with its IST stacks. */
#ifndef KERNEL_ARCH_GDT_H
#define KERNEL_ARCH_GDT_H

#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
/* 0x18 | RPL 3; user data comes before user code, as sysret wants. */
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS 0x28

/* Segment descriptor bits (SDM vol. 3A, 3.4.5): access byte and flags
 * nibble of the upper half, as a 64-bit GDT entry holds them. */
#define DESC_RW (1ULL << 41)   /* readable code / writable data */
#define DESC_EXEC (1ULL << 43) /* code segment */
#define DESC_S (1ULL << 44)    /* code/data (not system) */
#define DESC_DPL3 (3ULL << 45)
#define DESC_P (1ULL << 47)   /* present */
#define DESC_L (1ULL << 53)   /* 64-bit code */
#define DESC_TSS_AVAIL 0x9ULL /* system type: 64-bit TSS (available) */

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7]; /* IST1..IST7 live in ist[0..6] */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104,
	       "TSS layout (SDM vol. 3A, fig. 8-11)");
extern struct tss kernel_tss;
extern uint64_t gdt_table[7];

/* Load the GDT and TSS; set up IST stacks with guard pages. */
void gdt_init(void);
/* Set the ring-0 stack used when an interrupt arrives from ring 3. */
void tss_set_rsp0(uint64_t rsp0);

#endif
