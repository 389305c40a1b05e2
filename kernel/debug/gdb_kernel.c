/* gdb_kernel.c — implements struct gdb_target over the debug core for the
 * kernel's stub. */
#include "kernel/arch/regs.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_io.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/gdb_fpu.h"
#include "kernel/debug/gdb_kernel.h"
#include "kernel/debug/gdbstub.h"
#include "kernel/debug/monitor.h"
#include "kernel/arch/layout.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "mm/pagetable.h"
#include "mm/vmm.h"

static struct gdb_stub stub;
static bool stub_ready;
/* The thread 'Hg' chose (debug_proc.h's ids): registers and memory are
 * that thread's. Back to the stopped one at every stop, as GDB assumes
 * after a T reply that names it (remote.c, record_currthread). */
static uint64_t selected = DEBUG_TID_CPU;

#define USER_HALF_END 0x0000800000000000ull /* lower, per-process half */

/* GDB numbers the saved registers as kernel/arch/regs.h lists them. */
#define SAME_NUMBER(g, t) ((int)(g) == (int)(t))
_Static_assert(SAME_NUMBER(GDB_REG_RAX, TRAP_REG_rax) &&
		   SAME_NUMBER(GDB_REG_R15, TRAP_REG_r15) &&
		   SAME_NUMBER(GDB_REG_RIP, TRAP_REG_rip) &&
		   SAME_NUMBER(GDB_REG_EFLAGS, TRAP_REG_rflags) &&
		   SAME_NUMBER(GDB_REG_CS, TRAP_REG_cs) &&
		   SAME_NUMBER(GDB_REG_SS, TRAP_REG_ss),
	       "GDB's core register numbers follow TRAP_REGS");

/* Software breakpoints GDB set that went into DR0-DR3 (see set_sw_break),
 * and the words on the last set_break that failed. */
static uint64_t sw_in_dr[HW_SLOTS];
static unsigned n_sw_in_dr;
static char why[192];

static uint16_t read_seg(enum gdb_reg_id id)
{
	if (id == GDB_REG_DS)
		return read_ds();
	if (id == GDB_REG_ES)
		return read_es();
	return id == GDB_REG_FS ? read_fs() : read_gs();
}

/* The selected thread's saved registers (NULL: it has none). */
static struct trap_frame *sel_frame(void)
{
	return debug_thread_frame(selected);
}

/* The page-table root of the selected thread's memory (0: current). */
static uint64_t sel_root(void)
{
	return debug_thread_root(selected);
}

/* The register's value; false for registers we cannot show. fs_base,
 * gs_base and k_gs_base are the CPU's: no process sets its own. */
static bool reg_value(enum gdb_reg_id id, uint64_t *v)
{
	struct trap_frame *f = sel_frame();
	if (!f)
		return false;
	if (id == GDB_REG_CR3 && sel_root()) {
		*v = sel_root(); /* a process's own tables */
		return true;
	}
	static const char *const sys[] = {"cr0", "cr2", "cr3",
					  "cr4", "cr8", "efer"};
	if (id <= GDB_REG_SS)
		*v = *trap_reg_slot(f, id);
	else if (id >= GDB_REG_DS && id <= GDB_REG_GS)
		*v = read_seg(id);
	else if (id == GDB_REG_FS_BASE)
		*v = rdmsr(MSR_FS_BASE);
	else if (id == GDB_REG_GS_BASE)
		*v = rdmsr(MSR_GS_BASE);
	else if (id == GDB_REG_K_GS_BASE)
		*v = rdmsr(MSR_KERNEL_GS_BASE);
	else if (id >= GDB_REG_CR0 && id <= GDB_REG_EFER)
		return debug_reg_value(sys[id - GDB_REG_CR0], v);
	else
		return false;
	return true;
}

_Static_assert(sizeof(struct fpu_state) == GDB_FXSAVE_SIZE,
	       "the stub's x87/SSE registers come from an FXSAVE image");

/* The selected thread's x87/SSE registers while one of them is read or
 * written (one CPU is in the debugger, the others stopped). */
static struct fpu_state fpu_img;

static int fpu_reg_read(enum gdb_reg_id id, void *buf, size_t size)
{
	if (!debug_thread_fpu(selected, &fpu_img))
		return GDB_REG_UNAVAILABLE;
	return gdb_fpu_get(fpu_img.fxsave, id, buf, size);
}

/* Read, change one register, put back: what the thread resumes with. */
static int fpu_reg_write(enum gdb_reg_id id, const void *buf, size_t size)
{
	if (!debug_thread_fpu(selected, &fpu_img))
		return GDB_REG_UNAVAILABLE;
	int err = gdb_fpu_put(fpu_img.fxsave, id, buf, size);
	if (err)
		return err;
	return debug_thread_set_fpu(selected, &fpu_img) ? 0 : -GDB_EINVAL;
}

static int k_read_reg(void *ctx, enum gdb_reg_id id, void *buf, size_t size)
{
	(void)ctx;
	uint64_t v;
	if (gdb_fpu_reg(id))
		return fpu_reg_read(id, buf, size);
	if (!reg_value(id, &v))
		return GDB_REG_UNAVAILABLE;
	memcpy(buf, &v, size < 8 ? size : 8);
	return 0;
}

static int k_write_reg(void *ctx, enum gdb_reg_id id, const void *buf,
		       size_t size)
{
	(void)ctx;
	struct trap_frame *f = sel_frame();
	uint64_t v = 0, old;
	if (!f)
		return -GDB_EINVAL;
	if (gdb_fpu_reg(id))
		return fpu_reg_write(id, buf, size);
	memcpy(&v, buf, size < 8 ? size : 8);
	if (id <= GDB_REG_RIP) {
		*trap_reg_slot(f, id) = v;
		return 0;
	}
	if (id == GDB_REG_EFLAGS) {
		f->rflags = (f->rflags & ~0xffffffffull) | (v & 0xffffffffull);
		return 0;
	}
	/* Everything else is read-only here; accept unchanged values so a
	 * whole-set 'G' packet succeeds. */
	if (!reg_value(id, &old))
		return 0;
	if (size < 8)
		old &= (1ull << (size * 8)) - 1;
	return old == v ? 0 : -GDB_EINVAL;
}

static long k_read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	size_t n = debug_read_mem_in(sel_root(), addr, buf, len);
	return n || !len ? (long)n : -GDB_EFAULT;
}

static long k_write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	(void)ctx;
	size_t n = debug_write_mem_in(sel_root(), addr, buf, len);
	return n || !len ? (long)n : -GDB_EFAULT;
}

static int bp_errno(int err)
{
	if (err == 0)
		return 0;
	if (err == BP_EFULL)
		return -GDB_ENOSPC;
	if (err == BP_EFAULT)
		return -GDB_EFAULT;
	if (err == BP_EEXIST || err == BP_ENOENT)
		return 0; /* GDB may repeat inserts and removals */
	return -GDB_EINVAL;
}

static enum hw_kind hw_kind_of(enum gdb_bp_type t)
{
	static const enum hw_kind kinds[] = {
	    [GDB_BP_HW] = HW_EXEC,
	    [GDB_WP_WRITE] = HW_WRITE,
	    [GDB_WP_READ] = HW_READ, /* reported for reads only */
	    [GDB_WP_ACCESS] = HW_RW,
	};
	return kinds[t];
}

/* The address space a software breakpoint at addr goes into: user
 * addresses belong to the selected thread's process (or, for the CPU
 * thread, to the tables the CPU stopped on); kernel ones to all (0). */
static uint64_t bp_root(uint64_t addr)
{
	if (addr >= USER_HALF_END)
		return 0;
	return sel_root() ? sel_root() : debug_current()->cr3 & PTE_ADDR_MASK;
}

/* A software breakpoint at a user address that the chosen address space
 * does not map (the program has not started yet: `break main` before it
 * runs) becomes a DR0-DR3 execute breakpoint, which matches the linear
 * address in whichever process runs it. */
static int set_sw_break(uint64_t addr)
{
	int err = bp_set_in(bp_root(addr), addr);
	if (err == BP_EFAULT && addr < USER_HALF_END) {
		err = hw_set(HW_EXEC, addr, 1);
		if (err == 0 && n_sw_in_dr < HW_SLOTS)
			sw_in_dr[n_sw_in_dr++] = addr;
	}
	return bp_errno(err);
}

/* Forget that a software breakpoint at addr sits in a DR slot. */
static void forget_sw_in_dr(uint64_t addr)
{
	for (unsigned i = 0; i < n_sw_in_dr; i++)
		if (sw_in_dr[i] == addr) {
			sw_in_dr[i] = sw_in_dr[--n_sw_in_dr];
			return;
		}
}

/* A hardware breakpoint or watchpoint found DR0-DR3 full: when GDB's own
 * software breakpoints hold slots, say so (GDB shows "E.nn.text"). */
static int hw_full(void)
{
	if (n_sw_in_dr == 0)
		return -GDB_ENOSPC;
	ksnprintf(why, sizeof why,
		  "DR0-DR3 are all in use, %u of them by software breakpoints "
		  "at user addresses no process maps yet (first 0x%lx): "
		  "delete one, or set them once the program runs",
		  n_sw_in_dr, sw_in_dr[0]);
	return -GDB_ENOSPC;
}

static int k_set_break(void *ctx, enum gdb_bp_type t, uint64_t addr,
		       unsigned len)
{
	(void)ctx;
	why[0] = '\0';
	if (t == GDB_BP_SW)
		return set_sw_break(addr);
	int err = hw_set(hw_kind_of(t), addr, len);
	return err == BP_EFULL ? hw_full() : bp_errno(err);
}

static const char *k_error_text(void *ctx)
{
	(void)ctx;
	return why;
}

static int k_remove_break(void *ctx, enum gdb_bp_type t, uint64_t addr,
			  unsigned len)
{
	(void)ctx;
	if (t != GDB_BP_SW)
		return bp_errno(hw_clear(hw_kind_of(t), addr, len));
	/* GDB knows one location per address, whichever thread is selected
	 * now: remove it from every address space it went into. */
	if (bp_clear_addr(addr) == 0)
		return 0;
	forget_sw_in_dr(addr);
	return bp_errno(hw_clear(HW_EXEC, addr, 1)); /* see set_sw_break */
}

static void k_remove_all(void *ctx)
{
	(void)ctx;
	bp_clear_all();
	hw_clear_all();
	n_sw_in_dr = 0;
}

static void k_stop_reason(void *ctx, struct gdb_stop *out)
{
	(void)ctx;
	const struct debug_stop_info *s = debug_current();
	*out = (struct gdb_stop){gdb_signal_for_vector(s->vector),
				 GDB_STOP_SIGNAL, 0, debug_stop_tid()};
	if (s->kind == STOP_BREAKPOINT)
		out->kind = GDB_STOP_SWBREAK;
	else if (s->kind == STOP_HWBREAK)
		out->kind = GDB_STOP_HWBREAK;
	else if (s->kind == STOP_WATCH) {
		out->kind = s->watch_type == 'r'   ? GDB_STOP_RWATCH
			    : s->watch_type == 'a' ? GDB_STOP_AWATCH
						   : GDB_STOP_WATCH;
		out->addr = s->watch_addr;
	}
	if (s->kind == STOP_BREAK_KEY)
		out->signal = gdb_signal_for_vector(32); /* SIGINT */
	else if (s->kind == STOP_STEP || s->kind == STOP_INT3 ||
		 s->kind == STOP_BREAKPOINT || s->kind == STOP_HWBREAK ||
		 s->kind == STOP_WATCH)
		out->signal = gdb_signal_for_vector(VEC_BP);
}

/* The function (by the kernel's symbols) of the last stop reply. */
static uint64_t last_function;

/* A step that ended in another kernel function, or a stop that is no
 * step (a breakpoint, a signal): GDB prints a frame. User code has no
 * symbols here: its steps are left to GDB's own 'g'. */
static bool k_new_frame(void *ctx)
{
	(void)ctx;
	const struct debug_stop_info *s = debug_current();
	uint64_t off = 0, rip = s->frame->rip;
	uint64_t fn = ksym_lookup(rip, &off) ? rip - off : 0;
	bool changed = s->kind != STOP_STEP || (fn && fn != last_function);
	last_function = fn;
	return changed;
}

static int k_monitor_cmd(void *ctx, const char *cmd, fmt_putc_fn out,
			 void *octx)
{
	(void)ctx;
	struct mon_env env = {debug_mon_reg_lookup, debug_frame(),
			      debug_in_double_fault() ? MON_SAFE_AFTER_DF : 0,
			      debug_mon_read};
	monitor_exec_to(cmd, out, octx, &env);
	return 0; /* errors are in the output */
}

static size_t k_threads(void *ctx, uint64_t *ids, size_t max)
{
	(void)ctx;
	return debug_thread_ids(ids, max);
}

static int k_select_thread(void *ctx, uint64_t tid)
{
	(void)ctx;
	if (!debug_thread_exists(tid))
		return -GDB_EINVAL;
	selected = tid;
	return 0;
}

/* Stopped in a process's user code, the CPU thread and the process's
 * thread show the same saved registers: one context. */
static bool k_same_context(void *ctx, uint64_t a, uint64_t b)
{
	(void)ctx;
	struct trap_frame *f = debug_thread_frame(a);
	return f && f == debug_thread_frame(b);
}

static void k_thread_info(void *ctx, uint64_t tid, char *buf, size_t n)
{
	(void)ctx;
	debug_thread_describe(tid, buf, n);
}

/* compare-sections asks for the image's load addresses (LMA = physical,
 * from 1 MiB): the image runs at KERNEL_VMA + (lma - KERNEL_PHYS). */
static uint64_t k_load_to_virt(void *ctx, uint64_t lma)
{
	(void)ctx;
	uint64_t size = kernel_virt_to_phys(_kernel_end) - KERNEL_PHYS;
	if (lma >= KERNEL_PHYS && lma - KERNEL_PHYS < size)
		return lma - KERNEL_PHYS + KERNEL_VMA;
	return lma;
}

/* Memory the boot memory map calls RAM (what the direct map maps). */
static bool is_ram_type(uint32_t type)
{
	return type == MB2_MEM_AVAILABLE || type == MB2_MEM_ACPI_RECLAIMABLE ||
	       type == MB2_MEM_NVS;
}

/* The direct map's RAM, in address order, clipped so that regions never
 * overlap. */
static void direct_ram(gdb_region_fn fn, void *fctx)
{
	const uint64_t span = BOOT_DM_GIB * (1ULL << 30);
	uint64_t cursor = 0;
	for (;;) {
		const struct mb2_mmap_entry *next = 0;
		for (size_t i = 0; i < boot_info.nmmap; i++) {
			const struct mb2_mmap_entry *e = &boot_info.mmap[i];
			if (is_ram_type(e->type) && e->base + e->len > cursor &&
			    (!next || e->base < next->base))
				next = e;
		}
		if (!next || next->base >= span)
			return;
		uint64_t lo = next->base > cursor ? next->base : cursor;
		uint64_t hi = next->base + next->len;
		fn(fctx, DIRECT_MAP_BASE + lo, (hi < span ? hi : span) - lo);
		cursor = hi;
	}
}

/* RAM only. Device memory (a framebuffer, the APICs, memory-mapped UARTs,
 * the VGA hole: whatever the firmware did not call RAM, mapped in the
 * direct map by its drivers) is left out, so debuggers refuse to touch
 * it: a stray read of a UART register eats a byte. */
static void k_memory_regions(void *ctx, gdb_region_fn fn, void *fctx)
{
	(void)ctx;
	fn(fctx, 0, USER_HALF_END); /* each process's own */
	direct_ram(fn, fctx);
	fn(fctx, VMALLOC_BASE, VMALLOC_SIZE); /* kernel stacks */
	/* the image, up to the top (a length that does not wrap to 0) */
	fn(fctx, KERNEL_VMA, 0 - KERNEL_VMA - PAGE_SIZE);
}

static const struct gdb_target kernel_target = {
    .read_reg = k_read_reg,
    .write_reg = k_write_reg,
    .read_mem = k_read_mem,
    .write_mem = k_write_mem,
    .set_break = k_set_break,
    .remove_break = k_remove_break,
    .remove_all_breaks = k_remove_all,
    .stop_reason = k_stop_reason,
    .new_frame = k_new_frame,
    .monitor_cmd = k_monitor_cmd,
    .threads = k_threads,
    .select_thread = k_select_thread,
    .thread_info = k_thread_info,
    .same_context = k_same_context,
    .error_text = k_error_text,
    .memory_regions = k_memory_regions,
    .load_to_virt = k_load_to_virt,
};

void gdb_kernel_new_connection(void)
{
	stub_ready = false; /* re-initialised (ack mode, no pending stop) */
}

bool gdb_kernel_session(const struct char_io *io)
{
	if (!stub_ready) {
		gdb_stub_init(&stub, io, &kernel_target);
		stub_ready = true;
	}
	selected = debug_stop_tid();
	switch (gdb_session(&stub)) {
	case GDB_ACT_STEP:
		if (stub.range_end > stub.range_start)
			debug_request_range_step(stub.range_start,
						 stub.range_end);
		else
			debug_request_step();
		return true;
	case GDB_ACT_CONTINUE:
		return true;
	case GDB_ACT_DETACH:
	case GDB_ACT_KILL:
	case GDB_ACT_DISCONNECT:
		k_remove_all(0);
		debug_gdb_detached();
		return true;
	}
	return true;
}
