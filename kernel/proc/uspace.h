/* uspace.h — a process's user address space. */
#ifndef KERNEL_PROC_USPACE_H
#define KERNEL_PROC_USPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc/proc.h"
#include "kernel/proc/uapi.h"

/* Arguments for a new image (kernel copies of the strings). */
struct uargs {
	int argc; /* 1 .. EXEC_ARGV_MAX */
	const char *argv[EXEC_ARGV_MAX];
};

/* Where a new image starts: RIP, RSP, and argv's user address. */
struct uentry {
	uint64_t entry, rsp, argv;
};

/* Build p's address space (p->root, regions, break) from the ELF file
 * (validated here; a refused file prints "exec NAME: why"), map a user
 * stack holding the arguments, and fill *out. Returns 0, -ENOEXEC or
 * -ENOMEM; on failure p has no address space. */
int uspace_load(struct proc *p, const void *file, size_t size,
		const struct uargs *args, struct uentry *out);
/* Give child a copy-on-write copy of parent's address space: writable
 * pages become read-only in both and are copied on the first write.
 * Returns 0 or -ENOMEM (child then has none). */
int uspace_fork(struct proc *child, struct proc *parent);
/* Resolve a write fault at va on a copy-on-write page of p: true when the
 * page is now private and writable (retry the access). */
bool uspace_cow_fault(struct proc *p, uint64_t va);
/* Give p its own copy of the frame at va if another process shares it
 * (copy-on-write or read-only text after fork), permissions unchanged:
 * the debugger writes breakpoints into one process only. False when va
 * is not mapped or no frame is free. */
bool uspace_make_private(struct proc *p, uint64_t va);
/* Move p's break by incr bytes (pages mapped zeroed or released); *old
 * gets the previous break. Returns 0 or -ENOMEM. */
int uspace_sbrk(struct proc *p, int64_t incr, uint64_t *old);
/* Free every user frame, the page tables and the root of p. */
void uspace_free(struct proc *p);
/* Frames and page tables held by all user address spaces now. */
uint64_t uspace_pages_in_use(void);

#endif
