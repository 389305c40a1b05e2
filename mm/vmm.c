/* vmm.c — builds and owns the kernel's page tables (hardware side of
 * mm/pagetable.c). */
#include "kernel/arch/cpufeat.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define LOW_MEMORY_END 0x100000ULL /* legacy area: VGA, BIOS, EBDA */
#define MAX_RAM_RANGES (MB2_MAX_MMAP + 1)

static uint64_t kernel_root;
static uint64_t vmalloc_next = VMALLOC_BASE;
static bool has_1g, has_nx;

static void *dm_phys_to_virt(uint64_t phys)
{
	return phys_to_virt(phys);
}

static uint64_t table_alloc(void *ctx)
{
	(void)ctx;
	uint64_t p = pmm_alloc(0, PMM_OWNER_PAGETABLE);
	if (p)
		memset(phys_to_virt(p), 0, PAGE_SIZE);
	return p;
}

static void table_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	pmm_free(phys, 0);
}

static void tlb_flush(void *ctx, uint64_t va)
{
	(void)ctx;
	invlpg(va);
}

struct pt_ops vmm_ops = {dm_phys_to_virt, table_alloc, table_free, tlb_flush, 0,
			 PTE_NX /* until detect_features knows */};

uint64_t vmm_kernel_root(void)
{
	return kernel_root;
}

bool vmm_has_1g_pages(void)
{
	return has_1g;
}

bool vmm_has_nx(void)
{
	return has_nx;
}

/* NX needs the CPU to have it (CPUID; firmware may hide it with Execute
 * Disable off) and EFER.NXE set, which kernel/arch/boot.asm does when
 * CPUID has it. Without both, bit 63 of an entry is reserved. */
static void detect_features(void)
{
	has_1g = cpu_has("pdpe1gb");
	has_nx = cpu_has("nx") && (rdmsr(MSR_EFER) & EFER_NXE);
	vmm_ops.unsupported = has_nx ? 0 : PTE_NX;
}

static void must(int rc, const char *what, uint64_t va)
{
	if (rc != PT_OK)
		panic("vmm: cannot map %s at 0x%lx (error %d)", what, va, rc);
}

/* RAM ranges of the memory map (plus the legacy first MiB), page-aligned,
 * sorted and merged, so the direct map never maps a page twice. */
static size_t ram_ranges(const struct boot_info *bi, struct mem_range *out)
{
	size_t n = 0;
	out[n++] = (struct mem_range){0, LOW_MEMORY_END};
	for (size_t i = 0; i < bi->nmmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (e->type != MB2_MEM_AVAILABLE &&
		    e->type != MB2_MEM_ACPI_RECLAIMABLE &&
		    e->type != MB2_MEM_NVS)
			continue;
		uint64_t lo = e->base & ~(PAGE_SIZE - 1);
		uint64_t hi =
		    (e->base + e->len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (hi > lo && lo < BOOT_DM_GIB * (1ULL << 30))
			out[n++] = (struct mem_range){lo, hi - lo};
	}
	for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
		for (size_t j = i; j > 0 && out[j].base < out[j - 1].base;
		     j--) {
			struct mem_range t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && out[i].base <= out[m - 1].base + out[m - 1].len) {
			uint64_t end = out[i].base + out[i].len;
			if (end > out[m - 1].base + out[m - 1].len)
				out[m - 1].len = end - out[m - 1].base;
		} else {
			out[m++] = out[i];
		}
	}
	return m;
}

/* What the direct map covers, for vmm_direct_maps(). */
static struct mem_range direct[MAX_RAM_RANGES + 1];
static size_t ndirect;

static void map_direct(const struct boot_info *bi)
{
	struct mem_range *r = direct;
	size_t n = ndirect = ram_ranges(bi, r);
	unsigned opts = PT_MAP_LARGE | (has_1g ? PT_MAP_1G : 0);
	for (size_t i = 0; i < n; i++)
		must(pt_map(&vmm_ops, kernel_root, DIRECT_MAP_BASE + r[i].base,
			    r[i].base, r[i].len, PTE_RW | PTE_NX | PTE_G, opts),
		     "the direct map", DIRECT_MAP_BASE + r[i].base);
}

static void map_image_part(char *start, char *end, uint64_t flags,
			   const char *what)
{
	uint64_t va = (uint64_t)start;
	must(pt_map(&vmm_ops, kernel_root, va, kernel_virt_to_phys(start),
		    (uint64_t)(end - start), flags | PTE_G, 0),
	     what, va);
}

static void map_image(void)
{
	map_image_part(_kernel_start, _text_end, 0, "kernel text");
	map_image_part(_rodata_start, _rodata_end, PTE_NX, "kernel rodata");
	map_image_part(_data_start, _bss_end, PTE_RW | PTE_NX,
		       "kernel data/bss");
	map_image_part(_bss_end, _kernel_end, PTE_NX, "kernel symbols");
}

/* Guard pages of stacks registered before the switch stay unmapped. */
static void unmap_guards(void)
{
	const struct known_stack *s;
	for (int i = 0; (s = stack_get(i)); i++)
		if (s->guard)
			pt_unmap(&vmm_ops, kernel_root, s->guard, PAGE_SIZE);
}

void vmm_init(const struct boot_info *bi)
{
	detect_features();
	kernel_root = table_alloc(0);
	if (!kernel_root)
		panic("vmm: no memory for the kernel's page tables");
	map_direct(bi);
	map_image();
	unmap_guards();
	write_cr3(kernel_root);
}

int vmm_map(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	return pt_map(&vmm_ops, kernel_root, va, pa, len, flags, 0);
}

int vmm_unmap(uint64_t va, uint64_t len)
{
	return pt_unmap(&vmm_ops, kernel_root, va, len);
}

int vmm_protect(uint64_t va, uint64_t len, uint64_t flags)
{
	return pt_protect(&vmm_ops, kernel_root, va, len, flags);
}

bool vmm_translate(uint64_t va, uint64_t *pa)
{
	return pt_translate(&vmm_ops, read_cr3() & PTE_ADDR_MASK, va, pa);
}

uint64_t vmm_alloc_stack(const char *name, unsigned pages)
{
	uint64_t guard = vmalloc_next, bottom = guard + PAGE_SIZE;
	uint64_t top = bottom + (uint64_t)pages * PAGE_SIZE;
	if (top > VMALLOC_BASE + VMALLOC_SIZE)
		return 0;
	for (uint64_t va = bottom; va < top; va += PAGE_SIZE) {
		uint64_t pa = pmm_alloc(0, PMM_OWNER_STACK);
		if (!pa || vmm_map(va, pa, PAGE_SIZE, PTE_RW | PTE_NX) != PT_OK)
			return 0; /* leaks this partial stack; rare and loud */
	}
	vmalloc_next = top;
	stack_register(name, guard, bottom, top);
	return top;
}

bool vmm_direct_maps(uint64_t phys)
{
	if (!ndirect) /* still on the boot tables: the first BOOT_DM_GIB */
		return phys < BOOT_DM_GIB * (1ULL << 30);
	for (size_t i = 0; i < ndirect; i++)
		if (phys >= direct[i].base &&
		    phys - direct[i].base < direct[i].len)
			return true;
	return false;
}
