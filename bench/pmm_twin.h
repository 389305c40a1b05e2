/* pmm_twin.h — the twin_pmm_* copy of the page allocator that
 * bench/pmm_twin.c builds, for benchmarks that need two at once. */
#ifndef BENCH_PMM_TWIN_H
#define BENCH_PMM_TWIN_H

#include "mm/pmm.h"

void twin_pmm_init(const struct mem_range *avail, size_t navail,
		   const struct mem_range *reserved, size_t nreserved,
		   void *(*phys_to_virt)(uint64_t));
uint64_t twin_pmm_alloc(unsigned order, uint16_t owner);
void twin_pmm_free(uint64_t phys, unsigned order);
void twin_pmm_stats(struct pmm_stats *st);
void twin_pmm_verify(void);

#endif
