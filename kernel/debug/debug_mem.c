/* debug_mem.c — fault-safe memory access for the debugger: page-table probe
 * plus safe_copy. */
#include "kernel/arch/layout.h"
#include "kernel/arch/safecopy.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/debug_pt.h"
#include "kernel/printk.h"
#include "mm/vmm.h"

static uint64_t current_root(void)
{
	return read_cr3() & PTE_ADDR_MASK;
}

/* Bytes from addr to the end of its 4 KiB page, at most len. */
static size_t chunk(uint64_t addr, size_t len)
{
	size_t room = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
	return len < room ? len : room;
}

/* Where to access one page's worth at a (mapped at physical pa): the
 * direct-map alias of the frame, so read-only mappings (kernel text) can
 * be patched, user pages are reached without SMAP's stac/clac and another
 * address space without loading its CR3; frames outside the direct map
 * (MMIO) through their own mapping, which only the current tables have. */
static void *access_target(uint64_t a, uint64_t pa, bool current)
{
	if (vmm_direct_maps(pa))
		return phys_to_virt(pa);
	return current ? (void *)a : 0;
}

/* Copy len bytes between buf and addr as the tables at root map it, page
 * by page, stopping at the first page that is unmapped or faults; returns
 * the bytes copied. */
static size_t access_mem(uint64_t root, uint64_t addr, void *buf, size_t len,
			 bool write)
{
	size_t done = 0;
	while (done < len) {
		uint64_t pa, a = addr + done;
		size_t n = chunk(a, len - done), left;
		/* A user page shared after fork: this process gets its own
		 * copy first, so a patch or an int3 reaches it alone. */
		if (write && !debug_make_private(root, a))
			break;
		if (!pt_is_canonical(a) ||
		    !pt_translate(&debug_pt_ops, root, a, &pa))
			break;
		char *b = (char *)buf + done;
		void *t = access_target(a, pa, root == current_root());
		if (!t)
			break;
		left = write ? safe_copy(t, b, n) : safe_copy(b, t, n);
		done += n - left;
		if (left)
			break;
	}
	return done;
}

size_t debug_read_mem(uint64_t addr, void *buf, size_t len)
{
	return access_mem(current_root(), addr, buf, len, false);
}

size_t debug_write_mem(uint64_t addr, const void *buf, size_t len)
{
	return access_mem(current_root(), addr, (void *)buf, len, true);
}

size_t debug_read_mem_in(uint64_t root, uint64_t addr, void *buf, size_t len)
{
	return access_mem(root ? root : current_root(), addr, buf, len, false);
}

size_t debug_write_mem_in(uint64_t root, uint64_t addr, const void *buf,
			  size_t len)
{
	return access_mem(root ? root : current_root(), addr, (void *)buf, len,
			  true);
}

size_t debug_read_phys(uint64_t pa, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		uint64_t a = pa + done;
		size_t n = chunk(a, len - done);
		if (a < pa || !vmm_direct_maps(a))
			break; /* wrapped, or not RAM */
		size_t got = debug_read_mem((uint64_t)phys_to_virt(a),
					    (char *)buf + done, n);
		done += got;
		if (got < n)
			break;
	}
	return done;
}

bool debug_mon_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	return debug_read_mem(addr, buf, len) == len;
}

void debug_explain_addr_in(uint64_t root, uint64_t addr, char *buf, size_t n)
{
	struct pt_walk w;
	if (!pt_is_canonical(addr)) {
		ksnprintf(buf, n,
			  "address 0x%lx is not canonical (bits 63:48 "
			  "must copy bit 47)",
			  addr);
		return;
	}
	pt_walk(&debug_pt_ops, root ? root : current_root(), addr, &w);
	if (w.ok) {
		ksnprintf(buf, n,
			  "address 0x%lx is mapped (phys 0x%lx) but "
			  "could not be accessed",
			  addr, w.phys);
		return;
	}
	uint64_t entry = w.levels ? w.lvl[w.levels - 1].entry : 0;
	ksnprintf(buf, n, "address 0x%lx not mapped at %s level (entry 0x%lx)",
		  addr, pt_level_name(w.stop_level), entry);
}

void debug_explain_addr(uint64_t addr, char *buf, size_t n)
{
	debug_explain_addr_in(0, addr, buf, n);
}
