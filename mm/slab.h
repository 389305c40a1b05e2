/* slab.h — object caches and kmalloc on top of a pluggable page source. */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_PAGE_SIZE 4096u
#define SLAB_MAX_ORDER 3	/* slabs are 1..8 pages */
#define SLAB_MAX_OBJS 512	/* objects per slab (bitmap size) */
#define SLAB_MAX_OBJ_SIZE 8192u /* larger: use whole pages */
#define KMALLOC_MIN 16
#define KMALLOC_MAX 2048     /* above: whole pages (kmalloc-large) */
#define KMALLOC_ALIGN 16     /* alignment kmalloc guarantees */
#define KMALLOC_MAX_ORDER 10 /* largest kmalloc: 4 MiB */

#define SLAB_POISON_FREE 0x6b /* fill of free objects (as Linux) */

/* slab_init flags */
#define SLAB_POISON 1u /* poison freed objects, check on reuse */

/* Where slabs get memory. On the kernel: the pmm plus the direct map
 * (mm/slab_pmm.c); on the host: a test arena. */
struct slab_page_source {
	/* 2^order pages aligned to SLAB_PAGE_SIZE, or NULL when out of memory
	 */
	void *(*alloc_pages)(void *ctx, unsigned order);
	void (*free_pages)(void *ctx, void *addr, unsigned order);
	/* A pointer kept per 4 KiB page of a block from alloc_pages. */
	void (*set_private)(void *ctx, void *page, void *priv);
	/* The pointer of the page holding addr; NULL for any address that is
	 * not in a live block from alloc_pages or whose page has none. */
	void *(*get_private)(void *ctx, const void *addr);
	void *ctx;
};

struct kmem_cache; /* opaque */

/* Start (or restart, in tests) the heap on src; flags: SLAB_POISON.
 * The flags hold for every cache until the next slab_init. */
void slab_init(const struct slab_page_source *src, unsigned flags);

/* A cache of objects of `size` bytes aligned to `align` (0 = 8; a power of
 * two up to 4096). name is copied (up to 23 chars). Panics on a size over
 * SLAB_MAX_OBJ_SIZE or a bad align; NULL when out of memory. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align);
/* Release a cache and its slabs; panics if objects are still in use. */
void kmem_cache_destroy(struct kmem_cache *c);

/* An object from c, or NULL when out of memory. With poisoning, the
 * object reads as SLAB_POISON_FREE bytes; panics if a free object was
 * written to since it was freed (use after free). */
void *kmem_cache_alloc(struct kmem_cache *c);
/* Return obj to c; panics on a double free, on a pointer that is not the
 * start of an object, or one of another cache — naming both. */
void kmem_cache_free(struct kmem_cache *c, void *obj);

/* General allocations: 16..2048 bytes from size classes, larger from
 * whole pages (up to 4 MiB). 16-byte aligned; kmalloc(0) is NULL. */
void *kmalloc(size_t n);
void *kzalloc(size_t n);
/* Like realloc: NULL p = kmalloc; n = 0 frees and returns NULL; on
 * failure NULL and p is untouched. */
void *krealloc(void *p, size_t n);
/* Free anything from kmalloc (NULL is ignored); panics on a bad pointer. */
void kfree(void *p);
/* Usable size of a kmalloc'd block. Panics on a bad pointer. */
size_t ksize(const void *p);

struct kmem_cache_stats {
	const char *name;
	size_t obj_size;	/* after rounding for alignment */
	unsigned objs_per_slab; /* 0 for kmalloc-large */
	unsigned slab_order;
	uint64_t objs_inuse, objs_free;
	uint64_t slabs, bytes;	/* pages held, in slabs and bytes */
	uint64_t allocs, frees; /* successful calls since creation */
};

void kmem_cache_stats(const struct kmem_cache *c, struct kmem_cache_stats *st);

/* Call fn for each cache (creation order, kmalloc classes first), then a
 * "kmalloc-large" pseudo cache for page-sized kmallocs (objs_inuse = live
 * blocks, bytes = their pages). For the monitor's `heap` command. */
void kmem_for_each_cache(void (*fn)(void *ctx,
				    const struct kmem_cache_stats *st),
			 void *ctx);

/* Sum of bytes held from the page source (slabs + large blocks). */
uint64_t slab_bytes_held(void);

#endif
