/* cmd_tables.c — monitor commands decoding the live idt, gdt and tss. */
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"

/* The operand of SIDT/SGDT (SDM vol. 3A, 2.4.1, fig. 2-6). */
struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct dtr read_idtr(void)
{
	struct dtr d;
	__asm__ volatile("sidt %0" : "=m"(d));
	return d;
}

static struct dtr read_gdtr(void)
{
	struct dtr d;
	__asm__ volatile("sgdt %0" : "=m"(d));
	return d;
}

#define SEL_INDEX_MASK 0xfff8u /* selector bits 15:3 (SDM vol. 3A, 3.4.2) */

/* Read len bytes of a table at addr; on failure print why, naming what. */
static bool read_table(struct mon_ctx *ctx, uint64_t addr, void *buf,
		       size_t len, const char *what)
{
	if (debug_read_mem(addr, buf, len) == len)
		return true;
	char why[128];
	debug_explain_addr(addr, why, sizeof why);
	mon_printf(ctx, "%s: cannot read %s: %s\n", ctx->cmd->name, what, why);
	return false;
}

static void print_sym(struct mon_ctx *ctx, uint64_t v)
{
	uint64_t off;
	const char *name = ksym_lookup(v, &off);
	if (name)
		mon_printf(ctx, " <%s+0x%lx>", name, (unsigned long)off);
}

/* ---- idt ---- */

/* 64-bit gate descriptor fields (SDM vol. 3A, 6.14.1, fig. 6-8). */
#define GATE_SIZE 16
#define GATE_TYPE_MASK 0x0f /* type_attr bits 3:0 */
#define GATE_DPL_SHIFT 5    /* type_attr bits 6:5 */
#define GATE_IST_MASK 0x07  /* ist bits 2:0 */
#define IST_SLOTS 7

/* Gate v of the table idtr describes; false (and a message) when it is
 * beyond the limit or cannot be read. */
static bool read_gate(struct mon_ctx *ctx, struct dtr idtr, unsigned v,
		      struct idt_gate *g)
{
	if ((uint64_t)v * GATE_SIZE + GATE_SIZE - 1 > idtr.limit) {
		mon_printf(ctx,
			   "%s: vector %u is beyond the IDT limit 0x%x (%u "
			   "gates); any interrupt there raises #GP\n",
			   ctx->cmd->name, v, idtr.limit,
			   (idtr.limit + 1) / GATE_SIZE);
		return false;
	}
	return read_table(ctx, idtr.base + (uint64_t)v * GATE_SIZE, g,
			  sizeof *g, "the IDT gate");
}

static const char *gate_type(unsigned type)
{
	if (type == IDT_TYPE_INTERRUPT)
		return "interrupt";
	if (type == IDT_TYPE_TRAP)
		return "trap";
	return "invalid";
}

/* "#PF", "IRQ3", "PANIC"...: a short name for the vector column. */
static void vector_tag(unsigned v, char *buf, size_t n)
{
	if (v >= VEC_IRQ0 && v < VEC_IRQ0 + 16)
		ksnprintf(buf, n, "IRQ%u", v - VEC_IRQ0);
	else if (v < 32 || v == VEC_PANIC)
		ksnprintf(buf, n, "%s", trap_mnemonic(v));
	else
		ksnprintf(buf, n, "%s", v == VEC_DEBUG_ENTER ? "DEBUG" : "");
}

static bool in_text(uint64_t a)
{
	return a >= (uint64_t)_text_start && a < (uint64_t)_text_end;
}

/* One line per gate; returns the problems found (0 or 1). */
static unsigned idt_line(struct mon_ctx *ctx, unsigned v,
			 const struct idt_gate *g)
{
	char tag[8];
	unsigned type = g->type_attr & GATE_TYPE_MASK;
	bool present = g->type_attr & IDT_PRESENT;
	bool valid = type == IDT_TYPE_INTERRUPT || type == IDT_TYPE_TRAP;
	uint64_t handler = idt_gate_offset(g);
	vector_tag(v, tag, sizeof tag);
	mon_printf(ctx, "%3u %-5s %-9s %u   %u   %c 0x%04x 0x%016lx", v, tag,
		   gate_type(type), (g->type_attr >> GATE_DPL_SHIFT) & 3,
		   g->ist & GATE_IST_MASK, present ? 'P' : '-', g->selector,
		   (unsigned long)handler);
	print_sym(ctx, handler);
	if (!present)
		mon_printf(ctx, "  !not present");
	if (!in_text(handler))
		mon_printf(ctx, "  !outside kernel text");
	if (!valid)
		mon_printf(ctx, "  !type 0x%x", type);
	mon_printf(ctx, "\n");
	return !present || !in_text(handler) || !valid;
}

/* Parse "[vec [count]]" into *first, *count; false after an error. */
static bool idt_range(struct mon_ctx *ctx, int argc, char **argv,
		      unsigned *first, unsigned *count)
{
	uint64_t v = 0, n = NUM_VECTORS;
	if (argc > 1) {
		if (!mon_eval(ctx, argv[1], &v))
			return false;
		n = 1;
	}
	if (argc > 2 && !mon_eval(ctx, argv[2], &n))
		return false;
	if (!mon_check_range(ctx, "vector", v, 0, NUM_VECTORS - 1) ||
	    !mon_check_range(ctx, "count", n, 1, NUM_VECTORS))
		return false;
	*first = (unsigned)v;
	*count = (unsigned)(v + n > NUM_VECTORS ? NUM_VECTORS - v : n);
	return true;
}

static int cmd_idt(struct mon_ctx *ctx, int argc, char **argv)
{
	unsigned first, count, bad = 0, v;
	if (!idt_range(ctx, argc, argv, &first, &count))
		return MON_ERR;
	struct dtr idtr = read_idtr();
	mon_printf(ctx,
		   "IDT base 0x%016lx limit 0x%x (%u gates); kernel text "
		   "0x%lx-0x%lx\n",
		   (unsigned long)idtr.base, idtr.limit,
		   (idtr.limit + 1) / GATE_SIZE, (unsigned long)_text_start,
		   (unsigned long)_text_end);
	mon_printf(ctx, "vec name  type      dpl ist p sel    handler\n");
	for (v = first; v < first + count && !mon_aborted(ctx); v++) {
		struct idt_gate g;
		if (!read_gate(ctx, idtr, v, &g))
			return MON_ERR;
		bad += idt_line(ctx, v, &g);
		if (mon_aborted(ctx))
			break; /* q at --More--: this gate was not shown */
	}
	if (bad)
		mon_printf(ctx, "%u suspicious gate%s (marked !)\n", bad,
			   bad > 1 ? "s" : "");
	if (v < NUM_VECTORS)
		mon_set_repeat(ctx, "idt %u %u", v, count);
	return MON_OK;
}
MON_COMMAND(idt, "[vec [count]]",
	    "decode the live IDT: gate type, DPL, IST, handler and symbol\n"
	    "Without arguments all 256 gates; 'idt 14' one; 'idt 32 16' the\n"
	    "PIC's. Read through SIDT and the fault-safe accessor. Gates not\n"
	    "present, of an invalid type, or whose handler lies outside the\n"
	    "kernel text are marked with '!'. Enter continues.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_idt);

/* ---- gdt ---- */

/* Segment descriptor fields (SDM vol. 3A, 3.4.5, fig. 3-8). */
#define DESC_SIZE 8
#define DESC_TYPE_SHIFT 40 /* bits 43:40 */
#define DESC_TYPE_MASK 0xfull
#define DESC_DPL_SHIFT 45 /* bits 46:45 */
#define DESC_AVL (1ull << 52)
#define DESC_DB (1ull << 54) /* default operand size 32 */
#define DESC_G (1ull << 55)  /* limit in 4 KiB units */
#define TYPE_CODE 0x8	     /* code/data type bit 3: code */
#define TYPE_CONFORMING 0x4  /* code: conforming */
#define TYPE_EXPAND_DOWN 0x4 /* data: expand-down */
#define TYPE_RW 0x2	     /* code: readable, data: writable */
#define TYPE_ACCESSED 0x1
/* System types in IA-32e mode (SDM vol. 3A, 3.5, table 3-2). */
#define SYS_LDT 0x2
#define SYS_TSS_AVAIL 0x9
#define SYS_TSS_BUSY 0xb
#define SYS_CALL_GATE 0xc
#define SYS_INT_GATE 0xe
#define SYS_TRAP_GATE 0xf

static unsigned desc_type(uint64_t d)
{
	return (unsigned)((d >> DESC_TYPE_SHIFT) & DESC_TYPE_MASK);
}

static uint64_t desc_base(uint64_t d)
{
	return ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
}

static uint64_t desc_limit(uint64_t d)
{
	return (d & 0xffff) | ((d >> 48) & 0xf) << 16;
}

/* LDT and TSS descriptors (and call gates) take two slots in long mode. */
static bool desc_is_wide(uint64_t d)
{
	unsigned t = desc_type(d);
	return !(d & DESC_S) && (t == SYS_LDT || t == SYS_TSS_AVAIL ||
				 t == SYS_TSS_BUSY || t == SYS_CALL_GATE);
}

static const char *system_type(unsigned t)
{
	switch (t) {
	case SYS_LDT:
		return "LDT";
	case SYS_TSS_AVAIL:
		return "64-bit TSS, available";
	case SYS_TSS_BUSY:
		return "64-bit TSS, busy";
	case SYS_CALL_GATE:
		return "64-bit call gate";
	case SYS_INT_GATE:
	case SYS_TRAP_GATE:
		return "gate (belongs in the IDT)";
	default:
		return "reserved type";
	}
}

/* "[CS SS DS ES TR]": which live registers hold this selector. */
static void loaded_marks(struct mon_ctx *ctx, unsigned sel)
{
	const struct {
		const char *name;
		uint16_t sel;
	} regs[] = {{"CS", read_cs()},
		    {"SS", read_ss()},
		    {"DS", read_ds()},
		    {"ES", read_es()},
		    {"TR", read_tr()}};
	for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++)
		if ((regs[i].sel & SEL_INDEX_MASK) == sel && sel)
			mon_printf(ctx, " [%s]", regs[i].name);
}

static void gdt_code_data(struct mon_ctx *ctx, unsigned sel, uint64_t d)
{
	unsigned t = desc_type(d);
	bool code = t & TYPE_CODE;
	const char *kind = !code ? "data" : (d & DESC_L) ? "code64" : "code32";
	mon_printf(ctx,
		   "0x%02x  %-6s type=0x%x dpl=%lu p=%d l=%d db=%d g=%d "
		   "avl=%d  %s%s%s",
		   sel, kind, t, (d >> DESC_DPL_SHIFT) & 3, !!(d & DESC_P),
		   !!(d & DESC_L), !!(d & DESC_DB), !!(d & DESC_G),
		   !!(d & DESC_AVL), code ? "execute" : "read",
		   (t & TYPE_RW) ? (code ? "/read" : "/write") : "",
		   (t & TYPE_CONFORMING)
		       ? (code ? ", conforming" : ", expand-down")
		       : "");
	loaded_marks(ctx, sel);
	mon_printf(ctx, "\n      base=0x%08lx limit=0x%05lx%s\n",
		   (unsigned long)desc_base(d), (unsigned long)desc_limit(d),
		   code && (d & DESC_L) ? " (ignored in 64-bit mode)" : "");
}

static void gdt_system(struct mon_ctx *ctx, unsigned sel, uint64_t d,
		       uint64_t hi)
{
	unsigned t = desc_type(d);
	const char *kind = (t == SYS_TSS_AVAIL || t == SYS_TSS_BUSY) ? "tss"
			   : t == SYS_LDT			     ? "ldt"
								     : "system";
	mon_printf(ctx, "0x%02x  %-6s type=0x%x dpl=%lu p=%d g=%d  %s", sel,
		   kind, t, (d >> DESC_DPL_SHIFT) & 3, !!(d & DESC_P),
		   !!(d & DESC_G), system_type(t));
	loaded_marks(ctx, sel);
	uint64_t base = desc_base(d);
	if (desc_is_wide(d))
		base |= (hi & 0xffffffff) << 32;
	mon_printf(ctx, "\n      base=0x%016lx limit=0x%05lx%s\n",
		   (unsigned long)base, (unsigned long)desc_limit(d),
		   desc_is_wide(d) ? " (16-byte descriptor)" : "");
}

/* Decode the descriptor at slot i; returns the slots it took (1 or 2). */
static unsigned gdt_entry(struct mon_ctx *ctx, struct dtr gdtr, unsigned i)
{
	uint64_t d[2] = {0, 0};
	unsigned sel = i * DESC_SIZE;
	if (!read_table(ctx, gdtr.base + sel, &d[0], DESC_SIZE, "a descriptor"))
		return 0;
	if (d[0] == 0) {
		mon_printf(ctx, "0x%02x  null\n", sel);
		return 1;
	}
	if (d[0] & DESC_S) {
		gdt_code_data(ctx, sel, d[0]);
		return 1;
	}
	bool wide = desc_is_wide(d[0]) && sel + 2 * DESC_SIZE - 1 <= gdtr.limit;
	if (wide && !read_table(ctx, gdtr.base + sel + DESC_SIZE, &d[1],
				DESC_SIZE, "a descriptor's upper half"))
		return 0;
	gdt_system(ctx, sel, d[0], d[1]);
	return wide ? 2 : 1;
}

static int cmd_gdt(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct dtr gdtr = read_gdtr();
	unsigned slots = (gdtr.limit + 1u) / DESC_SIZE;
	mon_printf(ctx, "GDT base 0x%016lx limit 0x%x (%u slots)\n",
		   (unsigned long)gdtr.base, gdtr.limit, slots);
	for (unsigned i = 0; i < slots && !mon_aborted(ctx);) {
		unsigned used = gdt_entry(ctx, gdtr, i);
		if (!used)
			return MON_ERR;
		i += used;
	}
	return MON_OK;
}
MON_COMMAND(gdt, "",
	    "decode every descriptor of the live GDT\n"
	    "Code/data: type, DPL, present, L (64-bit), D/B, G, base, limit.\n"
	    "System: the 16-byte TSS (or LDT) descriptor with its 64-bit base\n"
	    "and whether it is busy. [CS] [SS] [DS] [ES] [TR] mark the\n"
	    "selectors loaded now. Read through SGDT and the fault-safe "
	    "accessor.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_gdt);

/* ---- tss ---- */

#define TSS_MIN_LIMIT (sizeof(struct tss) - 1) /* 0x67 (SDM vol. 3A, 8.7) */

/* Find the TSS TR points at: its base and limit from the GDT. */
static bool tss_locate(struct mon_ctx *ctx, uint64_t *base, uint64_t *limit)
{
	unsigned sel = read_tr() & SEL_INDEX_MASK;
	struct dtr gdtr = read_gdtr();
	uint64_t d[2];
	if (!sel || sel + sizeof d - 1 > gdtr.limit) {
		mon_printf(ctx,
			   "tss: TR 0x%x does not select a 16-byte GDT entry "
			   "(GDT limit 0x%x); no TSS is loaded\n",
			   read_tr(), gdtr.limit);
		return false;
	}
	if (!read_table(ctx, gdtr.base + sel, d, sizeof d, "TR's descriptor"))
		return false;
	unsigned t = desc_type(d[0]);
	*base = desc_base(d[0]) | (d[1] & 0xffffffff) << 32;
	*limit = desc_limit(d[0]);
	mon_printf(ctx, "TR 0x%x: TSS at 0x%016lx limit 0x%lx (%s)\n", sel,
		   (unsigned long)*base, (unsigned long)*limit,
		   (d[0] & DESC_S) ? "not a system descriptor!"
				   : system_type(t));
	return true;
}

/* Say which known stack a stack pointer (one past the top) belongs to;
 * zero prints as none ("unset", "unused"). */
static void stack_of(struct mon_ctx *ctx, uint64_t sp, const char *none)
{
	int in_guard = 0;
	char name[DEBUG_STACK_NAME_MAX];
	if (!sp) {
		mon_printf(ctx, "  (%s)", none);
		return;
	}
	const struct known_stack *s = stack_find(sp - 1, &in_guard);
	if (!s) {
		mon_printf(ctx, "  (not a known stack)");
		return;
	}
	debug_stack_name(s, name, sizeof name);
	if (in_guard)
		mon_printf(ctx, "  !in the guard page below the %s stack",
			   name);
	else if (sp == s->top)
		mon_printf(ctx, "  top of the %s stack", name);
	else
		mon_printf(ctx, "  inside the %s stack, 0x%lx below its top",
			   name, (unsigned long)(s->top - sp));
}

/* " used by 8 (#DF)": the vectors whose gate selects IST n. */
static void ist_users(struct mon_ctx *ctx, unsigned n)
{
	struct dtr idtr = read_idtr();
	unsigned gates = (idtr.limit + 1u) / GATE_SIZE, found = 0;
	for (unsigned v = 0; v < gates && v < NUM_VECTORS; v++) {
		struct idt_gate g;
		if (debug_read_mem(idtr.base + (uint64_t)v * GATE_SIZE, &g,
				   sizeof g) != sizeof g)
			break;
		if ((g.ist & GATE_IST_MASK) != n)
			continue;
		mon_printf(ctx, "%s %u", found++ ? "," : ", used by vector", v);
		if (v < 32)
			mon_printf(ctx, " (%s)", trap_mnemonic(v));
	}
}

static void tss_iomap(struct mon_ctx *ctx, const struct tss *t, uint64_t limit)
{
	mon_printf(ctx, "I/O map base 0x%x", t->iomap_base);
	if (t->iomap_base > limit)
		mon_printf(ctx, ": beyond the limit, so no I/O permission "
				"bitmap (ring-3 port I/O needs IOPL 3)\n");
	else
		mon_printf(ctx, ": bitmap at TSS+0x%x, %lu bytes\n",
			   t->iomap_base,
			   (unsigned long)(limit + 1 - t->iomap_base));
}

static int cmd_tss(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t base, limit;
	struct tss t;
	if (!tss_locate(ctx, &base, &limit))
		return MON_ERR;
	if (limit < TSS_MIN_LIMIT)
		mon_printf(ctx,
			   "tss: limit 0x%lx is below 0x%lx: the CPU "
			   "raises #TS on a task switch\n",
			   (unsigned long)limit, (unsigned long)TSS_MIN_LIMIT);
	if (!read_table(ctx, base, &t, sizeof t, "the TSS"))
		return MON_ERR;
	for (unsigned i = 0; i < 3; i++) {
		mon_printf(ctx, "RSP%u 0x%016lx", i, (unsigned long)t.rsp[i]);
		stack_of(ctx, t.rsp[i], "unset");
		mon_printf(ctx, "\n");
	}
	for (unsigned i = 0; i < IST_SLOTS && !mon_aborted(ctx); i++) {
		mon_printf(ctx, "IST%u 0x%016lx", i + 1,
			   (unsigned long)t.ist[i]);
		stack_of(ctx, t.ist[i], "unused");
		ist_users(ctx, i + 1);
		mon_printf(ctx, "\n");
	}
	tss_iomap(ctx, &t, limit);
	return MON_OK;
}
MON_COMMAND(tss, "",
	    "show the task-state segment: RSP0-2, IST1-7, I/O map base\n"
	    "Found through TR and the GDT. Each stack pointer is matched to\n"
	    "the kernel's known stacks (top, inside, or in a guard page),\n"
	    "and each IST to the IDT vectors that use it.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_tss);
