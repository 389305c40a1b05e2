/* syscall.h — dispatcher behind syscall and int 0x80. */
#ifndef KERNEL_PROC_SYSCALL_H
#define KERNEL_PROC_SYSCALL_H

#include "kernel/arch/trap.h"

/* Run the call in f->rax with arguments from f (uapi.h); the result goes
 * to f->rax. Called by kernel/proc/switch.asm and the int 0x80 handler. */
void syscall_dispatch(struct trap_frame *f);
/* Where switch.asm's `call syscall_dispatch` returns (a struct trap_frame
 * sits right above that call's frame), for backtraces. */
extern const char syscall_return[];

#endif
