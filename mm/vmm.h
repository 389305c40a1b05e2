/* vmm.h — the kernel's page tables: direct map, image permissions, guarded
 * stacks. */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/multiboot.h"
#include "mm/pagetable.h"

/* Kernel stacks and other virtually-contiguous kernel memory live here
 * (PML4 entry 384), each stack with an unmapped guard page below it. */
#define VMALLOC_BASE 0xffffc00000000000ULL
#define VMALLOC_SIZE (1ULL << 39)

/* Hooks over pmm and the direct map, for pt_* calls on any root; with
 * .unsupported = PTE_NX when the CPU has no NX (set by vmm_init). */
extern struct pt_ops vmm_ops;

/* Build the kernel's own page tables from the memory map and switch to
 * them: all RAM at DIRECT_MAP_BASE (large pages, NX), the image with
 * per-section permissions, guard pages of the known stacks unmapped. */
void vmm_init(const struct boot_info *bi);
uint64_t vmm_kernel_root(void);
/* CPU features the tables use (after vmm_init). NX: the CPU has it and
 * EFER.NXE is set; without it, PTE_NX passed to vmm_map, vmm_protect or
 * pt_* with vmm_ops is left out of the entries. */
bool vmm_has_1g_pages(void);
bool vmm_has_nx(void);

/* Map/unmap/protect in the kernel's upper half (shared by every space). */
int vmm_map(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);
int vmm_unmap(uint64_t va, uint64_t len);
int vmm_protect(uint64_t va, uint64_t len, uint64_t flags);
bool vmm_translate(uint64_t va, uint64_t *pa);

/* A kernel stack of `pages` pages in the vmalloc range, with an unmapped
 * guard page below it, registered by name for fault diagnosis. Returns
 * the top (initial RSP), or 0 when out of memory. */
uint64_t vmm_alloc_stack(const char *name, unsigned pages);

/* True when the direct map maps phys (RAM of the memory map): a table
 * address outside it must not be dereferenced. Reads only vmm's own
 * record of the ranges, so it never faults. */
bool vmm_direct_maps(uint64_t phys);

#endif
