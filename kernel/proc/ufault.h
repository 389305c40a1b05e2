/* ufault.h — exceptions raised in ring 3: kill the process, keep the kernel. */
#ifndef KERNEL_PROC_UFAULT_H
#define KERNEL_PROC_UFAULT_H

#include <stdbool.h>

#include "kernel/arch/trap.h"

/* For an exception taken at CPL 3 (f->cs & 3): print a one-line diagnosis
 * ("pid 3 (crash): SIGSEGV page fault at rip 0x401234 addr 0x0") and end
 * the process; does not return then. A #BP or #DB the program caused
 * itself ends it with SIGTRAP. Returns false, doing nothing, for NMI,
 * #DF, #MC, a #BP/#DB the debugger claims (proc_hooks.h), or without a
 * process. */
bool user_fault(struct trap_frame *f);
/* A write page fault (from ring 3, or a kernel copy to user memory) on a
 * copy-on-write page of the current process: make the page private and
 * writable; true when the access can be retried. */
bool user_cow_fault(const struct trap_frame *f);

/* Boot: join the exception chain (copy-on-write, ring-3 faults) and the
 * entry/exit of every trap from ring 3 (kernel/arch/trap.h). */
void ufault_init(void);

#endif
