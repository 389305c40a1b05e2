/* syscall.h — dispatcher behind syscall and int 0x80. */
#ifndef KERNEL_PROC_SYSCALL_H
#define KERNEL_PROC_SYSCALL_H

#include "kernel/arch/trap.h"

/* Run the call in f->rax with arguments from f (uapi.h); the result goes
 * to f->rax. Called by kernel/proc/switch.asm and the int 0x80 handler
 * with interrupts off; the call itself runs with them on (a handler
 * needing them off around a device or the debugger's state says so),
 * and they are off again on return. */
void syscall_dispatch(struct trap_frame *f);
/* Where switch.asm's `call syscall_dispatch` returns (a struct trap_frame
 * sits right above that call's frame), for backtraces. */
extern const char syscall_return[];

#endif
