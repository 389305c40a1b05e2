/* ufault.c — a user-mode fault ends the process with one line. */
#include "kernel/arch/x86.h"
#include "kernel/printk.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/proc_hooks.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/ufault.h"
#include "kernel/proc/usercopy.h"
#include "kernel/proc/uspace.h"

/* #PF error-code bits (SDM vol. 3A, 4.7). */
#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGBUS:
		return "SIGBUS";
	case SIGTRAP:
		return "SIGTRAP";
	default:
		return "SIGSEGV";
	}
}

/* Linux's choice of signal per exception (arch/x86/kernel/traps.c). */
static int signal_for(unsigned v)
{
	switch (v) {
	case VEC_DE:
	case VEC_MF:
	case VEC_XM:
		return SIGFPE;
	case VEC_UD:
		return SIGILL;
	case VEC_SS:
	case VEC_NP:
	case VEC_AC:
		return SIGBUS;
	case VEC_DB:
	case VEC_BP:
		return SIGTRAP;
	default:
		return SIGSEGV;
	}
}

/* NMI, #DF and #MC are the machine's, never the process's; a #BP or #DB
 * is the debugger's only when it caused it. */
static bool debugger_owns(const struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	if (v == VEC_BP || v == VEC_DB)
		return proc_hook_user_trap_claimed(f);
	return v == VEC_NMI || v == VEC_DF || v == VEC_MC;
}

/* The one line for a trap no debugger asked for. */
static void print_trap(const struct proc *p, const struct trap_frame *f)
{
	printk("pid %d (%s): SIGTRAP ", p->pid, p->name);
	if (f->vector == VEC_BP) {
		printk("breakpoint (int3) at rip 0x%lx (no debugger planted "
		       "it)\n",
		       f->rip);
		return;
	}
	uint64_t dr6 = read_dr6();
	write_dr6(0); /* sticky: the next #DB must not see these */
	if (dr6 & DR6_BS)
		printk("single-step at rip 0x%lx (the program set the trap "
		       "flag)\n",
		       f->rip);
	else
		printk("debug exception at rip 0x%lx (dr6 0x%lx, no debugger "
		       "armed it)\n",
		       f->rip, dr6);
}

static void print_pf(const struct proc *p, const struct trap_frame *f, int sig)
{
	uint64_t e = f->error;
	printk("pid %d (%s): %s page fault at rip 0x%lx addr 0x%lx (%s %s)\n",
	       p->pid, p->name, signal_name(sig), f->rip, read_cr2(),
	       e & PF_FETCH   ? "fetch"
	       : e & PF_WRITE ? "write"
			      : "read",
	       e & PF_PRESENT ? "protection" : "not-present");
}

bool user_cow_fault(const struct trap_frame *f)
{
	struct proc *p = proc_current();
	uint64_t va = read_cr2();
	if (!p ||
	    (f->error & (PF_PRESENT | PF_WRITE)) != (PF_PRESENT | PF_WRITE) ||
	    va >= USER_END)
		return false;
	return uspace_cow_fault(p, va);
}

bool user_fault(struct trap_frame *f)
{
	struct proc *p = proc_current();
	unsigned v = (unsigned)f->vector;
	if (!p || v >= 32 || (f->cs & 3) != 3 || debugger_owns(f))
		return false;
	int sig = signal_for(v);
	if (v == VEC_PF)
		print_pf(p, f, sig);
	else if (sig == SIGTRAP)
		print_trap(p, f);
	else
		printk("pid %d (%s): %s %s at rip 0x%lx (error 0x%lx)\n",
		       p->pid, p->name, signal_name(sig), trap_name(v), f->rip,
		       f->error);
	proc_exit(sig);
}

static bool cow_link(struct trap_frame *f)
{
	return f->vector == VEC_PF && user_cow_fault(f);
}

static bool user_fault_link(struct trap_frame *f)
{
	return (f->cs & 3) == 3 && user_fault(f);
}

/* First thing on a trap from ring 3: RFLAGS.AC is the user's, so with
 * SMAP on clear it (the kernel never runs with user access open); then
 * note the process's frame unless on an IST stack. */
static void user_enter(struct trap_frame *f)
{
	user_access_reset();
	if (!trap_on_ist((unsigned)f->vector))
		proc_user_entry(f);
}

void ufault_init(void)
{
	trap_add_hook(TRAP_STAGE_COW, cow_link);
	trap_add_hook(TRAP_STAGE_USER, user_fault_link);
	trap_set_user_hooks(user_enter, proc_trap_return);
}
