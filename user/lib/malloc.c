/* malloc.c — malloc, free, calloc, realloc: K&R's address-ordered circular
 * free list with coalescing, grown with sbrk at least GROW_MIN at a time. */
#include "user/lib/ulib.h"

#define GROW_MIN (16 * 1024)	/* bytes the heap grows by at the least */
#define REQUEST_MAX (1UL << 46) /* no larger request fits in user space */
#define ALIGN 16

/* The header before every block; blocks are counted in header units. */
struct block {
	_Alignas(ALIGN) struct block *next; /* next free block (when free) */
	size_t units; /* this block's size, header included */
};

static struct block base;   /* empty block that anchors the list */
static struct block *freep; /* where the last search ended */

/* Put b back on the list in address order, merged with its neighbours. */
void free(void *ptr)
{
	if (!ptr)
		return;
	struct block *b = (struct block *)ptr - 1, *p = freep;
	for (; !(b > p && b < p->next); p = p->next)
		if (p >= p->next && (b > p || b < p->next))
			break; /* b goes at one end of the arena */
	if (b + b->units == p->next) {
		b->units += p->next->units;
		b->next = p->next->next;
	} else {
		b->next = p->next;
	}
	if (p + p->units == b) {
		p->units += b->units;
		p->next = b->next;
	} else {
		p->next = b;
	}
	freep = p;
}

/* Ask sbrk for at least units (and GROW_MIN bytes), ALIGN-aligned. */
static struct block *grow(size_t units)
{
	size_t min = GROW_MIN / sizeof(struct block);
	units = units < min ? min : units;
	uintptr_t brk = (uintptr_t)sbrk(0);
	size_t pad = (size_t)(-brk & (ALIGN - 1));
	char *m = sbrk((long)(pad + units * sizeof(struct block)));
	if (m == (void *)-1)
		return 0;
	struct block *b = (struct block *)(m + pad);
	b->units = units;
	free(b + 1);
	return freep;
}

void *malloc(size_t n)
{
	if (n > REQUEST_MAX)
		return 0;
	size_t units =
	    (n + sizeof(struct block) - 1) / sizeof(struct block) + 1;
	if (!freep) {
		base.next = freep = &base;
		base.units = 0;
	}
	struct block *prev = freep;
	for (struct block *p = prev->next;; prev = p, p = p->next) {
		if (p->units >= units) {
			if (p->units == units) {
				prev->next = p->next;
			} else { /* hand out the tail end */
				p->units -= units;
				p += p->units;
				p->units = units;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && !(p = grow(units)))
			return 0;
	}
}

void *calloc(size_t count, size_t size)
{
	if (size && count > REQUEST_MAX / size)
		return 0;
	void *p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *ptr, size_t n)
{
	if (!ptr)
		return malloc(n);
	struct block *b = (struct block *)ptr - 1;
	size_t have = (b->units - 1) * sizeof(struct block);
	if (n <= have)
		return ptr;
	void *q = malloc(n);
	if (q) {
		memcpy(q, ptr, have);
		free(ptr);
	}
	return q;
}
