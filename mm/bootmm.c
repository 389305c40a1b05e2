/* bootmm.c — edits the page tables built by kernel/arch/boot.asm: guard pages
 * in the image. */
#include "kernel/arch/layout.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/x86.h"
#include "kernel/panic.h"
#include "mm/bootmm.h"

extern uint64_t boot_pt_k[BOOT_KPT_COUNT * 512];

void bootmm_unmap_kernel_page(uint64_t va)
{
	uint64_t idx = (va - KERNEL_VMA) / PAGE_SIZE;
	if (va < KERNEL_VMA || idx >= BOOT_KPT_COUNT * 512 || va % PAGE_SIZE)
		panic("bootmm: cannot unmap 0x%lx: not a page of the kernel "
		      "image",
		      va);
	boot_pt_k[idx] = 0;
	invlpg(va);
}

void bootmm_unmap_stack_guards(void)
{
	const struct known_stack *s;
	for (int i = 0; (s = stack_get(i)) != 0; i++)
		if (s->guard >= KERNEL_VMA)
			bootmm_unmap_kernel_page(s->guard);
}
