/* proc_fpu.h — each process's x87/SSE registers: switched with the
 * process, and read or written by the debugger. */
#ifndef KERNEL_PROC_PROC_FPU_H
#define KERNEL_PROC_PROC_FPU_H

#include <stdbool.h>

#include "kernel/arch/fpu.h"

struct proc;

/* Turn on x87/SSE for ring 3; once, at boot (test= kernels too, so a
 * debugger sees SSE state there). */
void proc_fpu_init(void);
/* The boot log's "fpu: ..." line: on, or why not. */
void proc_fpu_report(void);
/* p's state as a new program's, or (fork) a copy of the CPU's registers,
 * which are the running parent's. */
void proc_fpu_new(struct proc *p, bool copy_current);
/* After exec replaced the running p's state: load it now. */
void proc_fpu_exec(struct proc *p);
/* Around running p: load its registers (unless the CPU still holds
 * them), and save them when it gives the CPU back. */
void proc_fpu_switch_in(struct proc *p);
void proc_fpu_switch_out(struct proc *p);

/* For the debugger, stopped: p's registers as they are now (p NULL: the
 * CPU's own), into out. Registers live in the CPU (p is the running
 * process) are FXSAVEd first. False without FXSAVE. */
bool proc_fpu_read(struct proc *p, struct fpu_state *out);
/* Make in p's registers (p NULL: the CPU's): what p runs with from now
 * on, whether they are live in the CPU or saved. False without FXSAVE. */
bool proc_fpu_write(struct proc *p, const struct fpu_state *in);

#endif
