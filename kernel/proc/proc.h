/* proc.h — processes: table, states, scheduler loop.
 *
 * Errors in kernel/proc: a function that can fail returns int — 0 (or a
 * non-negative result such as a pid) on success, a negative -E* from
 * uapi.h on failure, never a positive errno — and hands back any object
 * it made through an out-parameter (struct proc **). A system call
 * returns such a value to ring 3 unchanged. */
#ifndef KERNEL_PROC_PROC_H
#define KERNEL_PROC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/fpu.h"
#include "kernel/arch/trap.h"

#define NPROC 64
#define PROC_NAME_MAX 16
#define NFILE 16	 /* descriptors per process */
#define PROC_CWD_MAX 256 /* VFS_PATH_MAX */
#define PROC_MAX_REGIONS 10
#define PROC_KSTACK_PAGES 4
#define USER_STACK_TOP                                                         \
	0x7ffffffff000ULL /* one unmapped page below USER_END                  \
			   */
#define USER_STACK_PAGES 16

enum proc_state {
	PROC_UNUSED = 0,
	PROC_RUNNABLE, /* ready; the scheduler will switch to it */
	PROC_RUNNING,  /* the current process */
	PROC_BLOCKED,  /* waiting on chan (e.g. for a child to exit) */
	PROC_ZOMBIE,   /* exited; status kept until the parent waits */
};

struct ofile; /* an open file (kernel/proc/fd.h) */

/* A range of user memory backed by frames this process owns. */
struct region {
	uint64_t va, len;
};

struct proc {
	int pid;
	enum proc_state state;
	char name[PROC_NAME_MAX];
	struct proc *parent;
	const void *chan;      /* what a BLOCKED process waits for */
	uint64_t root;	       /* page-table root (CR3), 0 when freed */
	uint64_t kstack_top;   /* kernel stack, kept with the slot for reuse */
	uint64_t kctx_rsp;     /* saved kernel RSP while switched out */
	struct trap_frame *tf; /* user registers at the last kernel entry */
	int status;	       /* wait status once ZOMBIE (uapi.h W_*) */
	struct ofile *fds[NFILE]; /* descriptors; NULL when closed */
	char cwd[PROC_CWD_MAX];	  /* canonical current directory */
	struct region regions[PROC_MAX_REGIONS];
	int nregions;
	uint64_t brk_base, brk; /* heap [brk_base, brk), grown by sbrk */
	uint64_t wake_at;	/* uptime (ms) a sleeping process waits for */
	uint64_t slice_start;	/* timer tick when it last got the CPU */
	bool killed;	       /* ends with SIGKILL on its way back to ring 3 */
	struct fpu_state *fpu; /* x87/SSE registers while switched out */
};

/* Allocate every slot's kernel stack; false (with a message) on OOM. */
bool proc_init(void);
/* The running process, or NULL in the kernel's own context. */
struct proc *proc_current(void);
/* A new process running the program at path, RUNNABLE, child of parent
 * (NULL for init), in *out. Returns 0, or -ENOENT, -ENOMEM, -ENOEXEC (a
 * refused file also prints why). */
int proc_spawn(const char *path, struct proc *parent, struct proc **out);
/* A copy of the current process (copy-on-write memory, same files), RUNNABLE,
 * returning 0 from the system call, in *out. Returns 0, or -EAGAIN (the
 * table is full) or -ENOMEM. */
int proc_fork(struct proc **out);
struct uargs;
/* Replace the current process's image with the program at path: on
 * success its registers start the new program when the system call
 * returns. Returns 0 or -ENOENT/-ENOEXEC/-ENOMEM, the old image intact. */
int proc_exec(const char *path, const struct uargs *args);
/* Mark pid to end with SIGKILL: 0, or -ESRCH if no such live process. */
int proc_kill(int pid);
/* Block the current process for ms milliseconds (a deadline past 2^64
 * ms saturates: it blocks until killed). */
void proc_sleep_ms(uint64_t ms);
/* Block the current process until console input is available. */
void proc_wait_input(void);
/* On every entry from ring 3: f holds the process's user registers (ps,
 * bt and GDB's threads read them while it is switched out). */
void proc_user_entry(struct trap_frame *f);
/* On every return to ring 3 from an interrupt or trap: end a killed
 * process, give up the CPU when the time slice is used. */
void proc_trap_return(void);
/* The same from inside a long system call, between two pieces of its
 * work (the kernel is not preempted otherwise): a killed process ends
 * here, one whose time slice is used lets the others run first. */
void proc_preempt_point(void);
/* Run processes until none is left (returns then). From the kernel's own
 * context only. */
void proc_schedule(void);
/* Give up the CPU: back to the scheduler loop; returns when chosen again. */
void proc_yield(void);
/* Block the current process on chan until proc_wakeup(chan). */
void proc_sleep(const void *chan);
void proc_wakeup(const void *chan);
/* End the current process with wait status; never returns. */
__attribute__((noreturn)) void proc_exit(int status);
/* Wait for a child to exit: its pid and status, or -ECHILD. */
int proc_wait(int *status);
/* The process with this pid (any state but unused), or NULL. */
struct proc *proc_by_pid(int pid);
/* The i-th slot of the table (for listings), NULL past the end. */
struct proc *proc_slot(int i);
const char *proc_state_name(enum proc_state s);

#endif
