/* proc.c — process table, spawning, round-robin scheduler loop. */
#include "kernel/gdt.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc/initrd_boot.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/uspace.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/vmm.h"

#define RFLAGS_RESERVED1 (1u << 1) /* always-one bit of RFLAGS */
#define SWITCH_SAVED_REGS 6	   /* rbp rbx r12-r15, see switch.asm */

extern void context_switch(uint64_t *save_rsp, uint64_t new_rsp);
extern char proc_first_return[];
extern uint64_t syscall_kstack_top;

static struct proc procs[NPROC];
static struct proc *current;
static uint64_t sched_rsp; /* the scheduler loop's saved kernel RSP */
static int next_pid = 1;
static char kstack_names[NPROC][PROC_NAME_MAX];

struct proc *proc_current(void)
{
	return current;
}

struct proc *proc_slot(int i)
{
	return i >= 0 && i < NPROC ? &procs[i] : 0;
}

const char *proc_state_name(enum proc_state s)
{
	static const char *const names[] = {"unused", "runnable", "running",
					    "blocked", "zombie"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static struct proc *alloc_slot(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state != PROC_UNUSED)
			continue;
		if (!p->kstack_top) {
			ksnprintf(kstack_names[i], PROC_NAME_MAX,
				  "proc%d kstack", i);
			p->kstack_top =
			    vmm_alloc_stack(kstack_names[i], PROC_KSTACK_PAGES);
			if (!p->kstack_top)
				return 0;
		}
		return p;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *b = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			b = s + 1;
	return b;
}

/* The kernel stack of a new process: a user trap frame at the top and,
 * below it, what context_switch pops to "return" into proc_first_return. */
static void build_kstack(struct proc *p, uint64_t entry, uint64_t user_rsp)
{
	struct trap_frame *tf = (struct trap_frame *)(p->kstack_top) - 1;
	memset(tf, 0, sizeof *tf);
	tf->rip = entry;
	tf->cs = SEL_UCODE;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
	tf->rsp = user_rsp;
	tf->ss = SEL_UDATA;
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)proc_first_return;
	for (int i = 0; i < SWITCH_SAVED_REGS; i++)
		*--sp = 0;
	p->tf = tf;
	p->kctx_rsp = (uint64_t)sp;
}

static void init_files(struct proc *p)
{
	memset(p->files, 0, sizeof p->files);
	for (int fd = FD_STDIN; fd <= FD_STDERR; fd++)
		p->files[fd].kind = FILE_CONSOLE;
}

struct proc *proc_spawn(const char *path, struct proc *parent, int *err)
{
	struct initrd_file f;
	*err = ENOENT;
	if (!initrd_boot_find(path, &f))
		return 0;
	*err = ENOMEM;
	struct proc *p = alloc_slot();
	if (!p)
		return 0;
	strlcpy(p->name, base_name(path), sizeof p->name);
	p->nregions = 0;
	uint64_t entry, user_rsp;
	*err = uspace_load(p, f.data, f.size, &entry, &user_rsp);
	if (*err)
		return 0;
	p->pid = next_pid++;
	p->parent = parent;
	p->status = 0;
	p->chan = 0;
	init_files(p);
	build_kstack(p, entry, user_rsp);
	p->state = PROC_RUNNABLE;
	return p;
}

/* Switch from the scheduler loop into p until it gives the CPU back. */
static void run(struct proc *p)
{
	current = p;
	p->state = PROC_RUNNING;
	tss_set_rsp0(p->kstack_top);
	syscall_kstack_top = p->kstack_top;
	write_cr3(p->root);
	context_switch(&sched_rsp, p->kctx_rsp);
	write_cr3(vmm_kernel_root());
	current = 0;
}

/* After p stopped running: free what a dead process no longer needs. */
static void reap_if_dead(struct proc *p)
{
	if (p->state != PROC_ZOMBIE)
		return;
	uspace_free(p);
	if (!p->parent)
		p->state = PROC_UNUSED;
}

static struct proc *pick(int *last)
{
	for (int k = 1; k <= NPROC; k++) {
		int i = (*last + k) % NPROC;
		if (procs[i].state == PROC_RUNNABLE) {
			*last = i;
			return &procs[i];
		}
	}
	return 0;
}

static bool any_alive(void)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != PROC_UNUSED &&
		    procs[i].state != PROC_ZOMBIE)
			return true;
	return false;
}

void proc_schedule(void)
{
	KASSERT(!current);
	int last = NPROC - 1;
	uint64_t flags = irq_save();
	while (any_alive()) {
		struct proc *p = pick(&last);
		if (!p) {
			sti();
			hlt();
			cli();
			continue;
		}
		run(p);
		reap_if_dead(p);
	}
	irq_restore(flags);
}

void proc_yield(void)
{
	struct proc *p = current;
	KASSERT(p);
	if (p->state == PROC_RUNNING)
		p->state = PROC_RUNNABLE;
	context_switch(&p->kctx_rsp, sched_rsp);
}

void proc_sleep(const void *chan)
{
	current->chan = chan;
	current->state = PROC_BLOCKED;
	proc_yield();
	current->chan = 0;
}

void proc_wakeup(const void *chan)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state == PROC_BLOCKED && procs[i].chan == chan)
			procs[i].state = PROC_RUNNABLE;
}

/* Children of an exiting process lose their parent; dead ones go. */
static void orphan_children(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];
		if (c->state == PROC_UNUSED || c->parent != p)
			continue;
		c->parent = 0;
		if (c->state == PROC_ZOMBIE)
			c->state = PROC_UNUSED;
	}
}

void proc_exit(int status)
{
	struct proc *p = current;
	KASSERT(p);
	p->status = status;
	p->state = PROC_ZOMBIE;
	orphan_children(p);
	if (p->parent)
		proc_wakeup(p->parent);
	context_switch(&p->kctx_rsp, sched_rsp);
	panic("proc: zombie pid %d was scheduled again", p->pid);
}

static int collect(struct proc *c, int *status)
{
	int pid = c->pid;
	if (status)
		*status = c->status;
	c->state = PROC_UNUSED;
	c->parent = 0;
	return pid;
}

int proc_wait(int *status)
{
	struct proc *p = current;
	for (;;) {
		bool have = false;
		for (int i = 0; i < NPROC; i++) {
			struct proc *c = &procs[i];
			if (c->state == PROC_UNUSED || c->parent != p)
				continue;
			if (c->state == PROC_ZOMBIE)
				return collect(c, status);
			have = true;
		}
		if (!have)
			return -ECHILD;
		proc_sleep(p);
	}
}
