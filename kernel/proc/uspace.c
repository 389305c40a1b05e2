/* uspace.c — user address spaces: ELF segments, stack, teardown. */
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/proc_hooks.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/uspace.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define ELF_ERR_MAX 160
/* A PTE bit the CPU ignores (SDM vol. 3A, table 4-19, bits 11:9): the page
 * is shared copy-on-write and read-only until its first write fault. */
#define PTE_COW (1ULL << 9)
#define USER_HEAP_MAX (64ULL << 20) /* sbrk limit per process */

/* Pages held by user address spaces (frames and page tables), counted so
 * a leak shows: every exited process must bring this back down. */
static uint64_t live_pages;

static uint64_t user_table_alloc(void *ctx)
{
	uint64_t pa = vmm_ops.alloc_table(ctx);
	live_pages += pa != 0;
	return pa;
}

static void user_table_free(void *ctx, uint64_t pa)
{
	live_pages--;
	vmm_ops.free_table(ctx, pa);
}

static void user_flush(void *ctx, uint64_t va)
{
	(void)ctx;
	invlpg(va);
}

/* vmm_ops with the page-table pages of user spaces counted (and, like
 * vmm_ops, without NX on a CPU that lacks it: see new_root). */
static struct pt_ops user_ops = {
    phys_to_virt, user_table_alloc, user_table_free, user_flush, 0, PTE_NX};

uint64_t uspace_pages_in_use(void)
{
	return live_pages;
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* One mapping of a user frame goes: the frame is freed with its last. */
static void release_frame(uint64_t pa)
{
	if (pmm_share(pa, 0)) {
		pmm_share(pa, -1);
		return;
	}
	pmm_free(pa, 0);
	live_pages--;
}

/* The leaf entry mapping va in root (4 KiB pages only), or NULL. */
static uint64_t *leaf_pte(uint64_t root, uint64_t va)
{
	struct pt_walk w;
	pt_walk(&user_ops, root, va, &w);
	if (!w.ok || w.page_size != PAGE_SIZE)
		return 0;
	uint64_t *table = phys_to_virt(w.lvl[w.levels - 1].table_phys);
	return &table[w.lvl[w.levels - 1].index];
}

static uint64_t seg_pte_flags(uint32_t elf_flags)
{
	uint64_t f = PTE_US;
	if (elf_flags & ELF_PF_W)
		f |= PTE_RW;
	if (!(elf_flags & ELF_PF_X))
		f |= PTE_NX;
	return f;
}

static int add_region(struct proc *p, uint64_t va, uint64_t len)
{
	if (p->nregions == PROC_MAX_REGIONS)
		return -ENOMEM;
	p->regions[p->nregions++] = (struct region){va, len};
	return 0;
}

/* One zeroed user page at va, filled from src[0..n) at offset off. */
static int map_page(struct proc *p, uint64_t va, uint64_t flags,
		    const uint8_t *src, size_t off, size_t n)
{
	uint64_t pa = pmm_alloc(0, PMM_OWNER_USER);
	if (!pa)
		return -ENOMEM;
	live_pages++;
	uint8_t *k = phys_to_virt(pa);
	memset(k, 0, PAGE_SIZE);
	if (n)
		memcpy(k + off, src, n);
	if (pt_map(&user_ops, p->root, va, pa, PAGE_SIZE, flags, 0) != PT_OK) {
		live_pages--;
		pmm_free(pa, 0);
		return -ENOMEM;
	}
	return 0;
}

/* The part of the segment's file bytes that lands in page [va, va+4K). */
static void file_part(const struct elf_segment *s, const uint8_t *file,
		      uint64_t va, const uint8_t **src, size_t *off, size_t *n)
{
	uint64_t lo = s->vaddr > va ? s->vaddr : va;
	uint64_t fend = s->vaddr + s->filesz;
	uint64_t hi = fend < va + PAGE_SIZE ? fend : va + PAGE_SIZE;
	*n = hi > lo ? hi - lo : 0;
	*off = lo - va;
	*src = file + s->offset + (lo - s->vaddr);
}

static int load_segment(struct proc *p, const struct elf_segment *s,
			const uint8_t *file)
{
	uint64_t start = s->vaddr & ~(PAGE_SIZE - 1);
	uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	int rc = add_region(p, start, 0);
	for (uint64_t va = start; !rc && va < end; va += PAGE_SIZE) {
		const uint8_t *src;
		size_t off, n;
		file_part(s, file, va, &src, &off, &n);
		rc = map_page(p, va, seg_pte_flags(s->flags), src, off, n);
		if (!rc)
			p->regions[p->nregions - 1].len += PAGE_SIZE;
	}
	return rc;
}

static int map_stack(struct proc *p)
{
	uint64_t len = USER_STACK_PAGES * PAGE_SIZE;
	uint64_t flags = PTE_US | PTE_RW | PTE_NX;
	int rc = add_region(p, USER_STACK_TOP - len, 0);
	for (uint64_t va = USER_STACK_TOP - len; !rc && va < USER_STACK_TOP;
	     va += PAGE_SIZE) {
		rc = map_page(p, va, flags, 0, 0, 0);
		if (!rc)
			p->regions[p->nregions - 1].len += PAGE_SIZE;
	}
	return rc;
}

/* Strings, then the NULL-terminated pointer array, in the stack's top
 * page (written through the direct map: p's tables are not loaded). */
static int push_args(struct proc *p, const struct uargs *a, uint64_t *rsp,
		     uint64_t *uargv)
{
	uint64_t page = USER_STACK_TOP - PAGE_SIZE, pa;
	if (!pt_translate(&user_ops, p->root, page, &pa))
		return -ENOMEM;
	uint8_t *k = phys_to_virt(pa);
	uint64_t ptrs[EXEC_ARGV_MAX + 1], top = USER_STACK_TOP;
	for (int i = 0; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]) + 1;
		top -= n;
		memcpy(k + (top - page), a->argv[i], n);
		ptrs[i] = top;
	}
	ptrs[a->argc] = 0;
	top = (top - (a->argc + 1) * sizeof(uint64_t)) & ~15ULL;
	memcpy(k + (top - page), ptrs, (a->argc + 1) * sizeof(uint64_t));
	*uargv = top;
	*rsp = top;
	return 0;
}

static uint64_t image_end(const struct elf_image *img)
{
	uint64_t end = 0;
	for (int i = 0; i < img->nsegs; i++) {
		uint64_t e = img->segs[i].vaddr + img->segs[i].memsz;
		end = e > end ? e : end;
	}
	return end;
}

/* A new address space sharing the kernel's upper half. */
static uint64_t new_root(void)
{
	user_ops.unsupported = vmm_ops.unsupported;
	return pt_create(&user_ops, vmm_kernel_root());
}

static int build(struct proc *p, const void *file, const struct elf_image *img,
		 const struct uargs *a, struct uentry *out)
{
	p->root = new_root();
	if (!p->root)
		return -ENOMEM;
	p->nregions = 0;
	p->brk_base = p->brk = page_up(image_end(img));
	int rc = 0;
	for (int i = 0; !rc && i < img->nsegs; i++)
		rc = load_segment(p, &img->segs[i], file);
	if (!rc)
		rc = map_stack(p);
	if (!rc)
		rc = push_args(p, a, &out->rsp, &out->argv);
	if (rc)
		uspace_free(p);
	out->entry = img->entry;
	return rc;
}

int uspace_load(struct proc *p, const void *file, size_t size,
		const struct uargs *args, struct uentry *out)
{
	struct elf_image img;
	char why[ELF_ERR_MAX];
	if (!elf_check(file, size, USER_BASE,
		       USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, &img, why,
		       sizeof why)) {
		printk("exec %s: refused: %s\n", p->name, why);
		return -ENOEXEC;
	}
	return build(p, file, &img, args, out);
}

/* Release the frames mapped in [va, end) (holes are fine) and unmap. */
static void release_range(struct proc *p, uint64_t va, uint64_t end)
{
	for (uint64_t a = va; a < end; a += PAGE_SIZE) {
		uint64_t pa;
		if (pt_translate(&user_ops, p->root, a, &pa))
			release_frame(pa & ~(PAGE_SIZE - 1));
	}
	if (end > va)
		pt_unmap(&user_ops, p->root, va, end - va);
}

void uspace_free(struct proc *p)
{
	if (!p->root)
		return;
	proc_hook_space_freed(p->root & PTE_ADDR_MASK);
	for (int i = 0; i < p->nregions; i++)
		release_range(p, p->regions[i].va,
			      p->regions[i].va + p->regions[i].len);
	release_range(p, p->brk_base, page_up(p->brk));
	pt_destroy(&user_ops, p->root);
	p->root = 0;
	p->nregions = 0;
	p->brk_base = p->brk = 0;
}

/* Share the page at va of parent with child: writable pages become
 * read-only copy-on-write in both; read-only ones are simply shared. */
static int share_page(struct proc *child, struct proc *parent, uint64_t va)
{
	uint64_t *pte = leaf_pte(parent->root, va);
	if (!pte)
		return 0; /* a hole (a heap page not yet touched, say) */
	if (*pte & (PTE_RW | PTE_COW)) {
		*pte = (*pte & ~PTE_RW) | PTE_COW;
		invlpg(va);
	}
	uint64_t pa = *pte & PTE_ADDR_MASK;
	uint64_t flags = *pte & PTE_PERM_MASK;
	if (pt_map(&user_ops, child->root, va, pa, PAGE_SIZE, flags, 0) !=
	    PT_OK)
		return -ENOMEM;
	*leaf_pte(child->root, va) |= *pte & PTE_COW;
	pmm_share(pa, +1);
	return 0;
}

static int share_range(struct proc *child, struct proc *parent, uint64_t va,
		       uint64_t end)
{
	int rc = 0;
	for (; !rc && va < end; va += PAGE_SIZE)
		rc = share_page(child, parent, va);
	return rc;
}

int uspace_fork(struct proc *child, struct proc *parent)
{
	child->root = new_root();
	if (!child->root)
		return -ENOMEM;
	child->nregions = parent->nregions;
	memcpy(child->regions, parent->regions, sizeof child->regions);
	child->brk_base = parent->brk_base;
	child->brk = parent->brk;
	int rc = 0;
	for (int i = 0; !rc && i < parent->nregions; i++)
		rc =
		    share_range(child, parent, parent->regions[i].va,
				parent->regions[i].va + parent->regions[i].len);
	if (!rc)
		rc = share_range(child, parent, parent->brk_base,
				 page_up(parent->brk));
	if (rc)
		uspace_free(child);
	return rc;
}

bool uspace_cow_fault(struct proc *p, uint64_t va)
{
	va &= ~(PAGE_SIZE - 1);
	uint64_t *pte = p->root ? leaf_pte(p->root, va) : 0;
	if (!pte || !(*pte & PTE_COW))
		return false;
	uint64_t pa = *pte & PTE_ADDR_MASK;
	if (pmm_share(pa, 0)) { /* still shared: take a private copy */
		uint64_t copy = pmm_alloc(0, PMM_OWNER_USER);
		if (!copy)
			return false; /* out of memory: the fault kills p */
		live_pages++;
		memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
		pmm_share(pa, -1);
		pa = copy;
	}
	*pte = (*pte & ~(PTE_ADDR_MASK | PTE_COW)) | pa | PTE_RW;
	invlpg(va);
	return true;
}

static int grow_heap(struct proc *p, uint64_t from, uint64_t to)
{
	uint64_t flags = PTE_US | PTE_RW | PTE_NX;
	for (uint64_t va = from; va < to; va += PAGE_SIZE)
		if (map_page(p, va, flags, 0, 0, 0)) {
			release_range(p, from, va);
			return -ENOMEM;
		}
	return 0;
}

int uspace_sbrk(struct proc *p, int64_t incr, uint64_t *old)
{
	uint64_t limit = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE -
			 PAGE_SIZE; /* keep a hole below the stack */
	if (limit > p->brk_base + USER_HEAP_MAX)
		limit = p->brk_base + USER_HEAP_MAX;
	uint64_t nbrk = p->brk + (uint64_t)incr;
	if ((incr > 0 && (nbrk < p->brk || nbrk > limit)) ||
	    (incr < 0 && (nbrk > p->brk || nbrk < p->brk_base)))
		return -ENOMEM;
	*old = p->brk;
	if (page_up(nbrk) > page_up(p->brk) &&
	    grow_heap(p, page_up(p->brk), page_up(nbrk)))
		return -ENOMEM;
	if (page_up(nbrk) < page_up(p->brk))
		release_range(p, page_up(nbrk), page_up(p->brk));
	p->brk = nbrk;
	return 0;
}

bool uspace_make_private(struct proc *p, uint64_t va)
{
	va &= ~(PAGE_SIZE - 1);
	uint64_t *pte = p->root ? leaf_pte(p->root, va) : 0;
	if (!pte)
		return false;
	if (*pte & PTE_COW)
		return uspace_cow_fault(p, va);
	uint64_t pa = *pte & PTE_ADDR_MASK;
	if (!pmm_share(pa, 0))
		return true; /* only p maps it */
	uint64_t copy = pmm_alloc(0, PMM_OWNER_USER);
	if (!copy)
		return false;
	live_pages++;
	memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
	pmm_share(pa, -1);
	*pte = (*pte & ~PTE_ADDR_MASK) | copy; /* same permissions */
	if ((read_cr3() & PTE_ADDR_MASK) == p->root)
		invlpg(va);
	return true;
}
