/* mm_init.c — brings up memory management from the boot information, in order.
 */
#include "kernel/arch/layout.h"
#include "kernel/printk.h"
#include "mm/mm_init.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/slab_pmm.h"
#include "mm/vmm.h"

#define MAX_RESERVED (MB2_MAX_MODULES + 4)

static void *boot_phys_to_virt(uint64_t phys)
{
	return phys_to_virt(phys);
}

/* Everything pmm must never hand out: low memory, the image, the boot
 * information and the modules GRUB loaded. */
static size_t reserved_ranges(const struct boot_info *bi, struct mem_range *r)
{
	size_t n = 0;
	r[n++] = (struct mem_range){0, 0x100000};
	r[n++] = (struct mem_range){
	    KERNEL_PHYS, kernel_virt_to_phys(_kernel_end) - KERNEL_PHYS};
	r[n++] = (struct mem_range){bi->phys, bi->size};
	for (size_t i = 0; i < bi->nmodules; i++)
		r[n++] = (struct mem_range){bi->modules[i].start,
					    bi->modules[i].end -
						bi->modules[i].start};
	return n;
}

void mm_init(const struct boot_info *bi)
{
	struct mem_range avail[MB2_MAX_MMAP], reserved[MAX_RESERVED];
	size_t navail = 0;
	for (size_t i = 0; i < bi->nmmap; i++)
		if (bi->mmap[i].type == MB2_MEM_AVAILABLE)
			avail[navail++] = (struct mem_range){bi->mmap[i].base,
							     bi->mmap[i].len};
	pmm_init(avail, navail, reserved, reserved_ranges(bi, reserved),
		 boot_phys_to_virt);
	vmm_init(bi);
	static struct slab_page_source src;
	slab_pmm_source(&src, DIRECT_MAP_BASE);
	slab_init(&src, SLAB_POISON);
	struct pmm_stats st;
	pmm_stats(&st);
	printk("mm: %lu MiB usable, %lu MiB free; page tables built "
	       "(%s pages, NX %s)\n",
	       st.usable_pages >> 8, st.free_pages >> 8,
	       vmm_has_1g_pages() ? "1 GiB + 2 MiB" : "2 MiB",
	       vmm_has_nx() ? "on" : "unavailable");
}
