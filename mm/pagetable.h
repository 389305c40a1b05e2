/* pagetable.h — x86-64 4-level page-table operations through caller-supplied
 * hooks. */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/printk.h"

/* Paging-structure entry bits, Intel SDM Vol. 3A §4.5 "4-Level Paging",
 * Tables 4-15 (PML4E), 4-16/4-17 (PDPTE), 4-18/4-19 (PDE), 4-20 (PTE). */
#define PTE_P (1ULL << 0)   /* present */
#define PTE_RW (1ULL << 1)  /* writable */
#define PTE_US (1ULL << 2)  /* user-mode accessible */
#define PTE_PWT (1ULL << 3) /* page-level write-through */
#define PTE_PCD (1ULL << 4) /* page-level cache disable */
#define PTE_A (1ULL << 5)   /* accessed */
#define PTE_D (1ULL << 6)   /* dirty (leaf entries only) */
#define PTE_PS (1ULL << 7)  /* page size: 1 GiB PDPTE / 2 MiB PDE */
#define PTE_PAT (1ULL << 7) /* same bit in a 4 KiB PTE: PAT index bit 2 */
#define PTE_G (1ULL << 8)   /* global (leaf entries only) */
#define PTE_NX (1ULL << 63) /* execute-disable (needs EFER.NXE) */
/* Physical address bits 12..51 (MAXPHYADDR is at most 52). */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PTE_ADDR_MASK_2M 0x000fffffffe00000ULL /* 2 MiB page frame */
#define PTE_ADDR_MASK_1G 0x000fffffc0000000ULL /* 1 GiB page frame */

/* The bits pt_map/pt_protect accept as leaf permissions. */
#define PTE_PERM_MASK (PTE_RW | PTE_US | PTE_PWT | PTE_PCD | PTE_G | PTE_NX)

/* Levels: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
#define PT_LEVELS 4
#define PT_ENTRIES 512
#define PT_PAGE_4K (1ULL << 12)
#define PT_PAGE_2M (1ULL << 21)
#define PT_PAGE_1G (1ULL << 30)
#define PT_USER_TOP 0x0000800000000000ULL /* first non-canonical address */
#define PT_KERNEL_FIRST_PML4 256	  /* upper half: shared entries */

/* Hooks: how to reach and obtain page-table pages. */
struct pt_ops {
	void *(*phys_to_virt)(uint64_t phys);
	uint64_t (*alloc_table)(void *ctx); /* zeroed 4 KiB page; 0 on OOM */
	void (*free_table)(void *ctx, uint64_t phys);
	void (*flush)(void *ctx, uint64_t va); /* invlpg, may be NULL */
	void *ctx;
	/* Leaf bits this CPU would fault on, which pt_map and pt_protect
	 * leave clear: PTE_NX when EFER.NXE is off (bit 63 is then
	 * reserved, SDM vol. 3A 4.5, table 4-20). Callers ask for NX
	 * wherever they want it; the tables get it where it exists. */
	uint64_t unsupported;
};

/* Error codes (negative) returned by the range operations. */
#define PT_OK 0
#define PT_ENOMEM (-1) /* alloc_table failed */
#define PT_EEXIST (-2) /* something is already mapped there */
#define PT_EINVAL (-3) /* unaligned, empty, or non-canonical range */
#define PT_ELARGE (-4) /* range covers only part of a large page */

/* pt_map option: use 2 MiB pages where va, pa and the remaining length
 * are aligned to them. */
#define PT_MAP_LARGE 1u
/* With PT_MAP_LARGE: 1 GiB pages too (only when CPUID 80000001h:EDX.26,
 * Page1GB, is set; without it a 1 GiB entry is a reserved-bit fault). */
#define PT_MAP_1G 2u

/* Sign-extend bit 47: true when va is a valid 48-bit linear address. */
bool pt_is_canonical(uint64_t va);
/* The canonical form of a 48-bit linear address (as QEMU prints it). */
uint64_t pt_canonical(uint64_t addr);

/* Map [va, va+len) to [pa, pa+len) with leaf permission bits `flags`
 * (PTE_PERM_MASK less ops->unsupported; P and A/D are added by hardware
 * rules: P always).
 * va, pa, len must be 4 KiB aligned and the range canonical, in one half.
 * Intermediate tables are created with P|RW, plus US when flags has US.
 * Never replaces or splits existing mappings: returns PT_EEXIST and
 * undoes what this call mapped. PT_ENOMEM likewise undoes. */
int pt_map(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t pa,
	   uint64_t len, uint64_t flags, unsigned opts);

/* Unmap every page in [va, va+len) (holes are skipped), flush each, and
 * free page tables that become empty (never the root). A large page
 * only partly inside the range gives PT_ELARGE (earlier pages stay
 * unmapped). Frames that were mapped are not freed: the caller owns them. */
int pt_unmap(const struct pt_ops *ops, uint64_t root, uint64_t va,
	     uint64_t len);

/* Replace the PTE_PERM_MASK bits of every mapped page in the range with
 * flags (less ops->unsupported; holes skipped), flushing each. PT_ELARGE as for
 * pt_unmap. */
int pt_protect(const struct pt_ops *ops, uint64_t root, uint64_t va,
	       uint64_t len, uint64_t flags);

/* One walk of the translation of va, level by level. */
struct pt_walk {
	int levels; /* entries filled in lvl[], 0..4 */
	struct {
		int level;	     /* 4 = PML4 .. 1 = PT */
		unsigned index;	     /* 0..511 */
		uint64_t entry;	     /* the raw entry */
		uint64_t table_phys; /* the table holding it */
	} lvl[PT_LEVELS];
	int stop_level;		 /* level of the last entry read, 0 if none */
	const char *stop_reason; /* e.g. "not present", "2 MiB page" */
	uint64_t page_size;	 /* size of the mapping when ok */
	uint64_t phys;		 /* translated address when ok */
	uint64_t eff_flags;	 /* RW/US ANDed, NX ORed over levels; P */
	bool ok;		 /* va is mapped */
};

/* Walk va from root; never fails, the walk says where and why it stopped. */
void pt_walk(const struct pt_ops *ops, uint64_t root, uint64_t va,
	     struct pt_walk *w);

/* Translate va; false when it is not mapped. */
bool pt_translate(const struct pt_ops *ops, uint64_t root, uint64_t va,
		  uint64_t *pa);

/* Name of a level: "PML4", "PDPT", "PD", "PT". */
const char *pt_level_name(int level);

/* Decode entry (of a table at `level`) into buf as fixed columns
 * "P RW US WT CD A D PS G NX", an absent bit shown as dashes of the same
 * width; at level 1 bit 7 is PAT and is shown as "PA". Returns buf. */
char *pt_format_flags(uint64_t entry, int level, char *buf, size_t n);

/* A run of mapped pages whose effective protection is identical.
 * start/end are 48-bit linear addresses (end exclusive, may be 1<<48);
 * pt_canonical() gives the printable form. */
struct pt_range {
	uint64_t start, end;
	uint64_t prot; /* effective bits of prot_mask, P always set */
};
typedef bool (*pt_range_fn)(void *ctx, const struct pt_range *r);

/* Call fn for every run of mapped addresses, merging neighbours whose
 * effective protection masked with prot_mask is equal (RW/US ANDed
 * across levels, NX ORed) — QEMU's `info mem` rule with prot_mask =
 * PTE_P|PTE_RW|PTE_US. Stops early when fn returns false. */
void pt_for_each_range(const struct pt_ops *ops, uint64_t root,
		       uint64_t prot_mask, pt_range_fn fn, void *ctx);

/* Exactly QEMU's `info mem` (target/i386/monitor.c mem_info_la48) lines:
 * "%016lx-%016lx %016lx %c%c%c\n" start, end, size, u/-, r, w/-. */
void pt_format_info_mem(const struct pt_ops *ops, uint64_t root,
			fmt_putc_fn putc, void *ctx);

/* Exactly QEMU's `info tlb` (tlb_info_la48) lines, one per leaf:
 * "%016lx: %016lx XGPDACTUW\n", each flag letter or '-'. */
void pt_format_info_tlb(const struct pt_ops *ops, uint64_t root,
			fmt_putc_fn putc, void *ctx);

/* New address space: a fresh root whose entries 256..511 are copied from
 * kernel_root (the shared upper half). 0 on OOM. */
uint64_t pt_create(const struct pt_ops *ops, uint64_t kernel_root);

/* Free every lower-half page table reachable from root, and root. The
 * mapped frames themselves are the caller's to free first. */
void pt_destroy(const struct pt_ops *ops, uint64_t root);

/* Count present leaf mappings (4K, 2M, 1G) — for tests and the monitor. */
void pt_count(const struct pt_ops *ops, uint64_t root, uint64_t counts[3]);

#endif
