/* extable.c — looks the faulting RIP up in the linker-collected fix-up table.
 */
#include "kernel/arch/extable.h"

extern const struct extable_entry __start_extable[], __stop_extable[];

uint64_t extable_lookup(const struct trap_frame *f)
{
	/* The faults a listed access can take: #PF on the page, #GP on a
	 * non-canonical address or an MSR, #SS on the stack segment. */
	if (f->vector != VEC_PF && f->vector != VEC_GP && f->vector != VEC_SS)
		return 0;
	for (const struct extable_entry *e = __start_extable;
	     e < __stop_extable; e++)
		if (e->insn == f->rip)
			return e->fixup;
	return 0;
}

bool extable_fixup(struct trap_frame *f)
{
	uint64_t fixup = extable_lookup(f);
	if (fixup)
		f->rip = fixup;
	return fixup != 0;
}
