/* extable.c — looks the faulting RIP up in the linker-collected fix-up table.
 */
#include "kernel/arch/extable.h"

extern const struct extable_entry __start_extable[], __stop_extable[];

bool extable_fixup(struct trap_frame *f)
{
	for (const struct extable_entry *e = __start_extable;
	     e < __stop_extable; e++) {
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	}
	return false;
}
