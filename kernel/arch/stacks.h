/* stacks.h — the kernel's known stacks and their guard pages (for diagnosis).
 */
#ifndef KERNEL_ARCH_STACKS_H
#define KERNEL_ARCH_STACKS_H

#include <stdint.h>

#define MAX_KNOWN_STACKS 96 /* boot + IST + a kernel stack per process */

struct known_stack {
	const char *name;
	uint64_t guard; /* start of the unmapped guard page (0 = none) */
	uint64_t bottom;
	uint64_t top;
};

/* Record a stack [bottom, top) with an unmapped guard page just below it
 * (guard 0 = none). Guards inside the kernel image are unmapped by
 * bootmm_unmap_stack_guards() (mm/bootmm.h); vmalloc stacks (mm/vmm.c)
 * never map theirs. */
void stack_register(const char *name, uint64_t guard, uint64_t bottom,
		    uint64_t top);
/* The stack whose guard page or body contains addr, or NULL.
 * *in_guard tells which. */
const struct known_stack *stack_find(uint64_t addr, int *in_guard);
/* The i-th registered stack, NULL past the end. */
const struct known_stack *stack_get(int i);

#endif
