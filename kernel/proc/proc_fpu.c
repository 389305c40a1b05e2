/* proc_fpu.c — per-process x87/SSE registers (FXSAVE), switched eagerly. */
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/proc_fpu.h"

/* The process whose x87/SSE state the CPU holds, when it can be trusted
 * (NULL after a slot is given a new state, or without FXSAVE). While it
 * runs the CPU's copy is the true one; once switched out both agree. */
static struct proc *fpu_loaded;
static bool fpu_on;

void proc_fpu_init(void)
{
	fpu_on = fpu_init();
}

void proc_fpu_report(void)
{
	printk("fpu: %s\n", fpu_on ? "x87 and SSE for ring 3, FXSAVE state per "
				     "process (switched eagerly)"
				   : "no FXSAVE/SSE: user floating point is "
				     "not isolated");
}

void proc_fpu_new(struct proc *p, bool copy_current)
{
	if (fpu_loaded == p)
		fpu_loaded = 0; /* the CPU holds a previous owner's state */
	if (fpu_on && copy_current)
		fpu_save(p->fpu);
	else if (fpu_on)
		fpu_state_reset(p->fpu);
}

void proc_fpu_exec(struct proc *p)
{
	proc_fpu_new(p, false);
	if (fpu_on) {
		fpu_restore(p->fpu);
		fpu_loaded = p;
	}
}

/* The load is skipped when the CPU still holds p's own state (the
 * kernel never touches these registers). */
void proc_fpu_switch_in(struct proc *p)
{
	if (!fpu_on || fpu_loaded == p)
		return;
	fpu_restore(p->fpu);
	fpu_loaded = p;
}

void proc_fpu_switch_out(struct proc *p)
{
	if (fpu_on)
		fpu_save(p->fpu);
}

/* Are p's registers in the CPU, newer than p->fpu? (Between the choice of
 * p and its switch-in, p is current but its saved copy is the truth.) */
static bool live(const struct proc *p)
{
	return p && p == proc_current() && p == fpu_loaded;
}

bool proc_fpu_read(struct proc *p, struct fpu_state *out)
{
	if (!fpu_on)
		return false;
	if (!p || live(p))
		fpu_save(out);
	else
		memcpy(out, p->fpu, sizeof *out);
	return true;
}

bool proc_fpu_write(struct proc *p, const struct fpu_state *in)
{
	if (!fpu_on)
		return false;
	if (p && !live(p)) {
		memcpy(p->fpu, in, sizeof *in);
		if (fpu_loaded == p)
			fpu_loaded = 0; /* switch_in must load the new copy */
		return true;
	}
	fpu_restore(in);
	/* The saved copy too: a stop between switch-out and the next switch-in
	 * would otherwise lose the write. */
	if (p)
		memcpy(p->fpu, in, sizeof *in);
	if (!live(proc_current()))
		fpu_loaded = 0; /* the CPU's no longer equal its owner's copy */
	return true;
}
