/* layout.h — the kernel's address-space constants and phys/virt conversions. */
#ifndef KERNEL_ARCH_LAYOUT_H
#define KERNEL_ARCH_LAYOUT_H

#include <stdint.h>

#include "kernel/arch/page.h"

#define KERNEL_PHYS 0x100000ULL		      /* loaded at 1 MiB */
#define KERNEL_VMA 0xffffffff80000000ULL      /* linked here */
#define DIRECT_MAP_BASE 0xffff800000000000ULL /* all RAM at base + phys */
#define BOOT_DM_GIB 64			      /* boot tables map 64 GiB */
#define BOOT_KPT_COUNT 8 /* 16 MiB of kernel image in 4K pages */
#define KSTACK_SIZE 16384

/* Linker-script symbols bounding the image. */
extern char _kernel_start[], _text_start[], _text_end[], _rodata_start[],
    _rodata_end[], _data_start[], _bss_start[], _bss_end[], _kernel_end[];

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)(phys + DIRECT_MAP_BASE);
}

static inline uint64_t kernel_virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - KERNEL_VMA + KERNEL_PHYS;
}

static inline uint64_t virt_to_phys(const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;
	return v >= KERNEL_VMA ? v - KERNEL_VMA + KERNEL_PHYS
			       : v - DIRECT_MAP_BASE;
}

#endif
