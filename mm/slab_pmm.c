/* slab_pmm.c — slab page source over the buddy allocator and the direct map. */
#include "mm/slab_pmm.h"

#include "mm/pmm.h"

static uint64_t offset; /* virt = phys + offset */

static uint64_t to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - offset;
}

static void *src_alloc(void *ctx, unsigned order)
{
	(void)ctx;
	uint64_t phys =
	    order <= PMM_MAX_ORDER ? pmm_alloc(order, PMM_OWNER_SLAB) : 0;
	return phys ? (void *)(uintptr_t)(phys + offset) : NULL;
}

static void src_free(void *ctx, void *addr, unsigned order)
{
	(void)ctx;
	pmm_free(to_phys(addr), order);
}

static void src_set(void *ctx, void *page, void *priv)
{
	(void)ctx;
	pmm_set_private(to_phys(page), priv);
}

static void *src_get(void *ctx, const void *addr)
{
	(void)ctx;
	/* below the direct map the subtraction wraps to a huge address,
	 * which pmm_get_private reports as unmanaged (NULL) */
	return pmm_get_private(to_phys(addr));
}

void slab_pmm_source(struct slab_page_source *src, uint64_t direct_map_offset)
{
	offset = direct_map_offset;
	src->alloc_pages = src_alloc;
	src->free_pages = src_free;
	src->set_private = src_set;
	src->get_private = src_get;
	src->ctx = NULL;
}
