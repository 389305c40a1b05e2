/* pmm.h — buddy allocator of physical page frames (4 KiB .. 4 MiB blocks). */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/page.h"

/* Orders 0..PMM_MAX_ORDER: a block of order k is 2^k pages, naturally
 * aligned (order 10 = 4 MiB). */
#define PMM_MAX_ORDER 10
#define PMM_NR_ORDERS (PMM_MAX_ORDER + 1)

/* Physical memory above this is ignored (with a warning): it is all the
 * early kernel can reach, and frame numbers fit in 32 bits. */
#define PMM_MAX_PHYS (64ULL << 30)

/* Owner tags recorded per allocated block, shown by the monitor. */
#define PMM_OWNER_NONE 0
#define PMM_OWNER_KERNEL 1
#define PMM_OWNER_PAGETABLE 2
#define PMM_OWNER_SLAB 3
#define PMM_OWNER_USER 4
#define PMM_OWNER_STACK 5
#define PMM_OWNER_TEST 0xfff0

/* A physical address range [base, base + len). */
struct mem_range {
	uint64_t base, len;
};

/* Frame descriptor states. */
enum page_state {
	PAGE_ABSENT = 0, /* not RAM (a hole), or above PMM_MAX_PHYS */
	PAGE_RESERVED,	 /* RAM that is never handed out */
	PAGE_FREE, /* head of a free block (its bit set in the order's map) */
	PAGE_ALLOCATED, /* head of an allocated block */
	PAGE_TAIL,	/* managed page inside a block, not its head */
};

/* One per physical page frame (16 bytes). Which blocks are free is kept
 * in per-order bitmaps (see pmm.c), never in the free memory itself;
 * pmm_alloc and pmm_free update these descriptors a little later than
 * the bitmaps, so read them through pmm_page. */
struct page {
	void *private;	/* owner's per-page pointer, NULL outside allocations */
	uint8_t state;	/* enum page_state */
	uint8_t order;	/* block order, valid for FREE/ALLOCATED heads */
	uint16_t owner; /* PMM_OWNER_*, valid for ALLOCATED heads */
	uint32_t shares; /* extra mappings of an ALLOCATED head (COW) */
};

struct pmm_stats {
	uint64_t total_pages;  /* RAM pages below PMM_MAX_PHYS */
	uint64_t usable_pages; /* total - reserved */
	uint64_t free_pages;
	uint64_t allocated_pages;
	uint64_t reserved_pages; /* incl. the frame descriptors themselves */
	uint64_t ignored_pages;	 /* RAM above PMM_MAX_PHYS */
	uint64_t free_blocks[PMM_NR_ORDERS];
	int largest_free_order; /* -1 when nothing is free */
	uint64_t alloc_count, free_count, failed_allocs;
	/* 1000 * (1 - largest_free_block_pages / free_pages); 0 when nothing
	 * is free. 0 = all free memory in one block, ~1000 = shattered. */
	unsigned frag_permille;
	uint64_t meta_phys, meta_bytes; /* where the descriptors live */
	/* The allocator's bitmaps, right after the descriptors: allocated
	 * to it at init (counted in allocated_pages), never freeable. */
	uint64_t map_phys, map_bytes;
	size_t desc_bytes_per_page; /* sizeof(struct page) */
};

/* Set up the allocator from the firmware memory map. avail: usable RAM
 * (any order, unaligned, may overlap; partial pages are dropped).
 * reserved: ranges never handed out (rounded outwards to pages). Frame 0
 * is always reserved so 0 can mean "no memory". The frame descriptor
 * array and, after it, the bitmaps are carved from the lowest free RAM
 * that fits both: the descriptors reserved, the bitmaps allocated to the
 * kernel; phys_to_virt must map them (and is kept for later access).
 * Panics if they fit nowhere. May be called again to start
 * over (tests). */
void pmm_init(const struct mem_range *avail, size_t navail,
	      const struct mem_range *reserved, size_t nreserved,
	      void *(*phys_to_virt)(uint64_t));

/* Allocate 2^order contiguous pages aligned to their size, tagged with
 * owner. Returns the physical address, or 0 when no block is free. */
uint64_t pmm_alloc(unsigned order, uint16_t owner);

/* Free a block from pmm_alloc with the same order. Panics naming the
 * address on an unaligned, never/already freed, wrong-order, reserved or
 * out-of-range address. */
void pmm_free(uint64_t phys, unsigned order);

/* The descriptor of the frame holding phys, or NULL outside the managed
 * range, up to date until the next pmm_alloc or pmm_free. Read-only use
 * is the rule; use pmm_set_private to write. */
struct page *pmm_page(uint64_t phys);

/* A per-page pointer the owner of an allocated block may set on any of
 * its pages (slab stores its slab header). Reads NULL on pages nobody
 * set, and on pages not inside an allocated block. The owner must reset
 * it to NULL before freeing. Panics if phys is not in an allocated block. */
void pmm_set_private(uint64_t phys, void *p);
void *pmm_get_private(uint64_t phys);

/* Copy-on-write sharing of an allocated block: pmm_share(phys, +1) records
 * one more mapping of it, pmm_share(phys, -1) drops one; returns the count
 * of mappings beyond the first afterwards. Panics if phys is not the head
 * of an allocated block or the count would go below zero. pmm_free of a
 * block still shared panics too. */
unsigned pmm_share(uint64_t phys, int delta);

/* True while pmm_alloc, pmm_free or pmm_share is under way: a debugger
 * that stopped the kernel there must not allocate. */
bool pmm_busy(void);

/* If phys lies in a block (free or allocated), return true and its head
 * address and order. */
bool pmm_block_of(uint64_t phys, uint64_t *head, unsigned *order);

void pmm_stats(struct pmm_stats *st);

/* Check every invariant (bitmaps vs descriptors, summary bits, counters,
 * no two free buddies left unmerged); panics with the first violation.
 * O(pages). */
void pmm_verify(void);

#endif
