/* proc_hooks.c — calls into the debugger's registered hooks, so proc never
 * names the debugger. */
#include "kernel/proc/proc_hooks.h"

static const struct proc_debug_hooks *hooks;

void proc_set_debug_hooks(const struct proc_debug_hooks *h)
{
	hooks = h;
}

void proc_hook_fork_begin(void)
{
	if (hooks && hooks->fork_begin)
		hooks->fork_begin();
}

void proc_hook_fork_end(void)
{
	if (hooks && hooks->fork_end)
		hooks->fork_end();
}

void proc_hook_space_freed(uint64_t root)
{
	if (hooks && hooks->space_freed)
		hooks->space_freed(root);
}

bool proc_hook_user_trap_claimed(const struct trap_frame *f)
{
	return hooks && hooks->user_trap_claimed && hooks->user_trap_claimed(f);
}
