/* proc_hooks.h — what the debugger (a higher layer) asks to hear from the
 * process layer. */
#ifndef KERNEL_PROC_PROC_HOOKS_H
#define KERNEL_PROC_PROC_HOOKS_H

#include <stdint.h>

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
};

void proc_set_debug_hooks(const struct proc_debug_hooks *hooks);

/* The process layer's side: call the registered hook, if any. */
void proc_hook_fork_begin(void);
void proc_hook_fork_end(void);
void proc_hook_space_freed(uint64_t root);

#endif
