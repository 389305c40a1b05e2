/* mon_proc.h — monitor commands and processes: pid arguments, a process's
 * saved contexts (bt PID, regs PID). */
#ifndef KERNEL_DEBUG_MON_PROC_H
#define KERNEL_DEBUG_MON_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/page.h"
#include "kernel/debug/monitor.h"

/* Where an argument may be a pid or an address (pt, vmmap, bt), a value
 * this small is a pid: frame 0 holds no table, page 0 no stack. */
#define MON_PID_LIMIT PAGE_SIZE

struct proc;

/* Process pid (any state but unused), or NULL after printing "<cmd>: no
 * process N (see ps)". */
struct proc *mon_proc(struct mon_ctx *ctx, uint64_t pid);
/* Evaluate arg as a pid and find its process, as mon_proc. */
struct proc *mon_proc_arg(struct mon_ctx *ctx, const char *arg);
/* The page-table root (CR3 without flags) of process pid, or false after
 * printing why there is none (no such process, or its space is freed). */
bool mon_proc_root(struct mon_ctx *ctx, uint64_t pid, uint64_t *root);

/* bt PID: the process's kernel stack from the context context_switch
 * saved (or the stopped frame when it is the one running), then its user
 * stack from the registers of its last kernel entry. */
int mon_bt_proc(struct mon_ctx *ctx, const struct proc *p);
/* regs PID: its user registers and its saved kernel context. */
int mon_regs_proc(struct mon_ctx *ctx, const struct proc *p);

#endif
