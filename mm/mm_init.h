/* mm_init.h — memory-management bring-up at boot. */
#ifndef MM_MM_INIT_H
#define MM_MM_INIT_H

#include "kernel/multiboot.h"

/* pmm from the memory map, the kernel's page tables, the slab heap. */
void mm_init(const struct boot_info *bi);

#endif
