/* proc_hooks.h — what the debugger (a higher layer) asks to hear from the
 * process layer. */
#ifndef KERNEL_PROC_PROC_HOOKS_H
#define KERNEL_PROC_PROC_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/trap.h"

/* Every member may be NULL. The debugger registers these at boot; the
 * process layer never names the debugger. */
struct proc_debug_hooks {
	/* Around fork's sharing of the parent's pages: take software
	 * breakpoints out of memory before, put them back after (the child
	 * must not inherit int3s; the parent then gets its own copies). */
	void (*fork_begin)(void);
	void (*fork_end)(void);
	/* The page tables at root (CR3 without flags) are being freed. */
	void (*space_freed)(uint64_t root);
	/* A #BP or #DB taken in ring 3: true when the debugger caused it (an
	 * int3 it planted, a step it asked for, a DR0-DR3 slot it armed) and
	 * will stop there; false leaves it to the process layer, which ends
	 * the process with SIGTRAP. Must not clear DR6. */
	bool (*user_trap_claimed)(const struct trap_frame *f);
};

void proc_set_debug_hooks(const struct proc_debug_hooks *hooks);

/* The process layer's side: call the registered hook, if any. */
void proc_hook_fork_begin(void);
void proc_hook_fork_end(void);
void proc_hook_space_freed(uint64_t root);
/* False when no debugger is registered. */
bool proc_hook_user_trap_claimed(const struct trap_frame *f);

#endif
