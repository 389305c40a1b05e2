/* pagetable.c — x86-64 4-level page tables: map, unmap, protect, walk, and
 * QEMU-style dumps. */
#include "mm/pagetable.h"

#include "kernel/lib/string.h"

#define LIN_BITS 48
#define LIN_TOP (1ULL << LIN_BITS) /* end of the 48-bit linear space */
#define LIN_MASK (LIN_TOP - 1)
#define LIN_SIGN (1ULL << (LIN_BITS - 1)) /* bit 47: sign of a canonical va */

/* QEMU's monitor masks frames to 50 physical bits (target/i386/monitor.c,
 * tlb_info_la48); `info tlb` output uses the same masks to match. */
#define QEMU_FRAME_4K 0x3fffffffff000ULL
#define QEMU_FRAME_2M 0x3ffffffe00000ULL
#define QEMU_FRAME_1G 0x3ffffc0000000ULL

static uint64_t *table(const struct pt_ops *ops, uint64_t phys)
{
	return ops->phys_to_virt(phys);
}

static unsigned shift_of(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

/* Bytes one entry of a table at `level` covers. */
static uint64_t span(int level)
{
	return 1ULL << shift_of(level);
}

static unsigned index_of(uint64_t lin, int level)
{
	return (unsigned)(lin >> shift_of(level)) & (PT_ENTRIES - 1);
}

static bool is_leaf(uint64_t e, int level)
{
	return level == 1 || (level <= 3 && (e & PTE_PS));
}

static bool table_empty(const struct pt_ops *ops, uint64_t phys)
{
	const uint64_t *t = table(ops, phys);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

static void flush(const struct pt_ops *ops, uint64_t lin)
{
	if (ops->flush)
		ops->flush(ops->ctx, pt_canonical(lin));
}

bool pt_is_canonical(uint64_t va)
{
	return pt_canonical(va & LIN_MASK) == va;
}

uint64_t pt_canonical(uint64_t addr)
{
	return (addr & LIN_SIGN) ? addr | ~LIN_MASK : addr;
}

/* Check a range and convert it to linear [*lin, *end) inside one half. */
static bool range_ok(uint64_t va, uint64_t len, uint64_t *lin, uint64_t *end)
{
	if (!len || (va | len) & (PT_PAGE_4K - 1) || !pt_is_canonical(va))
		return false;
	*lin = va & LIN_MASK;
	*end = *lin + len;
	if (*end < *lin)
		return false;
	return *lin < LIN_SIGN ? *end <= LIN_SIGN : *end <= LIN_TOP;
}

/* The leaf permission bits of flags that this CPU supports. */
static uint64_t leaf_flags(const struct pt_ops *ops, uint64_t flags)
{
	return flags & PTE_PERM_MASK & ~ops->unsupported;
}

/* ---- map ---- */

struct map_job {
	const struct pt_ops *ops;
	uint64_t flags; /* leaf permission bits */
	unsigned opts;
	uint64_t done; /* linear end of what is mapped so far */
};

static int map_level(struct map_job *j, uint64_t tphys, int level, uint64_t lin,
		     uint64_t end, uint64_t pa);

/* Find or create the table under t[i] for a mapping with job flags. */
static int descend(struct map_job *j, uint64_t *e, uint64_t *child)
{
	uint64_t want = PTE_P | PTE_RW | (j->flags & PTE_US);

	if (!(*e & PTE_P)) {
		uint64_t phys = j->ops->alloc_table(j->ops->ctx);
		if (!phys)
			return PT_ENOMEM;
		*e = phys | want;
	} else if (*e & PTE_PS) {
		return PT_EEXIST;
	}
	*e |= want;
	*child = *e & PTE_ADDR_MASK;
	return PT_OK;
}

static bool want_leaf(struct map_job *j, int level, uint64_t lin, uint64_t end,
		      uint64_t pa)
{
	uint64_t sz = span(level);

	if (level == 1)
		return true;
	if (level == 3 && !(j->opts & PT_MAP_1G))
		return false;
	return level <= 3 && (j->opts & PT_MAP_LARGE) &&
	       !((lin | pa) & (sz - 1)) && end - lin >= sz;
}

static int map_level(struct map_job *j, uint64_t tphys, int level, uint64_t lin,
		     uint64_t end, uint64_t pa)
{
	uint64_t *t = table(j->ops, tphys);

	while (lin < end) {
		uint64_t next = (lin & ~(span(level) - 1)) + span(level);
		uint64_t *e = &t[index_of(lin, level)], child = 0;
		if (next > end)
			next = end;
		if (want_leaf(j, level, lin, end, pa)) {
			if (*e & PTE_P)
				return PT_EEXIST;
			*e = pa | j->flags | PTE_P | (level > 1 ? PTE_PS : 0);
			j->done = next;
		} else {
			int r = descend(j, e, &child);
			if (r == PT_OK)
				r = map_level(j, child, level - 1, lin, next,
					      pa);
			if (r != PT_OK) {
				if ((*e & PTE_P) && !(*e & PTE_PS) &&
				    table_empty(j->ops, child)) {
					j->ops->free_table(j->ops->ctx, child);
					*e = 0;
				}
				return r;
			}
		}
		pa += next - lin;
		lin = next;
	}
	return PT_OK;
}

int pt_map(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t pa,
	   uint64_t len, uint64_t flags, unsigned opts)
{
	struct map_job j = {ops, leaf_flags(ops, flags), opts, 0};
	uint64_t lin, end;

	if (!range_ok(va, len, &lin, &end) || (pa & (PT_PAGE_4K - 1)) ||
	    (pa & ~PTE_ADDR_MASK))
		return PT_EINVAL;
	j.done = lin;
	int r = map_level(&j, root, PT_LEVELS, lin, end, pa);
	if (r != PT_OK && j.done > lin)
		pt_unmap(ops, root, pt_canonical(lin), j.done - lin);
	return r;
}

/* ---- unmap and protect: one range walker with a leaf action ---- */

enum leaf_action { ACT_UNMAP, ACT_PROTECT };

static int edit_level(const struct pt_ops *ops, uint64_t tphys, int level,
		      uint64_t lin, uint64_t end, enum leaf_action act,
		      uint64_t flags)
{
	uint64_t *t = table(ops, tphys);

	while (lin < end) {
		uint64_t base = lin & ~(span(level) - 1);
		uint64_t next =
		    base + span(level) < end ? base + span(level) : end;
		uint64_t *e = &t[index_of(lin, level)];
		if (!(*e & PTE_P)) {
			/* hole: skip */
		} else if (is_leaf(*e, level)) {
			if (lin != base || next != base + span(level))
				return PT_ELARGE;
			if (act == ACT_UNMAP)
				*e = 0;
			else
				*e = (*e & ~PTE_PERM_MASK) | flags;
			flush(ops, base);
		} else {
			uint64_t child = *e & PTE_ADDR_MASK;
			if (act == ACT_PROTECT)
				*e |= flags & PTE_US;
			int r = edit_level(ops, child, level - 1, lin, next,
					   act, flags);
			if (act == ACT_UNMAP && table_empty(ops, child)) {
				ops->free_table(ops->ctx, child);
				*e = 0;
			}
			if (r != PT_OK)
				return r;
		}
		lin = next;
	}
	return PT_OK;
}

int pt_unmap(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t len)
{
	uint64_t lin, end;

	if (!range_ok(va, len, &lin, &end))
		return PT_EINVAL;
	return edit_level(ops, root, PT_LEVELS, lin, end, ACT_UNMAP, 0);
}

int pt_protect(const struct pt_ops *ops, uint64_t root, uint64_t va,
	       uint64_t len, uint64_t flags)
{
	uint64_t lin, end;

	if (!range_ok(va, len, &lin, &end))
		return PT_EINVAL;
	return edit_level(ops, root, PT_LEVELS, lin, end, ACT_PROTECT,
			  leaf_flags(ops, flags));
}

/* ---- walk and translate ---- */

static const char *const level_names[] = {"?", "PT", "PD", "PDPT", "PML4"};

const char *pt_level_name(int level)
{
	return level >= 1 && level <= 4 ? level_names[level] : "?";
}

static void walk_leaf(struct pt_walk *w, uint64_t va, int level, uint64_t e)
{
	static const char *const reasons[] = {"", "4 KiB page", "2 MiB page",
					      "1 GiB page"};
	uint64_t mask = level == 1   ? PTE_ADDR_MASK
			: level == 2 ? PTE_ADDR_MASK_2M
				     : PTE_ADDR_MASK_1G;

	w->ok = true;
	w->page_size = span(level);
	w->phys = (e & mask) | (va & (span(level) - 1));
	w->stop_reason = reasons[level];
}

void pt_walk(const struct pt_ops *ops, uint64_t root, uint64_t va,
	     struct pt_walk *w)
{
	uint64_t tphys = root, eff = PTE_P | PTE_RW | PTE_US, nx = 0;

	memset(w, 0, sizeof *w);
	w->stop_reason = "non-canonical address";
	if (!pt_is_canonical(va))
		return;
	for (int level = PT_LEVELS; level >= 1; level--) {
		uint64_t e = table(ops, tphys)[index_of(va, level)];
		w->lvl[w->levels].level = level;
		w->lvl[w->levels].index = index_of(va, level);
		w->lvl[w->levels].entry = e;
		w->lvl[w->levels++].table_phys = tphys;
		w->stop_level = level;
		if (!(e & PTE_P)) {
			w->stop_reason = "not present";
			return;
		}
		eff &= e;
		nx |= e & PTE_NX;
		w->eff_flags = eff | nx;
		if (level == 4 && (e & PTE_PS)) {
			w->stop_reason =
			    "reserved bit 7 (PS) set in PML4 entry";
			return;
		}
		if (is_leaf(e, level)) {
			walk_leaf(w, va, level, e);
			return;
		}
		tphys = e & PTE_ADDR_MASK;
	}
}

bool pt_translate(const struct pt_ops *ops, uint64_t root, uint64_t va,
		  uint64_t *pa)
{
	struct pt_walk w;

	pt_walk(ops, root, va, &w);
	if (w.ok && pa)
		*pa = w.phys;
	return w.ok;
}

/* ---- flag decoding ---- */

char *pt_format_flags(uint64_t entry, int level, char *buf, size_t n)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} cols[] = {{PTE_P, "P"},    {PTE_RW, "RW"},  {PTE_US, "US"},
		    {PTE_PWT, "WT"}, {PTE_PCD, "CD"}, {PTE_A, "A"},
		    {PTE_D, "D"},    {PTE_PS, "PS"},  {PTE_G, "G"},
		    {PTE_NX, "NX"}};
	size_t o = 0;

	for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
		const char *name = cols[c].name;
		if (cols[c].bit == PTE_PS && level == 1)
			name = "PA";
		for (size_t k = 0; name[k]; k++)
			if (o + 1 < n)
				buf[o++] =
				    (entry & cols[c].bit) ? name[k] : '-';
		if (c + 1 < sizeof cols / sizeof cols[0] && o + 1 < n)
			buf[o++] = ' ';
	}
	if (n)
		buf[o] = '\0';
	return buf;
}

/* ---- ranges merged by protection (QEMU mem_info_la48 / mem_print) ---- */

struct range_iter {
	const struct pt_ops *ops;
	uint64_t mask;
	uint64_t start; /* UINT64_MAX: no open range */
	uint64_t last_prot;
	pt_range_fn fn;
	void *ctx;
	bool stopped;
};

/* QEMU's mem_print: at every entry boundary `end`, a change of prot
 * closes the open range and opens a new one if prot is non-zero. */
static void range_step(struct range_iter *it, uint64_t end, uint64_t prot)
{
	if (prot == it->last_prot)
		return;
	if (it->start != UINT64_MAX && !it->stopped) {
		struct pt_range r = {it->start, end, it->last_prot};
		it->stopped = !it->fn(it->ctx, &r);
	}
	it->start = prot ? end : UINT64_MAX;
	it->last_prot = prot;
}

static uint64_t leaf_prot(const struct range_iter *it, uint64_t e,
			  uint64_t and_acc, uint64_t or_acc)
{
	uint64_t and_bits = it->mask & (PTE_P | PTE_RW | PTE_US);

	return (e & and_bits & and_acc) | ((e | or_acc) & it->mask & PTE_NX);
}

static void range_level(struct range_iter *it, uint64_t tphys, int level,
			uint64_t base, uint64_t and_acc, uint64_t or_acc)
{
	const uint64_t *t = table(it->ops, tphys);

	for (unsigned i = 0; i < PT_ENTRIES && !it->stopped; i++) {
		uint64_t e = t[i], addr = base + i * span(level);
		if (!(e & PTE_P))
			range_step(it, addr, 0);
		else if (is_leaf(e, level))
			range_step(it, addr, leaf_prot(it, e, and_acc, or_acc));
		else
			range_level(it, e & PTE_ADDR_MASK, level - 1, addr,
				    and_acc & e, or_acc | e);
	}
}

void pt_for_each_range(const struct pt_ops *ops, uint64_t root,
		       uint64_t prot_mask, pt_range_fn fn, void *ctx)
{
	struct range_iter it = {ops,  prot_mask | PTE_P, UINT64_MAX, 0, fn, ctx,
				false};

	range_level(&it, root, PT_LEVELS, 0, ~0ULL, 0);
	range_step(&it, LIN_TOP, 0); /* flush the last range */
}

/* ---- QEMU-format output ---- */

static void put_str(fmt_putc_fn putc, void *ctx, const char *s)
{
	while (*s)
		putc(ctx, *s++);
}

/* %016lx */
static void put_hex16(fmt_putc_fn putc, void *ctx, uint64_t v)
{
	for (int sh = 60; sh >= 0; sh -= 4)
		putc(ctx, "0123456789abcdef"[(v >> sh) & 0xf]);
}

struct out {
	fmt_putc_fn putc;
	void *ctx;
};

static bool info_mem_line(void *ctx, const struct pt_range *r)
{
	struct out *o = ctx;

	put_hex16(o->putc, o->ctx, pt_canonical(r->start));
	o->putc(o->ctx, '-');
	put_hex16(o->putc, o->ctx, pt_canonical(r->end));
	o->putc(o->ctx, ' ');
	put_hex16(o->putc, o->ctx, pt_canonical(r->end - r->start));
	o->putc(o->ctx, ' ');
	o->putc(o->ctx, (r->prot & PTE_US) ? 'u' : '-');
	o->putc(o->ctx, 'r');
	o->putc(o->ctx, (r->prot & PTE_RW) ? 'w' : '-');
	o->putc(o->ctx, '\n');
	return true;
}

void pt_format_info_mem(const struct pt_ops *ops, uint64_t root,
			fmt_putc_fn putc, void *ctx)
{
	struct out o = {putc, ctx};

	pt_for_each_range(ops, root, PTE_P | PTE_RW | PTE_US, info_mem_line,
			  &o);
}

/* QEMU print_pte: "addr: frame XGPDACTUW" */
static void tlb_line(struct out *o, uint64_t lin, uint64_t e, uint64_t mask)
{
	static const struct {
		uint64_t bit;
		char c;
	} f[] = {{PTE_NX, 'X'},	 {PTE_G, 'G'},	{PTE_PS, 'P'},
		 {PTE_D, 'D'},	 {PTE_A, 'A'},	{PTE_PCD, 'C'},
		 {PTE_PWT, 'T'}, {PTE_US, 'U'}, {PTE_RW, 'W'}};

	put_hex16(o->putc, o->ctx, pt_canonical(lin));
	put_str(o->putc, o->ctx, ": ");
	put_hex16(o->putc, o->ctx, e & mask);
	o->putc(o->ctx, ' ');
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		o->putc(o->ctx, (e & f[i].bit) ? f[i].c : '-');
	o->putc(o->ctx, '\n');
}

static void tlb_level(const struct pt_ops *ops, struct out *o, uint64_t tphys,
		      int level, uint64_t base)
{
	static const uint64_t masks[] = {0, QEMU_FRAME_4K, QEMU_FRAME_2M,
					 QEMU_FRAME_1G};
	const uint64_t *t = table(ops, tphys);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i], addr = base + i * span(level);
		if (!(e & PTE_P))
			continue;
		if (level == 1)
			tlb_line(o, addr, e & ~PTE_PAT, masks[1]);
		else if (level <= 3 && (e & PTE_PS))
			tlb_line(o, addr, e, masks[level]);
		else
			tlb_level(ops, o, e & QEMU_FRAME_4K, level - 1, addr);
	}
}

void pt_format_info_tlb(const struct pt_ops *ops, uint64_t root,
			fmt_putc_fn putc, void *ctx)
{
	struct out o = {putc, ctx};

	tlb_level(ops, &o, root, PT_LEVELS, 0);
}

/* ---- address spaces ---- */

uint64_t pt_create(const struct pt_ops *ops, uint64_t kernel_root)
{
	uint64_t root = ops->alloc_table(ops->ctx);

	if (!root)
		return 0;
	if (kernel_root)
		memcpy(table(ops, root) + PT_KERNEL_FIRST_PML4,
		       table(ops, kernel_root) + PT_KERNEL_FIRST_PML4,
		       (PT_ENTRIES - PT_KERNEL_FIRST_PML4) * sizeof(uint64_t));
	return root;
}

static void free_tree(const struct pt_ops *ops, uint64_t tphys, int level)
{
	const uint64_t *t = table(ops, tphys);

	for (unsigned i = 0; level > 1 && i < PT_ENTRIES; i++)
		if ((t[i] & PTE_P) && !is_leaf(t[i], level))
			free_tree(ops, t[i] & PTE_ADDR_MASK, level - 1);
	ops->free_table(ops->ctx, tphys);
}

void pt_destroy(const struct pt_ops *ops, uint64_t root)
{
	uint64_t *t = table(ops, root);

	for (unsigned i = 0; i < PT_KERNEL_FIRST_PML4; i++)
		if (t[i] & PTE_P)
			free_tree(ops, t[i] & PTE_ADDR_MASK, PT_LEVELS - 1);
	ops->free_table(ops->ctx, root);
}

static void count_level(const struct pt_ops *ops, uint64_t tphys, int level,
			uint64_t counts[3])
{
	const uint64_t *t = table(ops, tphys);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (is_leaf(t[i], level))
			counts[level - 1]++;
		else
			count_level(ops, t[i] & PTE_ADDR_MASK, level - 1,
				    counts);
	}
}

void pt_count(const struct pt_ops *ops, uint64_t root, uint64_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	count_level(ops, root, PT_LEVELS, counts);
}
