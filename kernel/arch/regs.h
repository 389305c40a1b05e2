/* regs.h — the one table of the registers a trap saves, and the bit names of
 * RFLAGS, CR0, CR4, EFER. */
#ifndef KERNEL_ARCH_REGS_H
#define KERNEL_ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/trap.h"

/* The saved registers in GDB's numbering order (features/i386/
 * 64bit-core.xml: rax..r15, rip, eflags, cs, ss). Every consumer expands
 * this one list: the name lookup behind $reg and `set`, the GDB stub's
 * register numbers, and the register dumps of the diagnosis and `regs`
 * (the first TRAP_NGPRS, four to a line). */
/* clang-format off */
#define TRAP_REGS(X)                                                           \
	X(rax) X(rbx) X(rcx) X(rdx) X(rsi) X(rdi) X(rbp) X(rsp)                \
	X(r8) X(r9) X(r10) X(r11) X(r12) X(r13) X(r14) X(r15)                  \
	X(rip) X(rflags) X(cs) X(ss)
/* clang-format on */

#define TRAP_REG_ENUM(name) TRAP_REG_##name,
enum trap_reg { TRAP_REGS(TRAP_REG_ENUM) TRAP_NREGS };
#undef TRAP_REG_ENUM
#define TRAP_NGPRS 16 /* rax..r15 */

struct trap_reg_def {
	const char *name; /* lower case, as $name and GDB spell it */
	uint16_t offset;  /* in struct trap_frame */
};
extern const struct trap_reg_def trap_reg_defs[TRAP_NREGS];

/* The saved value of register r (enum trap_reg) in f. */
static inline uint64_t *trap_reg_slot(struct trap_frame *f, unsigned r)
{
	return (uint64_t *)((char *)f + trap_reg_defs[r].offset);
}
/* The register called name ("rax", also "pc" and "eflags"), or -1. */
int trap_reg_find(const char *name);

/* One named bit of a register, for decoding. */
struct reg_bit {
	uint8_t bit;
	const char *name;
};
struct reg_bits {
	const char *reg; /* "RFLAGS", "CR0", … */
	const struct reg_bit *bits;
	size_t n;
};
/* RFLAGS (SDM vol. 1, 3.4.3), CR0 and CR4 (vol. 3A, 2.5), IA32_EFER
 * (vol. 3A, 2.2.1; AMD APM vol. 2, 3.1.7). */
extern const struct reg_bits rflags_bits, cr0_bits, cr4_bits, efer_bits;
#define RFLAGS_IOPL_SHIFT 12 /* bits 13:12: I/O privilege level */

#endif
