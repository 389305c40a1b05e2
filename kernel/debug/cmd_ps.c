/* cmd_ps.c — monitor command ps: the process table. */
#include "kernel/debug/monitor.h"
#include "kernel/proc/proc.h"

static void ps_row(struct mon_ctx *ctx, const struct proc *p, bool cur)
{
	mon_printf(ctx, "%c%4d %5d  %-8s %-15s 0x%016lx 0x%016lx 0x%016lx\n",
		   cur ? '*' : ' ', p->pid, p->parent ? p->parent->pid : 0,
		   proc_state_name(p->state), p->name, (unsigned long)p->root,
		   (unsigned long)p->kstack_top,
		   (unsigned long)(p->tf ? p->tf->rip : 0));
}

static int cmd_ps(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	mon_printf(ctx, "%5s %5s  %-8s %-15s %-18s %-18s %s\n", "PID", "PPID",
		   "STATE", "NAME", "CR3", "KSTACK TOP", "USER RIP");
	int shown = 0;
	for (int i = 0; proc_slot(i); i++) {
		const struct proc *p = proc_slot(i);
		if (p->state == PROC_UNUSED)
			continue;
		ps_row(ctx, p, p == proc_current());
		shown++;
	}
	if (!shown)
		mon_printf(ctx, "(no processes)\n");
	return MON_OK;
}
MON_COMMAND(
    ps, "",
    "processes: pid, parent, state, name, CR3, kernel stack, user RIP\n"
    "One line per process slot in use; '*' marks the current one. USER\n"
    "RIP is where the process was when it last entered the kernel.",
    MON_MEMSAFE, cmd_ps);
