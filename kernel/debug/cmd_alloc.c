/* cmd_alloc.c — monitor commands on allocators: mem, heap, memmap. */
#include "kernel/debug/monitor.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "mm/pmm.h"
#include "mm/slab.h"

#define SIZE_TEXT_MAX 24 /* "1023.9 GiB" and then some */
#define UNIT_SHIFT 10	 /* 1024 bytes per KiB, KiB per MiB... */
#define BAR_WIDTH 40	 /* '#'s of the longest bar in mem's chart */
#define PERMILLE 1000
#define PERCENT_TENTHS 10 /* permille = percent with one decimal */

/* The kernel's parsed boot information (kernel/main.c). */

/* bytes in the largest binary unit that keeps it >= 1, with one decimal
 * when it is not whole: "512 B", "4 KiB", "255.8 MiB". Returns buf. */
static const char *human_size(uint64_t bytes, char *buf, size_t n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0, last = sizeof units / sizeof units[0] - 1;
	while (u < last && (bytes >> (UNIT_SHIFT * (u + 1))) != 0)
		u++;
	unsigned shift = UNIT_SHIFT * u;
	uint64_t whole = bytes >> shift;
	uint64_t tenth = ((bytes - (whole << shift)) * 10) >> shift;
	if (tenth)
		ksnprintf(buf, n, "%lu.%lu %s", (unsigned long)whole,
			  (unsigned long)tenth, units[u]);
	else
		ksnprintf(buf, n, "%lu %s", (unsigned long)whole, units[u]);
	return buf;
}

/* ---- mem ---- */

static void mem_row(struct mon_ctx *ctx, const char *what, uint64_t pages,
		    const char *note)
{
	char size[SIZE_TEXT_MAX];
	mon_printf(ctx, "  %-10s %9lu pages %11s%s%s\n", what,
		   (unsigned long)pages,
		   human_size(pages * PAGE_SIZE, size, sizeof size),
		   note[0] ? "  " : "", note);
}

static void mem_totals(struct mon_ctx *ctx, const struct pmm_stats *st)
{
	mon_printf(ctx, "physical memory (buddy allocator, %lu-byte pages):\n",
		   (unsigned long)PAGE_SIZE);
	mem_row(ctx, "total", st->total_pages, "RAM in the boot memory map");
	mem_row(ctx, "reserved", st->reserved_pages,
		"low 1 MiB, kernel image, boot info, frame descriptors");
	mem_row(ctx, "usable", st->usable_pages, "total - reserved");
	mem_row(ctx, "allocated", st->allocated_pages, "");
	mem_row(ctx, "free", st->free_pages, "");
	if (st->ignored_pages)
		mem_row(ctx, "ignored", st->ignored_pages,
			"RAM above the 64 GiB the allocator manages");
}

/* Free blocks of each order, as counts and a bar scaled to the largest. */
static void mem_chart(struct mon_ctx *ctx, const struct pmm_stats *st)
{
	uint64_t most = 0;
	char size[SIZE_TEXT_MAX];
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		if (st->free_blocks[o] > most)
			most = st->free_blocks[o];
	mon_printf(ctx, "free blocks per order:\n"
			"  order  block size   blocks      pages\n");
	for (unsigned o = 0; o < PMM_NR_ORDERS && !mon_aborted(ctx); o++) {
		uint64_t n = st->free_blocks[o];
		/* rounded up, so that any free block shows as one '#' */
		uint64_t bar = most ? (n * BAR_WIDTH + most - 1) / most : 0;
		mon_printf(ctx, "  %5u %11s %8lu %10lu%s", o,
			   human_size(PAGE_SIZE << o, size, sizeof size),
			   (unsigned long)n, (unsigned long)(n << o),
			   bar ? "  " : "");
		for (uint64_t i = 0; i < bar; i++)
			mon_putc(ctx, '#');
		mon_putc(ctx, '\n');
	}
}

/* Permille of free pages not in blocks of the largest free order: 0 when
 * all free memory is in the biggest blocks there are. (pmm's own
 * frag_permille compares with one block, so it is near 1000 whenever
 * more than one 4 MiB block is free.) */
static unsigned frag_permille(const struct pmm_stats *st)
{
	if (st->largest_free_order < 0 || !st->free_pages)
		return 0;
	unsigned o = (unsigned)st->largest_free_order;
	uint64_t in_largest = st->free_blocks[o] << o;
	return (unsigned)(PERMILLE - in_largest * PERMILLE / st->free_pages);
}

static void mem_summary(struct mon_ctx *ctx, const struct pmm_stats *st)
{
	char size[SIZE_TEXT_MAX];
	unsigned frag = frag_permille(st);
	if (st->largest_free_order < 0)
		mon_printf(ctx, "largest free block: none (nothing is free)\n");
	else
		mon_printf(ctx, "largest free block: order %d, %s\n",
			   st->largest_free_order,
			   human_size(PAGE_SIZE << st->largest_free_order, size,
				      sizeof size));
	mon_printf(ctx,
		   "fragmentation: %u.%u%% of free memory is in blocks "
		   "smaller than the largest\n",
		   frag / PERCENT_TENTHS, frag % PERCENT_TENTHS);
	mon_printf(ctx, "allocations %lu, frees %lu, failed %lu\n",
		   (unsigned long)st->alloc_count,
		   (unsigned long)st->free_count,
		   (unsigned long)st->failed_allocs);
	mon_printf(ctx,
		   "frame descriptors: %s at phys 0x%lx (%lu bytes a page)\n",
		   human_size(st->meta_bytes, size, sizeof size),
		   (unsigned long)st->meta_phys,
		   (unsigned long)st->desc_bytes_per_page);
}

static int cmd_mem(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct pmm_stats st;
	pmm_stats(&st);
	mem_totals(ctx, &st);
	mem_chart(ctx, &st);
	mem_summary(ctx, &st);
	return MON_OK;
}
MON_COMMAND(mem, "",
	    "physical memory: totals, free blocks per order, fragmentation\n"
	    "Pages total / reserved / usable / allocated / free, a bar chart\n"
	    "of the buddy allocator's free blocks per order (order k = 2^k\n"
	    "pages), the largest free block, and fragmentation: the share of\n"
	    "free memory in blocks smaller than the largest free one.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_mem);

/* ---- heap ---- */

struct heap_walk {
	struct mon_ctx *ctx;
	unsigned caches;
	uint64_t inuse, bytes;
};

static void heap_row(void *arg, const struct kmem_cache_stats *st)
{
	struct heap_walk *hw = arg;
	hw->caches++;
	hw->inuse += st->objs_inuse;
	hw->bytes += st->bytes;
	if (!st->objs_per_slab) /* kmalloc-large: whole-page blocks */
		mon_printf(hw->ctx, "  %-23s %6s %5s %8lu %8s %6s %10lu\n",
			   st->name, "pages", "-",
			   (unsigned long)st->objs_inuse, "-", "-",
			   (unsigned long)st->bytes);
	else
		mon_printf(hw->ctx, "  %-23s %6lu %5u %8lu %8lu %6lu %10lu\n",
			   st->name, (unsigned long)st->obj_size,
			   st->objs_per_slab, (unsigned long)st->objs_inuse,
			   (unsigned long)st->objs_free,
			   (unsigned long)st->slabs, (unsigned long)st->bytes);
}

static int cmd_heap(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct heap_walk hw = {ctx, 0, 0, 0};
	char size[SIZE_TEXT_MAX];
	mon_printf(ctx, "  %-23s %6s %5s %8s %8s %6s %10s\n", "cache", "size",
		   "/slab", "in use", "free", "slabs", "bytes");
	kmem_for_each_cache(heap_row, &hw);
	mon_printf(ctx,
		   "%u caches, %lu objects in use, %s held from the page "
		   "allocator\n",
		   hw.caches, (unsigned long)hw.inuse,
		   human_size(slab_bytes_held(), size, sizeof size));
	return MON_OK;
}
MON_COMMAND(
    heap, "",
    "kernel heap: per slab cache objects in use and free, slabs, bytes\n"
    "One line per cache (kmalloc size classes first): object size,\n"
    "objects per slab, objects in use and free, slabs, bytes of\n"
    "memory held. kmalloc-large counts page-sized kmalloc blocks.",
    0, cmd_heap);

/* ---- memmap ---- */

static int cmd_memmap(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t avail = 0;
	char size[SIZE_TEXT_MAX];
	mon_printf(ctx,
		   "boot memory map (%lu entries):\n"
		   "  %-18s %-18s %11s  %s\n",
		   (unsigned long)boot_info.nmmap, "start", "end (inclusive)",
		   "size", "type");
	for (size_t i = 0; i < boot_info.nmmap && !mon_aborted(ctx); i++) {
		const struct mb2_mmap_entry *e = &boot_info.mmap[i];
		mon_printf(ctx, "  0x%016lx 0x%016lx %11s  %s\n",
			   (unsigned long)e->base,
			   (unsigned long)(e->base + e->len - 1),
			   human_size(e->len, size, sizeof size),
			   mb2_mem_type_name(e->type));
		if (e->type == MB2_MEM_AVAILABLE)
			avail += e->len;
	}
	mon_printf(ctx, "available: %s\n",
		   human_size(avail, size, sizeof size));
	return MON_OK;
}
MON_COMMAND(memmap, "",
	    "the memory map the boot loader passed (Multiboot2)\n"
	    "Each range's start, inclusive end, size and type (available,\n"
	    "reserved, ACPI reclaimable, ACPI NVS, bad RAM), as the kernel\n"
	    "parsed it at boot, and the sum of the available ranges.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_memmap);
