/* slab.c — slab object caches with poisoning, and kmalloc size classes over
 * them. */
#include "mm/slab.h"

#include "kernel/lib/string.h"
#include "kernel/panic.h"

#define SLAB_MAGIC 0x51ab51abu
#define NCLASSES 8	  /* kmalloc-16 .. kmalloc-2048 */
#define SLAB_KEEP_EMPTY 1 /* empty slabs a cache keeps before releasing */
#define LARGE_TAG 1u	  /* low bit of a page's private: kmalloc-large */
#define NAME_LEN 24

enum slab_list { LIST_EMPTY, LIST_PARTIAL, LIST_FULL, NLISTS };

/* Header at the start of every slab; objects follow it. */
struct slab {
	uint32_t magic;
	uint16_t inuse, nobj;
	uint8_t list; /* enum slab_list it is on */
	struct kmem_cache *cache;
	struct slab *next, *prev;
	void *free; /* first free object; each free object holds the next */
	uint8_t *objs;
	uint64_t bitmap[SLAB_MAX_OBJS / 64]; /* bit set = object allocated */
};

struct kmem_cache {
	char name[NAME_LEN];
	size_t size, align, hdr; /* object size, alignment, header bytes */
	unsigned order, nobj;	 /* slab size, objects per slab */
	bool poison;
	struct slab *lists[NLISTS];
	uint64_t nslabs, nlist[NLISTS], inuse, allocs, frees;
	struct kmem_cache *next_cache;
};

static struct {
	struct slab_page_source src;
	unsigned flags;
	struct kmem_cache *caches, *last;
	struct kmem_cache cache_cache; /* holds kmem_cache_create's caches */
	struct kmem_cache classes[NCLASSES];
	uint64_t large_live, large_pages, large_allocs, large_frees;
} heap;

/* ---- slab geometry ---- */

static size_t round_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static unsigned objs_fit(const struct kmem_cache *c, unsigned order)
{
	size_t n = ((size_t)SLAB_PAGE_SIZE << order) - c->hdr;
	n /= c->size;
	return n > SLAB_MAX_OBJS ? SLAB_MAX_OBJS : (unsigned)n;
}

/* The smallest slab order wasting at most 1/8 of it, or already holding
 * SLAB_MAX_OBJS objects (a bigger slab cannot do better); else order 3. */
static void choose_order(struct kmem_cache *c)
{
	for (c->order = 0; c->order < SLAB_MAX_ORDER; c->order++) {
		size_t bytes = (size_t)SLAB_PAGE_SIZE << c->order;
		unsigned n = objs_fit(c, c->order);
		if (n == SLAB_MAX_OBJS ||
		    (n && (bytes - c->hdr - n * c->size) * 8 <= bytes))
			break;
	}
	c->nobj = objs_fit(c, c->order);
}

/* strlcpy into a name buffer (kept local: glibc before 2.38 lacks it). */
static void copy_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n > NAME_LEN - 1)
		n = NAME_LEN - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void cache_setup(struct kmem_cache *c, const char *name, size_t size,
			size_t align)
{
	memset(c, 0, sizeof *c);
	copy_name(c->name, name);
	c->align = align ? align : 8;
	if (c->align & (c->align - 1) || c->align > SLAB_PAGE_SIZE)
		panic("slab: cache '%s': bad alignment %zu", name, align);
	if (size > SLAB_MAX_OBJ_SIZE)
		panic("slab: cache '%s': object size %zu over %u", name, size,
		      SLAB_MAX_OBJ_SIZE);
	c->size = round_up(size < 8 ? 8 : size, c->align);
	c->hdr = round_up(sizeof(struct slab), c->align);
	c->poison = heap.flags & SLAB_POISON;
	choose_order(c);
	if (heap.last)
		heap.last->next_cache = c;
	else
		heap.caches = c;
	heap.last = c;
}

/* ---- slab lists ---- */

static void list_del(struct kmem_cache *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->lists[s->list] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	c->nlist[s->list]--;
}

static void list_add(struct kmem_cache *c, struct slab *s, enum slab_list l)
{
	s->list = (uint8_t)l;
	s->prev = NULL;
	s->next = c->lists[l];
	if (s->next)
		s->next->prev = s;
	c->lists[l] = s;
	c->nlist[l]++;
}

/* Put s on the list its fill level says. */
static void relist(struct kmem_cache *c, struct slab *s)
{
	enum slab_list l = s->inuse == 0	 ? LIST_EMPTY
			   : s->inuse == s->nobj ? LIST_FULL
						 : LIST_PARTIAL;
	if (l != s->list) {
		list_del(c, s);
		list_add(c, s, l);
	}
}

/* ---- slabs ---- */

/* A free object starts with the link to the next free one. */
#define LINK_SIZE sizeof(void *)
/* Eight bytes of free-object poison. */
#define POISON_WORD (0x0101010101010101ULL * SLAB_POISON_FREE)

/* __builtin_memcpy of a constant size compiles to one move even with
 * -fno-builtin (the kernel's flags), and stays alignment-safe for UBSan. */
static void set_link(void *obj, void *next)
{
	__builtin_memcpy(obj, &next, sizeof next);
}

static void *get_link(const void *obj)
{
	void *next;
	__builtin_memcpy(&next, obj, sizeof next);
	return next;
}

static void set_pages_private(struct slab *s, unsigned order, void *priv)
{
	for (unsigned i = 0; i < (1u << order); i++)
		heap.src.set_private(heap.src.ctx,
				     (uint8_t *)s + (size_t)i * SLAB_PAGE_SIZE,
				     priv);
}

static struct slab *slab_new(struct kmem_cache *c)
{
	struct slab *s = heap.src.alloc_pages(heap.src.ctx, c->order);

	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	s->magic = SLAB_MAGIC;
	s->cache = c;
	s->nobj = (uint16_t)c->nobj;
	s->objs = (uint8_t *)s + c->hdr;
	for (unsigned i = c->nobj; i-- > 0;) {
		uint8_t *obj = s->objs + i * c->size;
		if (c->poison)
			memset(obj, SLAB_POISON_FREE, c->size);
		set_link(obj, s->free);
		s->free = obj;
	}
	set_pages_private(s, c->order, s);
	c->nslabs++;
	list_add(c, s, LIST_EMPTY);
	return s;
}

static void slab_release(struct kmem_cache *c, struct slab *s)
{
	list_del(c, s);
	set_pages_private(s, c->order, NULL);
	s->magic = 0;
	heap.src.free_pages(heap.src.ctx, s, c->order);
	c->nslabs--;
}

/* ---- object checks ---- */

/* Index of obj in s, or panic: not the start of one of its objects. */
static unsigned obj_index(const struct slab *s, const void *obj)
{
	const struct kmem_cache *c = s->cache;
	size_t off = (size_t)((const uint8_t *)obj - (const uint8_t *)s);

	if (off < c->hdr || (off - c->hdr) % c->size ||
	    (off - c->hdr) / c->size >= s->nobj)
		panic("slab: bad pointer %p: not the start of an object in "
		      "cache '%s' (offset %zu in a slab of %zu-byte objects)",
		      obj, c->name, off, c->size);
	return (unsigned)((off - c->hdr) / c->size);
}

static bool obj_allocated(const struct slab *s, unsigned i)
{
	return s->bitmap[i / 64] >> (i % 64) & 1;
}

/* The free-list link must be another free object of the same slab. */
static void check_link(const struct slab *s, const void *obj)
{
	const uint8_t *next = get_link(obj);
	const struct kmem_cache *c = s->cache;

	if (!next) /* the last free object */
		return;
	size_t off = (size_t)(next - s->objs);
	if (next < s->objs || off % c->size || off / c->size >= s->nobj ||
	    obj_allocated(s, (unsigned)(off / c->size)))
		panic("slab: free-list link of free object %p in cache '%s' "
		      "overwritten with %p (use after free?)",
		      obj, c->name, (const void *)next);
}

/* Panic naming the first byte from offset i on that is not poison. */
static void poison_bad(const struct kmem_cache *c, const uint8_t *obj, size_t i)
{
	for (; i < c->size; i++)
		if (obj[i] != SLAB_POISON_FREE)
			panic("slab: use after free: %p (offset %zu of free "
			      "object %p in cache '%s') was written: 0x%x",
			      (const void *)(obj + i), i, (const void *)obj,
			      c->name, obj[i]);
}

/* Everything after the free-list link must still be poison; compared a
 * word at a time (8x fewer compares than bytes). */
static void check_poison(const struct kmem_cache *c, const uint8_t *obj)
{
	const uint64_t want = POISON_WORD;
	size_t i = LINK_SIZE;
	for (; i + sizeof want <= c->size; i += sizeof want) {
		uint64_t w;
		__builtin_memcpy(&w, obj + i, sizeof w);
		if (w != want)
			poison_bad(c, obj, i);
	}
	poison_bad(c, obj, i); /* the tail of a size not a multiple of 8 */
}

/* The slab holding obj, or NULL when obj is not in any slab. */
static struct slab *slab_of(const void *obj, uintptr_t *priv)
{
	void *p = heap.src.get_private(heap.src.ctx, obj);

	*priv = (uintptr_t)p;
	if (!p || ((uintptr_t)p & LARGE_TAG))
		return NULL;
	struct slab *s = p;
	if (s->magic != SLAB_MAGIC)
		panic("slab: slab header %p of %p is corrupted (magic 0x%x)",
		      (void *)s, obj, s->magic);
	return s;
}

/* ---- caches ---- */

void slab_init(const struct slab_page_source *src, unsigned flags)
{
	static const char *const names[NCLASSES] = {
	    "kmalloc-16",  "kmalloc-32",  "kmalloc-64",	  "kmalloc-128",
	    "kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048"};

	memset(&heap, 0, sizeof heap);
	heap.src = *src;
	heap.flags = flags;
	for (unsigned i = 0; i < NCLASSES; i++)
		cache_setup(&heap.classes[i], names[i],
			    (size_t)KMALLOC_MIN << i, KMALLOC_ALIGN);
	cache_setup(&heap.cache_cache, "kmem_cache", sizeof(struct kmem_cache),
		    0);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align)
{
	struct kmem_cache *c = kmem_cache_alloc(&heap.cache_cache);

	if (c)
		cache_setup(c, name, size, align);
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	struct kmem_cache **pp = &heap.caches, *prev = NULL;

	if (c->inuse)
		panic("slab: destroying cache '%s' with %llu objects in use",
		      c->name, (unsigned long long)c->inuse);
	while (c->lists[LIST_EMPTY])
		slab_release(c, c->lists[LIST_EMPTY]);
	while (*pp && *pp != c) {
		prev = *pp;
		pp = &(*pp)->next_cache;
	}
	if (!*pp)
		panic("slab: destroying unknown cache %p", (void *)c);
	*pp = c->next_cache;
	if (heap.last == c)
		heap.last = prev;
	kmem_cache_free(&heap.cache_cache, c);
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	struct slab *s = c->lists[LIST_PARTIAL];

	if (!s)
		s = c->lists[LIST_EMPTY] ? c->lists[LIST_EMPTY] : slab_new(c);
	if (!s)
		return NULL;
	uint8_t *obj = s->free;
	unsigned i = obj_index(s, obj);
	check_link(s, obj);
	if (c->poison)
		check_poison(c, obj);
	s->free = get_link(obj);
	if (c->poison)
		set_link(obj, (void *)POISON_WORD); /* poison over the link */
	s->bitmap[i / 64] |= 1ULL << (i % 64);
	s->inuse++;
	relist(c, s);
	c->inuse++;
	c->allocs++;
	return obj;
}

static void obj_free(struct kmem_cache *c, struct slab *s, void *obj)
{
	unsigned i = obj_index(s, obj);

	if (!obj_allocated(s, i))
		panic("slab: double free of %p in cache '%s'", obj, c->name);
	s->bitmap[i / 64] &= ~(1ULL << (i % 64));
	if (c->poison)
		memset(obj, SLAB_POISON_FREE, c->size);
	set_link(obj, s->free);
	s->free = obj;
	s->inuse--;
	relist(c, s);
	c->inuse--;
	c->frees++;
	if (s->inuse == 0 && c->nlist[LIST_EMPTY] > SLAB_KEEP_EMPTY)
		slab_release(c, s);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	uintptr_t priv;
	struct slab *s = slab_of(obj, &priv);

	if (!s)
		panic("slab: kmem_cache_free(%s, %p): not an object of any "
		      "cache (never allocated or already released)",
		      c->name, obj);
	if (s->cache != c)
		panic("slab: kmem_cache_free: %p belongs to cache '%s', not "
		      "'%s'",
		      obj, s->cache->name, c->name);
	obj_free(c, s, obj);
}

/* ---- kmalloc ---- */

static void *kmalloc_large(size_t n)
{
	unsigned order = 0;

	while (((size_t)SLAB_PAGE_SIZE << order) < n)
		if (++order > KMALLOC_MAX_ORDER)
			return NULL;
	void *p = heap.src.alloc_pages(heap.src.ctx, order);
	if (!p)
		return NULL;
	heap.src.set_private(heap.src.ctx, p,
			     (void *)(uintptr_t)(LARGE_TAG | order << 1));
	heap.large_live++;
	heap.large_pages += 1u << order;
	heap.large_allocs++;
	return p;
}

void *kmalloc(size_t n)
{
	unsigned i = 0;

	if (n == 0)
		return NULL;
	if (n > KMALLOC_MAX)
		return kmalloc_large(n);
	while (((size_t)KMALLOC_MIN << i) < n)
		i++;
	return kmem_cache_alloc(&heap.classes[i]);
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

/* The slab of p, or the order of its large block (*order, NULL returned);
 * panics when p is not a live kmalloc block. */
static struct slab *kmalloc_block(const void *p, unsigned *order,
				  const char *fn)
{
	uintptr_t priv;
	struct slab *s = slab_of(p, &priv);

	if (s)
		return s;
	if (!priv)
		panic("slab: %s(%p): not a live heap block (never allocated, "
		      "already freed, or not from kmalloc)",
		      fn, p);
	if ((uintptr_t)p & (SLAB_PAGE_SIZE - 1))
		panic("slab: %s(%p): points into a %u-page kmalloc block", fn,
		      p, 1u << (priv >> 1));
	*order = (unsigned)(priv >> 1);
	return NULL;
}

void kfree(void *p)
{
	unsigned order;

	if (!p)
		return;
	struct slab *s = kmalloc_block(p, &order, "kfree");
	if (s) {
		obj_free(s->cache, s, p);
		return;
	}
	heap.src.set_private(heap.src.ctx, p, NULL);
	heap.src.free_pages(heap.src.ctx, p, order);
	heap.large_live--;
	heap.large_pages -= 1u << order;
	heap.large_frees++;
}

size_t ksize(const void *p)
{
	unsigned order;
	struct slab *s = kmalloc_block(p, &order, "ksize");

	if (s) {
		obj_index(s, p);
		return s->cache->size;
	}
	return (size_t)SLAB_PAGE_SIZE << order;
}

void *krealloc(void *p, size_t n)
{
	if (!p)
		return kmalloc(n);
	if (n == 0) {
		kfree(p);
		return NULL;
	}
	size_t have = ksize(p);
	if (n <= have)
		return p;
	void *q = kmalloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	kfree(p);
	return q;
}

/* ---- statistics ---- */

void kmem_cache_stats(const struct kmem_cache *c, struct kmem_cache_stats *st)
{
	memset(st, 0, sizeof *st);
	st->name = c->name;
	st->obj_size = c->size;
	st->objs_per_slab = c->nobj;
	st->slab_order = c->order;
	st->objs_inuse = c->inuse;
	st->objs_free = c->nslabs * c->nobj - c->inuse;
	st->slabs = c->nslabs;
	st->bytes = c->nslabs * ((uint64_t)SLAB_PAGE_SIZE << c->order);
	st->allocs = c->allocs;
	st->frees = c->frees;
}

void kmem_for_each_cache(void (*fn)(void *ctx,
				    const struct kmem_cache_stats *st),
			 void *ctx)
{
	struct kmem_cache_stats st;

	for (struct kmem_cache *c = heap.caches; c; c = c->next_cache) {
		kmem_cache_stats(c, &st);
		fn(ctx, &st);
	}
	memset(&st, 0, sizeof st);
	st.name = "kmalloc-large";
	st.objs_inuse = heap.large_live;
	st.bytes = heap.large_pages * SLAB_PAGE_SIZE;
	st.allocs = heap.large_allocs;
	st.frees = heap.large_frees;
	fn(ctx, &st);
}

uint64_t slab_bytes_held(void)
{
	uint64_t b = heap.large_pages * SLAB_PAGE_SIZE;

	for (struct kmem_cache *c = heap.caches; c; c = c->next_cache)
		b += c->nslabs * ((uint64_t)SLAB_PAGE_SIZE << c->order);
	return b;
}
