/* slab_pmm.h — the kernel's slab page source: pmm frames seen through the
 * direct map. */
#ifndef MM_SLAB_PMM_H
#define MM_SLAB_PMM_H

#include <stdint.h>

#include "mm/slab.h"

/* Fill *src with hooks that take pages from pmm_alloc (owner
 * PMM_OWNER_SLAB) and address them at virt = phys + direct_map_offset
 * (0xffff800000000000 on the kernel; an arena offset in tests). Per-page
 * pointers live in the pmm frame descriptors. pmm_init must have run. */
void slab_pmm_source(struct slab_page_source *src, uint64_t direct_map_offset);

#endif
