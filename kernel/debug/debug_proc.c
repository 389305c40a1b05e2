/* debug_proc.c — processes as the debugger sees them: thread ids, saved user
 * registers, address spaces. */
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/fd.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/proc_fpu.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/uspace.h"
#include "mm/pagetable.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define RING_MASK 3 /* CS bits 1:0: the privilege level of the code */

/* The process of tid (> DEBUG_TID_CPU), or NULL. */
static struct proc *proc_of(uint64_t tid)
{
	struct proc *p;
	if (tid <= DEBUG_TID_CPU)
		return 0;
	for (int i = 0; (p = proc_slot(i)); i++)
		if (p->state != PROC_UNUSED && (uint64_t)p->pid + 1 == tid)
			return p;
	return 0;
}

size_t debug_thread_ids(uint64_t *ids, size_t max)
{
	struct proc *p;
	size_t n = 0;
	if (max)
		ids[n++] = DEBUG_TID_CPU;
	for (int i = 0; (p = proc_slot(i)) && n < max; i++)
		if (p->state != PROC_UNUSED)
			ids[n++] = (uint64_t)p->pid + 1;
	return n;
}

bool debug_thread_exists(uint64_t tid)
{
	return tid == DEBUG_TID_CPU || proc_of(tid);
}

static bool stopped_in_user(void)
{
	const struct trap_frame *f = debug_frame();
	return f && (f->cs & RING_MASK) == RING_MASK && proc_current();
}

uint64_t debug_stop_tid(void)
{
	if (stopped_in_user())
		return (uint64_t)proc_current()->pid + 1;
	return DEBUG_TID_CPU;
}

struct trap_frame *debug_thread_frame(uint64_t tid)
{
	struct proc *p = proc_of(tid);
	if (!p)
		return tid == DEBUG_TID_CPU ? debug_frame() : 0;
	if (p == proc_current() && stopped_in_user())
		return debug_frame();
	return p->tf;
}

uint64_t debug_thread_root(uint64_t tid)
{
	struct proc *p = proc_of(tid);
	return p ? p->root & PTE_ADDR_MASK : 0;
}

bool debug_thread_fpu(uint64_t tid, struct fpu_state *out)
{
	struct proc *p = proc_of(tid);
	return (p || tid == DEBUG_TID_CPU) && proc_fpu_read(p, out);
}

bool debug_thread_set_fpu(uint64_t tid, const struct fpu_state *in)
{
	struct proc *p = proc_of(tid);
	return (p || tid == DEBUG_TID_CPU) && proc_fpu_write(p, in);
}

/* Append p's open files other than the console to buf: " fd3=/etc/motd"
 * (as many as fit; `fds PID` in the monitor has the details). */
static void append_files(const struct proc *p, char *buf, size_t n)
{
	for (int fd = 0; fd < NFILE; fd++) {
		const struct ofile *f = p->fds[fd];
		size_t used = strlen(buf);
		if (f && f->kind != OFILE_CONSOLE && used < n)
			ksnprintf(buf + used, n - used, " fd%d=%s", fd,
				  f->path);
	}
}

void debug_thread_describe(uint64_t tid, char *buf, size_t n)
{
	struct proc *p = proc_of(tid);
	if (p) {
		ksnprintf(buf, n, "pid %d %s (%s)", p->pid, p->name,
			  proc_state_name(p->state));
		append_files(p, buf, n);
		return;
	}
	p = proc_current();
	if (stopped_in_user())
		ksnprintf(buf, n, "cpu: user mode of pid %d %s", p->pid,
			  p->name);
	else if (p)
		ksnprintf(buf, n, "cpu: kernel, for pid %d %s", p->pid,
			  p->name);
	else
		ksnprintf(buf, n, "cpu: kernel");
}

bool debug_make_private(uint64_t root, uint64_t addr)
{
	struct proc *p;
	if (root == 0 || addr >= USER_END)
		return true; /* the kernel's memory is never shared this way */
	for (int i = 0; (p = proc_slot(i)); i++)
		if (p->state != PROC_UNUSED && p->root &&
		    (p->root & PTE_ADDR_MASK) == root)
			/* stopped inside the allocator: no copy can be made */
			return !pmm_busy() && uspace_make_private(p, addr);
	return true;
}

bool debug_space_alive(uint64_t root)
{
	struct proc *p;
	if (root == 0 || root == (vmm_kernel_root() & PTE_ADDR_MASK))
		return true;
	for (int i = 0; (p = proc_slot(i)); i++)
		if (p->state != PROC_UNUSED && p->root &&
		    (p->root & PTE_ADDR_MASK) == root)
			return true;
	return false;
}

void debug_stack_name(const struct known_stack *s, char *buf, size_t n)
{
	struct proc *p;
	for (int i = 0; (p = proc_slot(i)); i++) {
		if (p->kstack_top != s->top)
			continue;
		if (p->state == PROC_UNUSED)
			ksnprintf(buf, n, "unused process slot %d kernel", i);
		else
			ksnprintf(buf, n, "pid %d (%s) kernel", p->pid,
				  p->name);
		return;
	}
	ksnprintf(buf, n, "%s", s->name);
}
