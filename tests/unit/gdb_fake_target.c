/* gdb_fake_target.c — fake debug target for GDB stub tests. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/gdb_fake_target.h"

bool fake_mapped(uint64_t addr)
{
	return addr >= FAKE_MEM_BASE && addr < FAKE_MEM_BASE + FAKE_MEM_SIZE &&
	       (addr & ~(FAKE_PAGE - 1)) != FAKE_HOLE;
}

static int read_reg(void *ctx, enum gdb_reg_id id, void *buf, size_t size)
{
	struct fake_target *f = ctx;
	if (gdb_fpu_reg(id))
		return gdb_fpu_get(f->fx, id, buf, size);
	memcpy(buf, &f->regs[id], size > 8 ? 8 : size);
	return 0;
}

static int write_reg(void *ctx, enum gdb_reg_id id, const void *buf,
		     size_t size)
{
	struct fake_target *f = ctx;
	if (gdb_fpu_reg(id))
		return gdb_fpu_put(f->fx, id, buf, size);
	f->regs[id] = 0;
	memcpy(&f->regs[id], buf, size > 8 ? 8 : size);
	return 0;
}

static long read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fake_target *f = ctx;
	size_t n = 0;
	while (n < len && fake_mapped(addr + n)) {
		((uint8_t *)buf)[n] = f->mem[addr + n - FAKE_MEM_BASE];
		n++;
	}
	return n ? (long)n : -GDB_EFAULT;
}

static long write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct fake_target *f = ctx;
	size_t n = 0;
	while (n < len && fake_mapped(addr + n)) {
		f->mem[addr + n - FAKE_MEM_BASE] = ((const uint8_t *)buf)[n];
		n++;
	}
	return n ? (long)n : -GDB_EFAULT;
}

static struct fake_bp *find(struct fake_bp *t, size_t n, enum gdb_bp_type type,
			    uint64_t addr, bool used)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].used == used &&
		    (!used || (t[i].type == type && t[i].addr == addr)))
			return &t[i];
	return NULL;
}

static int set_break(void *ctx, enum gdb_bp_type type, uint64_t addr,
		     unsigned len)
{
	struct fake_target *f = ctx;
	bool sw = type == GDB_BP_SW;
	if (!sw && type != GDB_BP_HW && len != 1 && len != 2 && len != 4 &&
	    len != 8)
		return -GDB_EINVAL;
	if (sw && !fake_mapped(addr))
		return -GDB_EFAULT;
	struct fake_bp *b = sw ? find(f->sw, FAKE_SW_SLOTS, type, addr, false)
			       : find(f->hw, FAKE_HW_SLOTS, type, addr, false);
	if (!b)
		return -GDB_ENOSPC;
	*b = (struct fake_bp){true, type, addr, len};
	return 0;
}

static int remove_break(void *ctx, enum gdb_bp_type type, uint64_t addr,
			unsigned len)
{
	struct fake_target *f = ctx;
	(void)len;
	struct fake_bp *b = type == GDB_BP_SW
				? find(f->sw, FAKE_SW_SLOTS, type, addr, true)
				: find(f->hw, FAKE_HW_SLOTS, type, addr, true);
	if (!b)
		return -GDB_EINVAL;
	b->used = false;
	return 0;
}

static void remove_all(void *ctx)
{
	struct fake_target *f = ctx;
	memset(f->sw, 0, sizeof f->sw);
	memset(f->hw, 0, sizeof f->hw);
	f->remove_all_calls++;
}

static void stop_reason(void *ctx, struct gdb_stop *out)
{
	*out = ((struct fake_target *)ctx)->stop;
}

static bool new_frame(void *ctx)
{
	return ((struct fake_target *)ctx)->new_frame;
}

static size_t threads(void *ctx, uint64_t *ids, size_t max)
{
	struct fake_target *f = ctx;
	size_t n = f->nthreads < max ? f->nthreads : max;
	memcpy(ids, f->threads, n * sizeof *ids);
	return n;
}

static int select_thread(void *ctx, uint64_t tid)
{
	((struct fake_target *)ctx)->selected = tid;
	return 0;
}

/* Monitor commands: "echo TEXT" prints TEXT, "fill N" prints N 'z's,
 * "fail" returns an error; anything else is reported as unknown. */
static int monitor_cmd(void *ctx, const char *cmd, fmt_putc_fn out, void *octx)
{
	struct fake_target *f = ctx;
	const char *msg = "unknown command\n";
	strncpy(f->last_cmd, cmd, sizeof f->last_cmd - 1);
	if (strcmp(cmd, "fail") == 0)
		return -GDB_EINVAL;
	if (strncmp(cmd, "fill ", 5) == 0) {
		for (long n = strtol(cmd + 5, NULL, 10); n > 0; n--)
			out(octx, 'z');
		return 0;
	}
	if (strncmp(cmd, "echo ", 5) == 0)
		msg = cmd + 5;
	while (*msg)
		out(octx, *msg++);
	if (msg[-1] != '\n')
		out(octx, '\n');
	return 0;
}

/* RAM: the fake memory (its hole included: reads there fail), and a
 * second region further up to make gaps on both sides. */
static void memory_regions(void *ctx, gdb_region_fn fn, void *fctx)
{
	(void)ctx;
	fn(fctx, FAKE_MEM_BASE, FAKE_MEM_SIZE);
	fn(fctx, FAKE_MEM_BASE + 0x10000, 0x1000);
}

/* The fake image is "loaded" at FAKE_LOAD and runs at FAKE_MEM_BASE. */
static uint64_t load_to_virt(void *ctx, uint64_t lma)
{
	(void)ctx;
	if (lma >= FAKE_LOAD && lma < FAKE_LOAD + FAKE_MEM_SIZE)
		return lma - FAKE_LOAD + FAKE_MEM_BASE;
	return lma;
}

/* Threads 1 and 3 are one context when f->alias3 says so. */
static bool same_context(void *ctx, uint64_t a, uint64_t b)
{
	struct fake_target *f = ctx;
	return f->alias3 && ((a == 1 && b == 3) || (a == 3 && b == 1));
}

static const char *error_text(void *ctx)
{
	const char *why = ((struct fake_target *)ctx)->why;
	return why ? why : "";
}

/* An FXSAVE image (SDM vol. 1, table 10-2) of the x87 stack and XMM
 * registers fake_target_init describes. */
static void fake_fpu_init(uint8_t *fx)
{
	static const uint8_t st[3][10] = {
	    {0}, /* +0 */
	    {0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00,
	     0x40},				     /* pi */
	    {0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f}, /* 1 */
	};
	memset(fx, 0, GDB_FXSAVE_SIZE);
	fx[0] = 0x7f, fx[1] = 0x03; /* FCW 0x037f */
	fx[2] = 0x00, fx[3] = 0x28; /* FSW: TOP = 5 */
	fx[4] = 0xe0;		    /* abridged tag: R5-R7 in use */
	fx[6] = 0xee, fx[7] = 0x01; /* FOP 0x1ee: fldz */
	/* FIP 0x00007fff00401234, FDP 0x89abcdef01234567: every half differs */
	memcpy(fx + 8, "\x34\x12\x40\x00\xff\x7f\x00\x00", 8);
	memcpy(fx + 16, "\x67\x45\x23\x01\xef\xcd\xab\x89", 8);
	fx[24] = 0x80, fx[25] = 0x1f; /* MXCSR 0x1f80 */
	fx[28] = 0xff, fx[29] = 0xff; /* MXCSR_MASK 0xffff */
	for (int i = 0; i < 3; i++)
		memcpy(fx + 32 + 16 * i, st[i], 10);
	for (int i = 0; i < 256; i++)
		fx[160 + i] = (uint8_t)i;
}

void fake_target_init(struct fake_target *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < GDB_REG_ID_COUNT; i++)
		f->regs[i] = 0x1111111111111111ull * (uint64_t)(i % 15 + 1);
	f->regs[GDB_REG_RIP] = FAKE_MEM_BASE + 0x100;
	f->regs[GDB_REG_RSP] = FAKE_MEM_BASE + 0x3f00;
	f->regs[GDB_REG_RBP] = FAKE_MEM_BASE + 0x3f80;
	f->regs[GDB_REG_EFLAGS] = 0x46; /* ZF PF, bit 1 */
	f->regs[GDB_REG_CS] = 0x08;
	f->regs[GDB_REG_SS] = 0x10;
	f->regs[GDB_REG_DS] = f->regs[GDB_REG_ES] = 0x10;
	f->regs[GDB_REG_FS] = f->regs[GDB_REG_GS] = 0;
	f->regs[GDB_REG_CR0] = 0x80050033;
	f->regs[GDB_REG_CR2] = 0;
	f->regs[GDB_REG_CR3] = 0x1000;
	f->regs[GDB_REG_CR4] = 0x6b0;
	f->regs[GDB_REG_CR8] = 0;
	f->regs[GDB_REG_EFER] = 0xd01;
	fake_fpu_init(f->fx);
	for (size_t i = 0; i < FAKE_MEM_SIZE; i++)
		f->mem[i] = (uint8_t)i;
	memset(f->mem + 0x100, 0x90, 0x100); /* nops where RIP points */
	f->stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
	f->ops = (struct gdb_target){
	    .ctx = f,
	    .read_reg = read_reg,
	    .write_reg = write_reg,
	    .read_mem = read_mem,
	    .write_mem = write_mem,
	    .set_break = set_break,
	    .remove_break = remove_break,
	    .remove_all_breaks = remove_all,
	    .stop_reason = stop_reason,
	    .new_frame = new_frame,
	    .threads = threads,
	    .select_thread = select_thread,
	    .monitor_cmd = monitor_cmd,
	    .memory_regions = memory_regions,
	    .same_context = same_context,
	    .error_text = error_text,
	    .load_to_virt = load_to_virt,
	};
}

/* The nearest execute breakpoint in (rip, ...), or 0. */
static uint64_t next_break(struct fake_target *f, uint64_t rip, bool *hw)
{
	uint64_t best = 0;
	for (int i = 0; i < FAKE_SW_SLOTS + FAKE_HW_SLOTS; i++) {
		struct fake_bp *b =
		    i < FAKE_SW_SLOTS ? &f->sw[i] : &f->hw[i - FAKE_SW_SLOTS];
		if (!b->used || b->addr <= rip ||
		    (b->type != GDB_BP_SW && b->type != GDB_BP_HW))
			continue;
		if (!best || b->addr < best) {
			best = b->addr;
			*hw = b->type == GDB_BP_HW;
		}
	}
	return best;
}

static struct fake_bp *first_watch(struct fake_target *f)
{
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		if (f->hw[i].used && (f->hw[i].type == GDB_WP_WRITE ||
				      f->hw[i].type == GDB_WP_ACCESS))
			return &f->hw[i];
	return NULL;
}

void fake_target_run(struct fake_target *f, bool step)
{
	uint64_t *rip = &f->regs[GDB_REG_RIP];
	bool hw = false;
	uint64_t bp = next_break(f, *rip, &hw);
	struct fake_bp *w = first_watch(f);
	if (step) {
		*rip += 1;
		f->stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
	} else if (bp) {
		*rip = bp;
		f->stop = (struct gdb_stop){
		    GDB_SIGTRAP, hw ? GDB_STOP_HWBREAK : GDB_STOP_SWBREAK, 0,
		    0};
	} else if (w && fake_mapped(w->addr)) {
		f->mem[w->addr - FAKE_MEM_BASE] += 1; /* the "store" */
		*rip += 1;
		f->stop = (struct gdb_stop){
		    GDB_SIGTRAP,
		    w->type == GDB_WP_WRITE ? GDB_STOP_WATCH : GDB_STOP_AWATCH,
		    w->addr, 0};
	} else {
		*rip += 16;
		f->stop = (struct gdb_stop){GDB_SIGINT, GDB_STOP_SIGNAL, 0, 0};
	}
}
