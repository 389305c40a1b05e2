/* bootmm.h — early changes to the boot page tables (before mm/vmm takes over).
 */
#ifndef MM_BOOTMM_H
#define MM_BOOTMM_H

#include <stdint.h>

/* Unmap one 4 KiB page of the kernel image mapping (a guard page). */
void bootmm_unmap_kernel_page(uint64_t va);
/* Unmap the guard page of every registered stack (kernel/arch/stacks.h)
 * that lies inside the kernel image. */
void bootmm_unmap_stack_guards(void);

#endif
