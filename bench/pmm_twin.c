/* pmm_twin.c — a second, independent copy of mm/pmm.c (its state is
 * file-static) under twin_pmm_* names, so bench_pmm can hold two memory
 * sizes at once and time them in alternation. */
#define pmm_init twin_pmm_init
#define pmm_alloc twin_pmm_alloc
#define pmm_free twin_pmm_free
#define pmm_page twin_pmm_page
#define pmm_set_private twin_pmm_set_private
#define pmm_get_private twin_pmm_get_private
#define pmm_share twin_pmm_share
#define pmm_block_of twin_pmm_block_of
#define pmm_stats twin_pmm_stats
#define pmm_verify twin_pmm_verify
#define pmm_busy twin_pmm_busy

#include "mm/pmm.c"

#include "bench/pmm_twin.h" /* checks its prototypes against these */
