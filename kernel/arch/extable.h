/* extable.h — exception fix-ups: an instruction allowed to fault, and where to
 * resume. */
#ifndef KERNEL_ARCH_EXTABLE_H
#define KERNEL_ARCH_EXTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/trap.h"

struct extable_entry {
	uint64_t insn;	/* address of the instruction that may fault */
	uint64_t fixup; /* where execution resumes if it does */
};

/* In inline assembly, after the instruction at label insn:
 *   EXTABLE_ASM("1b", "2f")
 * In NASM: section extable, then "dq insn, fixup" (see
 * kernel/arch/safecopy.asm). */
#define EXTABLE_ASM(insn, fixup)                                               \
	".pushsection extable, \"a\"\n\t.balign 8\n\t.quad " insn ", " fixup   \
	"\n\t.popsection\n\t"

/* Where the fix-up table would resume f (a #PF, #GP or #SS on a listed
 * instruction), or 0 when it would not handle f. Changes nothing. */
uint64_t extable_lookup(const struct trap_frame *f);
/* If f faulted on a listed instruction, point it at its fix-up and return
 * true (the exception is then handled). */
bool extable_fixup(struct trap_frame *f);

#endif
