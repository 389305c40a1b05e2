/* uspace.c — user address spaces: ELF segments, stack, teardown. */
#include "kernel/layout.h"
#include "kernel/printk.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/uspace.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define ELF_ERR_MAX 160

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

/* vmm_ops with the page-table pages of user spaces counted. */
static const struct pt_ops user_ops = {phys_to_virt, user_table_alloc,
				       user_table_free, user_flush, 0};

uint64_t uspace_pages_in_use(void)
{
	return live_pages;
}

static uint64_t seg_pte_flags(uint32_t elf_flags)
{
	uint64_t f = PTE_US;
	if (elf_flags & ELF_PF_W)
		f |= PTE_RW;
	if (!(elf_flags & ELF_PF_X) && vmm_has_nx())
		f |= PTE_NX;
	return f;
}

static int add_region(struct proc *p, uint64_t va, uint64_t len)
{
	if (p->nregions == PROC_MAX_REGIONS)
		return ENOMEM;
	p->regions[p->nregions++] = (struct region){va, len};
	return 0;
}

/* One zeroed user page at va, filled from src[0..n) at offset off. */
static int map_page(struct proc *p, uint64_t va, uint64_t flags,
		    const uint8_t *src, size_t off, size_t n)
{
	uint64_t pa = pmm_alloc(0, PMM_OWNER_USER);
	if (!pa)
		return ENOMEM;
	live_pages++;
	uint8_t *k = phys_to_virt(pa);
	memset(k, 0, PAGE_SIZE);
	if (n)
		memcpy(k + off, src, n);
	if (pt_map(&user_ops, p->root, va, pa, PAGE_SIZE, flags, 0) != PT_OK) {
		live_pages--;
		pmm_free(pa, 0);
		return ENOMEM;
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
	uint64_t flags = PTE_US | PTE_RW | (vmm_has_nx() ? PTE_NX : 0);
	int rc = add_region(p, USER_STACK_TOP - len, 0);
	for (uint64_t va = USER_STACK_TOP - len; !rc && va < USER_STACK_TOP;
	     va += PAGE_SIZE) {
		rc = map_page(p, va, flags, 0, 0, 0);
		if (!rc)
			p->regions[p->nregions - 1].len += PAGE_SIZE;
	}
	return rc;
}

int uspace_load(struct proc *p, const void *file, size_t size, uint64_t *entry,
		uint64_t *user_rsp)
{
	struct elf_image img;
	char why[ELF_ERR_MAX];
	if (!elf_check(file, size, USER_BASE,
		       USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, &img, why,
		       sizeof why)) {
		printk("exec %s: refused: %s\n", p->name, why);
		return ENOEXEC;
	}
	p->root = pt_create(&user_ops, vmm_kernel_root());
	if (!p->root)
		return ENOMEM;
	int rc = 0;
	for (int i = 0; !rc && i < img.nsegs; i++)
		rc = load_segment(p, &img.segs[i], file);
	if (!rc)
		rc = map_stack(p);
	if (rc) {
		uspace_free(p);
		return rc;
	}
	*entry = img.entry;
	*user_rsp = USER_STACK_TOP;
	return 0;
}

void uspace_free(struct proc *p)
{
	if (!p->root)
		return;
	for (int i = 0; i < p->nregions; i++)
		for (uint64_t va = p->regions[i].va;
		     va < p->regions[i].va + p->regions[i].len;
		     va += PAGE_SIZE) {
			uint64_t pa;
			if (pt_translate(&user_ops, p->root, va, &pa)) {
				pmm_free(pa & ~(PAGE_SIZE - 1), 0);
				live_pages--;
			}
		}
	pt_destroy(&user_ops, p->root);
	p->root = 0;
	p->nregions = 0;
}
