/* debug_proc.h — processes as the debugger sees them: thread ids, saved user
 * registers, address spaces. */
#ifndef KERNEL_DEBUG_DEBUG_PROC_H
#define KERNEL_DEBUG_DEBUG_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/fpu.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/trap.h"

/*
 * Thread ids (GDB's view, see gdb_kernel.c):
 *   1        the CPU: whatever it was running when it stopped (kernel code,
 *            or a process in ring 3); its registers are the stopped frame.
 *   pid + 1  process pid; its registers are the user registers saved at its
 *            last kernel entry (or the stopped frame when the CPU stopped in
 *            its ring-3 code), its memory is its own address space (CR3).
 */
#define DEBUG_TID_CPU 1

/* Fill ids with the thread ids (DEBUG_TID_CPU first); returns the count. */
size_t debug_thread_ids(uint64_t *ids, size_t max);
/* True when tid names the CPU or a process slot in use. */
bool debug_thread_exists(uint64_t tid);
/* The thread the CPU stopped in: the process whose ring-3 code was running,
 * else DEBUG_TID_CPU. */
uint64_t debug_stop_tid(void);
/* tid's registers (NULL: none saved) and page-table root (0: the current
 * tables; the upper half is the same in every address space). */
struct trap_frame *debug_thread_frame(uint64_t tid);
uint64_t debug_thread_root(uint64_t tid);
/* tid's x87/SSE registers (an FXSAVE image): the CPU's for DEBUG_TID_CPU,
 * else the process's (current, whether live in the CPU or saved). Setting
 * them makes them what the process (or the CPU) resumes with. False when
 * the CPU has no FXSAVE or tid is gone. */
bool debug_thread_fpu(uint64_t tid, struct fpu_state *out);
bool debug_thread_set_fpu(uint64_t tid, const struct fpu_state *in);
/* "pid 3 readline (blocked)" or "cpu: kernel" into buf. */
void debug_thread_describe(uint64_t tid, char *buf, size_t n);
/* Before an int3 goes into a user page of the process whose tables are
 * root: give it its own copy of a frame shared after fork, so the other
 * processes do not trap. False when that fails (no memory). */
bool debug_make_private(uint64_t root, uint64_t addr);
/* Is root (CR3 without flags) the kernel's or a live process's tables? */
bool debug_space_alive(uint64_t root);
/* A known stack's name for a person: a process slot's kernel stack is
 * named by the process in the slot ("pid 3 (sh) kernel", "unused
 * process slot 4 kernel"), any other by its registered name. */
void debug_stack_name(const struct known_stack *s, char *buf, size_t n);
#define DEBUG_STACK_NAME_MAX 48 /* "pid 123 (name-of-15-chars) kernel" */

#endif
