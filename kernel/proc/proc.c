/* proc.c — process table, spawning, round-robin scheduler loop. */
#include "drivers/console.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "fs/storage.h"
#include "kernel/proc/exec_file.h"
#include "kernel/proc/fd.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/proc_fpu.h"
#include "kernel/proc/proc_hooks.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/uspace.h"
#include "mm/vmm.h"

#define RFLAGS_RESERVED1 (1u << 1) /* always-one bit of RFLAGS */
#define SWITCH_SAVED_REGS 6	   /* rbp rbx r12-r15, see switch.asm */
#define SLICE_MS 10		   /* round-robin time slice */

extern void context_switch(uint64_t *save_rsp, uint64_t new_rsp);
extern char proc_first_return[];
extern uint64_t syscall_kstack_top;

static struct proc procs[NPROC];
static struct fpu_state fpu_states[NPROC]; /* procs[i].fpu, kept apart */
static struct proc *current;
static uint64_t sched_rsp; /* the scheduler loop's saved kernel RSP */
static int next_pid = 1;
static char kstack_names[NPROC][PROC_NAME_MAX];
/* What blocked processes wait for besides another process: a deadline, or
 * console input. The scheduler loop checks both (wake_ready). */
static const char timer_chan, input_chan;

struct proc *proc_current(void)
{
	return current;
}

struct proc *proc_slot(int i)
{
	return i >= 0 && i < NPROC ? &procs[i] : 0;
}

struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != PROC_UNUSED && procs[i].pid == pid)
			return &procs[i];
	return 0;
}

const char *proc_state_name(enum proc_state s)
{
	static const char *const names[] = {"unused", "runnable", "running",
					    "blocked", "zombie"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* Every slot gets its kernel stack up front, so running processes never
 * grows the kernel's own memory (usertests count free pages). */
bool proc_init(void)
{
	proc_fpu_report();
	for (int i = 0; i < NPROC; i++) {
		procs[i].fpu = &fpu_states[i];
		ksnprintf(kstack_names[i], PROC_NAME_MAX, "proc%d kstack", i);
		procs[i].kstack_top =
		    vmm_alloc_stack(kstack_names[i], PROC_KSTACK_PAGES);
		if (!procs[i].kstack_top) {
			printk("proc: no memory for kernel stack %d\n", i);
			return false;
		}
	}
	return true;
}

static struct proc *alloc_slot(void)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state == PROC_UNUSED)
			return &procs[i];
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

/* The kernel stack of a new process: the user trap frame tf at the top and,
 * below it, what context_switch pops to "return" into proc_first_return. */
static void build_kstack(struct proc *p, const struct trap_frame *tf)
{
	p->tf = (struct trap_frame *)(p->kstack_top) - 1;
	*p->tf = *tf;
	uint64_t *sp = (uint64_t *)p->tf;
	*--sp = (uint64_t)proc_first_return;
	for (int i = 0; i < SWITCH_SAVED_REGS; i++)
		*--sp = 0;
	p->kctx_rsp = (uint64_t)sp;
}

/* User registers that start a program: RDI = argc, RSI = argv. */
static void start_frame(struct trap_frame *tf, const struct uentry *e, int argc)
{
	memset(tf, 0, sizeof *tf);
	tf->rip = e->entry;
	tf->cs = SEL_UCODE;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
	tf->rsp = e->rsp;
	tf->ss = SEL_UDATA;
	tf->rdi = (uint64_t)argc;
	tf->rsi = e->argv;
}

/* A fresh slot for a child of parent, named name. */
static void init_proc(struct proc *p, const char *name, struct proc *parent)
{
	strlcpy(p->name, name, sizeof p->name);
	p->pid = next_pid++;
	p->parent = parent;
	p->status = 0;
	p->chan = 0;
	p->killed = false;
}

int proc_spawn(const char *path, struct proc *parent, struct proc **out)
{
	void *data;
	size_t size;
	int rc = exec_file_load(parent ? parent->cwd : "/", path, &data, &size);
	if (rc)
		return rc;
	struct proc *p = alloc_slot();
	if (!p) {
		exec_file_free(data);
		return -ENOMEM;
	}
	strlcpy(p->name, base_name(path), sizeof p->name);
	struct uargs args = {1, {p->name}};
	struct uentry e;
	rc = uspace_load(p, data, size, &args, &e);
	exec_file_free(data);
	if (rc)
		return rc;
	init_proc(p, base_name(path), parent);
	fd_init_std(p);
	if (parent)
		memcpy(p->cwd, parent->cwd, sizeof p->cwd);
	proc_fpu_new(p, false);
	struct trap_frame tf;
	start_frame(&tf, &e, args.argc);
	build_kstack(p, &tf);
	p->state = PROC_RUNNABLE;
	*out = p;
	return 0;
}

int proc_fork(struct proc **out)
{
	struct proc *parent = current, *c = alloc_slot();
	if (!c)
		return -EAGAIN;
	/* The child gets the parent's pages without the debugger's int3s;
	 * putting them back gives the parent its own copy of those pages.
	 * No break key in between: the debugger would put them back early. */
	uint64_t flags = irq_save();
	proc_hook_fork_begin();
	int rc = uspace_fork(c, parent);
	proc_hook_fork_end();
	irq_restore(flags);
	if (rc)
		return rc;
	init_proc(c, parent->name, parent);
	fd_fork(c, parent);
	proc_fpu_new(c, true);
	build_kstack(c, parent->tf);
	c->tf->rax = 0; /* fork returns 0 in the child */
	c->state = PROC_RUNNABLE;
	*out = c;
	return 0;
}

/* Move the address space built in from into p (whose own is freed). */
static void take_space(struct proc *p, struct proc *from)
{
	uint64_t old = p->root;
	write_cr3(from->root); /* never run on tables being freed */
	p->root = 0;
	struct proc tmp = *p;
	tmp.root = old;
	uspace_free(&tmp);
	p->root = from->root;
	memcpy(p->regions, from->regions, sizeof p->regions);
	p->nregions = from->nregions;
	p->brk_base = from->brk_base;
	p->brk = from->brk;
}

int proc_exec(const char *path, const struct uargs *args)
{
	struct proc *p = current;
	void *data;
	size_t size;
	int rc = exec_file_load(p->cwd, path, &data, &size);
	if (rc)
		return rc;
	struct proc img = {0}; /* only its address-space fields are used */
	strlcpy(img.name, base_name(path), sizeof img.name);
	struct uentry e;
	rc = uspace_load(&img, data, size, args, &e);
	exec_file_free(data);
	if (!rc) {
		take_space(p, &img);
		strlcpy(p->name, img.name, sizeof p->name);
		start_frame(p->tf, &e, args->argc);
		proc_fpu_exec(p);
	}
	return rc;
}

/* Switch from the scheduler loop into p until it gives the CPU back. */
static void run(struct proc *p)
{
	current = p;
	p->state = PROC_RUNNING;
	p->slice_start = clock_ticks();
	tss_set_rsp0(p->kstack_top);
	syscall_kstack_top = p->kstack_top;
	if (read_cr3() != p->root)
		write_cr3(
		    p->root); /* a CR3 write flushes the TLB: only if new */
	/* Eager switching: no process ever sees another's x87/SSE state. */
	proc_fpu_switch_in(p);
	context_switch(&sched_rsp, p->kctx_rsp);
	proc_fpu_switch_out(p);
	current = 0;
}

/* Leave p's address space loaded after it ran (the upper half is the same
 * in all), until its tables are freed or the CPU goes idle. */
static void unload_space(void)
{
	if (read_cr3() != vmm_kernel_root())
		write_cr3(vmm_kernel_root());
}

/* After p stopped running: free what a dead process no longer needs. */
static void reap_if_dead(struct proc *p)
{
	if (p->state != PROC_ZOMBIE)
		return;
	unload_space();
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

/* Wake sleepers whose time has come, input waiters when input is there,
 * and killed processes (they end on their way out of the kernel). */
static void wake_ready(void)
{
	uint64_t now = uptime_ms();
	bool input = console_input_ready();
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state != PROC_BLOCKED)
			continue;
		if (p->killed ||
		    (p->chan == &timer_chan && now >= p->wake_at) ||
		    (p->chan == &input_chan && input))
			p->state = PROC_RUNNABLE;
	}
}

void proc_schedule(void)
{
	KASSERT(!current);
	int last = NPROC - 1;
	uint64_t flags = irq_save();
	while (any_alive()) {
		wake_ready();
		struct proc *p = pick(&last);
		if (!p) {
			storage_periodic(); /* write back old dirty blocks */
			unload_space();	    /* idle: the kernel's own tables */
			sti();
			hlt();
			cli();
			continue;
		}
		run(p);
		reap_if_dead(p);
	}
	unload_space();
	irq_restore(flags);
}

/* The scheduler loop runs with interrupts off; a process that gives up
 * the CPU from a system call (interrupts on) gets its IF back when it is
 * chosen again. */
void proc_yield(void)
{
	struct proc *p = current;
	KASSERT(p);
	uint64_t flags = irq_save();
	if (p->state == PROC_RUNNING)
		p->state = PROC_RUNNABLE;
	context_switch(&p->kctx_rsp, sched_rsp);
	irq_restore(flags);
}

static __attribute__((noreturn)) void die_killed(void)
{
	printk("pid %d (%s): killed (SIGKILL)\n", current->pid, current->name);
	proc_exit(SIGKILL);
}

void proc_sleep(const void *chan)
{
	if (current->killed)
		die_killed();
	current->chan = chan;
	current->state = PROC_BLOCKED;
	proc_yield();
	current->chan = 0;
	if (current->killed)
		die_killed();
}

void proc_sleep_ms(uint64_t ms)
{
	uint64_t now = uptime_ms(), deadline = now + ms;
	if (deadline < now) /* past 2^64 ms: as good as never */
		deadline = UINT64_MAX;
	while (uptime_ms() < deadline) {
		current->wake_at = deadline;
		proc_sleep(&timer_chan);
	}
}

void proc_wait_input(void)
{
	proc_sleep(&input_chan);
}

int proc_kill(int pid)
{
	struct proc *p = proc_by_pid(pid);
	if (!p || p->state == PROC_ZOMBIE)
		return -ESRCH;
	p->killed = true;
	return 0;
}

void proc_user_entry(struct trap_frame *f)
{
	if (current)
		current->tf = f;
}

void proc_preempt_point(void)
{
	struct proc *p = current;
	if (!p)
		return;
	if (p->killed)
		die_killed();
	if ((clock_ticks() - p->slice_start) * 1000 >= SLICE_MS * clock_hz())
		proc_yield();
	if (p->killed)
		die_killed();
}

void proc_trap_return(void)
{
	proc_preempt_point();
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
	fd_close_all(p);
	cli(); /* for good: the scheduler loop runs with interrupts off */
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
