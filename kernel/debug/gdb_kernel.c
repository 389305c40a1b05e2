/* gdb_kernel.c — implements struct gdb_target over the debug core for the kernel's stub. */
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_io.h"
#include "kernel/debug/gdb_kernel.h"
#include "kernel/debug/gdbstub.h"
#include "kernel/debug/monitor.h"
#include "kernel/string.h"
#include "kernel/x86.h"

static struct gdb_stub stub;
static bool stub_ready;

/* Frame fields in enum gdb_reg_id order, for RAX..RIP. */
static const unsigned char frame_slot[] = {
	offsetof(struct trap_frame, rax), offsetof(struct trap_frame, rbx),
	offsetof(struct trap_frame, rcx), offsetof(struct trap_frame, rdx),
	offsetof(struct trap_frame, rsi), offsetof(struct trap_frame, rdi),
	offsetof(struct trap_frame, rbp), offsetof(struct trap_frame, rsp),
	offsetof(struct trap_frame, r8),  offsetof(struct trap_frame, r9),
	offsetof(struct trap_frame, r10), offsetof(struct trap_frame, r11),
	offsetof(struct trap_frame, r12), offsetof(struct trap_frame, r13),
	offsetof(struct trap_frame, r14), offsetof(struct trap_frame, r15),
	offsetof(struct trap_frame, rip),
};

static uint16_t read_seg(enum gdb_reg_id id)
{
	if (id == GDB_REG_DS)
		return read_ds();
	if (id == GDB_REG_ES)
		return read_es();
	return id == GDB_REG_FS ? read_fs() : read_gs();
}

/* The register's value; false for registers we cannot show (x87). */
static bool reg_value(enum gdb_reg_id id, uint64_t *v)
{
	struct trap_frame *f = debug_frame();
	static const char *const sys[] = {"cr0", "cr2", "cr3",
					  "cr4", "cr8", "efer"};
	if (id <= GDB_REG_RIP)
		*v = *(uint64_t *)((char *)f + frame_slot[id]);
	else if (id == GDB_REG_EFLAGS)
		*v = f->rflags;
	else if (id == GDB_REG_CS)
		*v = f->cs;
	else if (id == GDB_REG_SS)
		*v = f->ss;
	else if (id >= GDB_REG_DS && id <= GDB_REG_GS)
		*v = read_seg(id);
	else if (id == GDB_REG_FS_BASE)
		*v = rdmsr(MSR_FS_BASE);
	else if (id == GDB_REG_GS_BASE)
		*v = rdmsr(MSR_GS_BASE);
	else if (id >= GDB_REG_CR0 && id <= GDB_REG_EFER)
		return debug_reg_value(sys[id - GDB_REG_CR0], v);
	else
		return false;
	return true;
}

static int k_read_reg(void *ctx, enum gdb_reg_id id, void *buf, size_t size)
{
	(void)ctx;
	uint64_t v;
	if (!reg_value(id, &v))
		return GDB_REG_UNAVAILABLE;
	memcpy(buf, &v, size < 8 ? size : 8);
	return 0;
}

static int k_write_reg(void *ctx, enum gdb_reg_id id, const void *buf,
		       size_t size)
{
	(void)ctx;
	struct trap_frame *f = debug_frame();
	uint64_t v = 0, old;
	memcpy(&v, buf, size < 8 ? size : 8);
	if (id <= GDB_REG_RIP) {
		*(uint64_t *)((char *)f + frame_slot[id]) = v;
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
	size_t n = debug_read_mem(addr, buf, len);
	return n || !len ? (long)n : -GDB_EFAULT;
}

static long k_write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	(void)ctx;
	size_t n = debug_write_mem(addr, buf, len);
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
	return t == GDB_BP_HW ? HW_EXEC : t == GDB_WP_WRITE ? HW_WRITE : HW_RW;
}

static int k_set_break(void *ctx, enum gdb_bp_type t, uint64_t addr,
		       unsigned len)
{
	(void)ctx;
	if (t == GDB_BP_SW)
		return bp_errno(bp_set(addr));
	if (t == GDB_WP_READ) /* x86 has no read-only data breakpoint */
		return -GDB_ENOSYS;
	return bp_errno(hw_set(hw_kind_of(t), addr, len));
}

static int k_remove_break(void *ctx, enum gdb_bp_type t, uint64_t addr,
			  unsigned len)
{
	(void)ctx;
	if (t == GDB_BP_SW)
		return bp_errno(bp_clear(addr));
	return bp_errno(hw_clear(hw_kind_of(t), addr, len));
}

static void k_remove_all(void *ctx)
{
	(void)ctx;
	bp_clear_all();
	hw_clear_all();
}

static void k_stop_reason(void *ctx, struct gdb_stop *out)
{
	(void)ctx;
	const struct debug_stop_info *s = debug_current();
	*out = (struct gdb_stop){gdb_signal_for_vector(s->vector),
				 GDB_STOP_SIGNAL, 0, 1};
	if (s->kind == STOP_BREAKPOINT)
		out->kind = GDB_STOP_SWBREAK;
	else if (s->kind == STOP_HWBREAK)
		out->kind = GDB_STOP_HWBREAK;
	else if (s->kind == STOP_WATCH) {
		out->kind = GDB_STOP_WATCH;
		out->addr = s->watch_addr;
	}
	if (s->kind == STOP_BREAK_KEY)
		out->signal = gdb_signal_for_vector(32); /* SIGINT */
	else if (s->kind == STOP_STEP || s->kind == STOP_INT3 ||
		 s->kind == STOP_BREAKPOINT || s->kind == STOP_HWBREAK ||
		 s->kind == STOP_WATCH)
		out->signal = gdb_signal_for_vector(VEC_BP);
}

static int k_monitor_cmd(void *ctx, const char *cmd, fmt_putc_fn out,
			 void *octx)
{
	(void)ctx;
	struct mon_env env = {debug_mon_reg_lookup, debug_frame(),
			      debug_in_double_fault() ? MON_SAFE_AFTER_DF : 0};
	monitor_exec_to(cmd, out, octx, &env);
	return 0; /* errors are in the output */
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
	.monitor_cmd = k_monitor_cmd,
};

void gdb_kernel_new_connection(void)
{
	stub_ready = false; /* re-initialised (ack mode, no pending stop) */
}

bool gdb_kernel_session(const struct gdb_io *io)
{
	if (!stub_ready) {
		gdb_stub_init(&stub, io, &kernel_target);
		stub_ready = true;
	}
	switch (gdb_session(&stub)) {
	case GDB_ACT_STEP:
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
