/* crash.c — one function per deliberate fault: divide error, #UD, #GP, #PF,
 * overflow, ... */
#include <stdint.h>

#include "kernel/arch/idt.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/crash.h"
#include "kernel/lib/string.h"

static volatile unsigned zero;
static volatile uint64_t sink;
static volatile uint64_t never = ~0ULL;

static void crash_de(void)
{
	/* In assembly: the compiler may not fold or reorder a real div. */
	__asm__ volatile("xor %%edx, %%edx; divl %1"
			 :
			 : "a"(1), "r"(zero)
			 : "rdx");
}

static void crash_ud(void)
{
	__asm__ volatile("ud2");
}

static void crash_gp(void)
{
	/* GDT index 582 does not exist: #GP with error code 0x1230. */
	__asm__ volatile("mov %0, %%ds" : : "r"(0x1230));
}

/* Through a variable: a literal null store is UB the compiler rewrites. */
static volatile uint64_t *volatile null_pointer;

static void crash_pf(void)
{
	*null_pointer = 0x1234;
}

static void crash_noncanonical(void)
{
	sink = *(volatile uint64_t *)0xdead000000000000ULL;
}

/* No tail call: each frame must stay on the stack. */
__attribute__((noinline)) static uint64_t recurse(uint64_t depth)
{
	volatile uint8_t pad[256];
	pad[0] = (uint8_t)depth;
	if (depth == never)
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void crash_stack(void)
{
	sink = recurse(0);
}

/* Vector 0x90 is marked not present: `int` on it raises #NP with an
 * error code naming IDT entry 0x90. */
#define CRASH_BAD_VECTOR 0x90

static void crash_idt(void)
{
	idt[CRASH_BAD_VECTOR].type_attr &= (uint8_t)~IDT_PRESENT;
	__asm__ volatile("int %0" : : "i"(CRASH_BAD_VECTOR));
	idt_set_gate(CRASH_BAD_VECTOR, 0, 0); /* if we ever come back */
}

static void crash_int3(void)
{
	__asm__ volatile("int3");
}

/* Without a local APIC driver there is no self-IPI; `int 2` enters the
 * NMI gate (IST2) exactly as an NMI would. */
static void crash_nmi(void)
{
	__asm__ volatile("int $2");
}

const struct crash_kind crash_kinds[] = {
    {"de", "divide by zero: #DE (vector 0)", crash_de},
    {"ud", "ud2: #UD invalid opcode (vector 6)", crash_ud},
    {"gp", "load selector 0x1230: #GP(0x1230), GDT index 582", crash_gp},
    {"pf", "write to address 0: #PF, CR2 = 0", crash_pf},
    {"noncanonical", "read 0xdead000000000000: #GP(0), non-canonical",
     crash_noncanonical},
    {"stack", "unbounded recursion: #PF on the guard page -> #DF on IST1",
     crash_stack},
    {"idt", "int 0x90 after clearing its IDT entry's P bit: #NP(IDT 0x90)",
     crash_idt},
    {"int3", "a compiled-in int3: #BP (vector 3), resumable", crash_int3},
    {"nmi", "enter the NMI gate (IST2), resumable", crash_nmi},
};
const unsigned crash_kinds_count = sizeof crash_kinds / sizeof crash_kinds[0];

const struct crash_kind *crash_find(const char *name)
{
	for (unsigned i = 0; i < crash_kinds_count; i++)
		if (!strcmp(crash_kinds[i].name, name))
			return &crash_kinds[i];
	return 0;
}
