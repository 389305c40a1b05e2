/* proc.h — processes: table, states, scheduler loop. */
#ifndef KERNEL_PROC_PROC_H
#define KERNEL_PROC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/trap.h"

#define NPROC 16
#define PROC_NAME_MAX 16
#define NFILE 8
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

enum file_kind { FILE_NONE = 0, FILE_CONSOLE, FILE_INITRD };

/* An open file: the console, or an initrd member read in place. */
struct file {
	enum file_kind kind;
	const uint8_t *data;
	size_t size, pos;
};

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
	struct file files[NFILE];
	struct region regions[PROC_MAX_REGIONS];
	int nregions;
};

/* The running process, or NULL in the kernel's own context. */
struct proc *proc_current(void);
/* A new process running the initrd file path, RUNNABLE, child of parent
 * (NULL for init). Returns NULL with a message printed on failure, *err
 * set to a positive errno. */
struct proc *proc_spawn(const char *path, struct proc *parent, int *err);
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
/* The i-th slot of the table (for listings), NULL past the end. */
struct proc *proc_slot(int i);
const char *proc_state_name(enum proc_state s);

#endif
