/* uspace.h — a process's user address space. */
#ifndef KERNEL_PROC_USPACE_H
#define KERNEL_PROC_USPACE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/proc/proc.h"

/* Build p's address space from the ELF file (validated here; a refused
 * file prints "exec NAME: why"), map a user stack, and set *entry and
 * *user_rsp. Returns 0 or a positive errno (ENOEXEC, ENOMEM). */
int uspace_load(struct proc *p, const void *file, size_t size, uint64_t *entry,
		uint64_t *user_rsp);
/* Free every user frame, the page tables and the root of p. */
void uspace_free(struct proc *p);
/* Frames and page tables held by all user address spaces now. */
uint64_t uspace_pages_in_use(void);

#endif
