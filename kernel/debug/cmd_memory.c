/* cmd_memory.c — monitor commands on memory: x (dump), w (write), bt. */
#include "kernel/arch/layout.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/mon_proc.h"
#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/proc/proc.h"

#define X_DEFAULT_LEN 128    /* bytes x shows when no length is given */
#define X_MAX_LEN (1u << 20) /* longest single dump (the pager helps) */
#define X_LINE_BYTES 16	     /* bytes per dump line */
#define EXPLAIN_MAX 128	     /* room for debug_explain_addr's message */
#define BT_MAX_FRAMES 1024   /* frames bt walks before offering more */
#define ASCII_FIRST 0x20     /* printable ASCII: space .. '~' */
#define ASCII_LAST 0x7e
#define BITS_PER_BYTE 8

/* Access widths, named as in Intel's manuals: byte, word, dword, qword. */
static const struct {
	char letter;
	unsigned bytes;
} widths[] = {{'b', 1}, {'w', 2}, {'d', 4}, {'q', 8}};

/* Bytes of the width letter c, or 0 when c names none. */
static unsigned width_bytes(char c)
{
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (widths[i].letter == c)
			return widths[i].bytes;
	return 0;
}

static char width_letter(unsigned bytes)
{
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (widths[i].bytes == bytes)
			return widths[i].letter;
	return '?';
}

/* A width word: "q" or "/q". */
static unsigned width_word(const char *s)
{
	if (s[0] == '/')
		s++;
	return s[0] && !s[1] ? width_bytes(s[0]) : 0;
}

/* Print "<cmd>: <why addr cannot be accessed>". */
static void explain(struct mon_ctx *ctx, uint64_t addr)
{
	char why[EXPLAIN_MAX];
	debug_explain_addr(addr, why, sizeof why);
	mon_printf(ctx, "%s: %s\n", ctx->cmd ? ctx->cmd->name : "monitor", why);
}

/* The width of `x/q ...` (suffix of the command word), of `x q ...` or
 * `x /q ...` (first argument), else *width stays the default. Returns the
 * index of the first argument after the width, or -1 after an error. */
static int parse_width(struct mon_ctx *ctx, int argc, char **argv,
		       unsigned *width)
{
	const char *given = strchr(argv[0], '/'), *word = NULL;
	if (argc > 1 && (argv[1][0] == '/' || width_word(argv[1])))
		word = argv[1];
	if (given && word) {
		mon_printf(ctx,
			   "%s: width given twice ('%s' and '%s'); give "
			   "one\n",
			   ctx->cmd->name, given, word);
		return -1;
	}
	if (word)
		given = word;
	if (given && !(*width = width_word(given))) {
		mon_printf(ctx,
			   "%s: unknown width '%s'; use /b /w /d or /q (1, "
			   "2, 4, 8 bytes)\n",
			   ctx->cmd->name, given);
		return -1;
	}
	return word ? 2 : 1;
}

/* Little-endian value of the n bytes at p. */
static uint64_t load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << BITS_PER_BYTE | p[i];
	return v;
}

/* One dump line: address, `got` bytes as units of `width`, ASCII. */
static void dump_line(struct mon_ctx *ctx, uint64_t addr, const uint8_t *buf,
		      size_t got, unsigned width)
{
	size_t units = got / width, line_units = X_LINE_BYTES / width;
	int digits = (int)width * 2;
	mon_printf(ctx, "%016lx:", (unsigned long)addr);
	for (size_t u = 0; u < line_units; u++) {
		if (u < units)
			mon_printf(
			    ctx, " %0*lx", digits,
			    (unsigned long)load_le(buf + u * width, width));
		else
			mon_printf(ctx, " %*s", digits, "");
	}
	mon_printf(ctx, "  |");
	for (size_t i = 0; i < units * width; i++)
		mon_putc(ctx, buf[i] >= ASCII_FIRST && buf[i] <= ASCII_LAST
				  ? (char)buf[i]
				  : '.');
	mon_printf(ctx, "|\n");
}

/* Where a dump reads: the current tables, a process's, or RAM by
 * physical address (xp). */
struct space {
	uint64_t root; /* debug_read_mem_in's root; 0 = the current tables */
	uint64_t pid;  /* x's pid argument, 0 = none */
	bool phys;     /* addresses are physical */
};

static size_t space_read(const struct space *sp, uint64_t addr, void *buf,
			 size_t len)
{
	if (sp->phys)
		return debug_read_phys(addr, buf, len);
	return debug_read_mem_in(sp->root, addr, buf, len);
}

/* Print "<cmd>: <why addr cannot be read in sp>". */
static void explain_in(struct mon_ctx *ctx, const struct space *sp,
		       uint64_t addr)
{
	char why[EXPLAIN_MAX];
	if (sp->phys) {
		mon_printf(ctx,
			   "%s: phys 0x%lx is not RAM (outside the direct "
			   "map); memmap lists RAM\n",
			   ctx->cmd->name, (unsigned long)addr);
		return;
	}
	debug_explain_addr_in(sp->root, addr, why, sizeof why);
	mon_printf(ctx, "%s: %s", ctx->cmd->name, why);
	if (sp->pid)
		mon_printf(ctx, " in pid %lu", (unsigned long)sp->pid);
	mon_putc(ctx, '\n');
}

/* Dump [addr, addr+len) of sp; returns false after printing why it
 * stopped. An empty line later continues where the dump ended. */
static bool dump(struct mon_ctx *ctx, const struct space *sp, uint64_t addr,
		 uint64_t len, unsigned width)
{
	uint64_t done = 0;
	while (done < len) {
		uint8_t buf[X_LINE_BYTES];
		uint64_t want =
		    len - done < X_LINE_BYTES ? len - done : X_LINE_BYTES;
		size_t got = space_read(sp, addr + done, buf, want);
		if (got >= width)
			dump_line(ctx, addr + done, buf, got, width);
		if (mon_aborted(ctx))
			break; /* q at --More--: this line was not shown */
		if (got < want) {
			explain_in(ctx, sp, addr + done + got);
			return false;
		}
		done += want;
	}
	if (sp->pid)
		mon_set_repeat(ctx, "%s /%c 0x%lx %lu %lu", ctx->cmd->name,
			       width_letter(width),
			       (unsigned long)(addr + done), (unsigned long)len,
			       (unsigned long)sp->pid);
	else
		mon_set_repeat(ctx, "%s /%c 0x%lx %lu", ctx->cmd->name,
			       width_letter(width),
			       (unsigned long)(addr + done),
			       (unsigned long)len);
	return true;
}

/* x and xp: [width] <addr> [len], and for x [pid]. */
static int dump_cmd(struct mon_ctx *ctx, int argc, char **argv,
		    struct space *sp)
{
	unsigned width = 1;
	uint64_t addr, len = X_DEFAULT_LEN;
	if (mon_disasm_wanted(argc, argv))
		return mon_disasm_cmd(ctx, argc, argv); /* x/i: instructions */
	int a = parse_width(ctx, argc, argv, &width);
	if (a < 0)
		return MON_ERR;
	if (argc - a < 1 || argc - a > (sp->phys ? 2 : 3))
		return MON_USAGE;
	if (!mon_eval(ctx, argv[a], &addr) ||
	    (argc - a >= 2 && !mon_eval(ctx, argv[a + 1], &len)) ||
	    (argc - a == 3 && (!mon_eval(ctx, argv[a + 2], &sp->pid) ||
			       !mon_proc_root(ctx, sp->pid, &sp->root))))
		return MON_ERR;
	if (!mon_check_range(ctx, "length", len, 1, X_MAX_LEN))
		return MON_ERR;
	len = (len + width - 1) / width * width;
	if (addr + len < addr) /* would wrap past the top of memory */
		len = (0 - addr) / width * width;
	if (len == 0) {
		mon_printf(ctx,
			   "%s: no whole unit fits below the top of "
			   "memory; give a lower address\n",
			   ctx->cmd->name);
		return MON_ERR;
	}
	return dump(ctx, sp, addr, len, width) ? MON_OK : MON_ERR;
}

static int cmd_x(struct mon_ctx *ctx, int argc, char **argv)
{
	struct space sp = {0};
	return dump_cmd(ctx, argc, argv, &sp);
}
MON_COMMAND(x, "[/b|/w|/d|/q|/i] <addr> [len] [pid]",
	    "dump memory in hex and ASCII, or instructions with /i\n"
	    "Shows len bytes (default 128) from addr as bytes, or as 2-, 4-\n"
	    "or 8-byte little-endian units with /w, /d, /q (also written\n"
	    "x q <addr>). addr and len are expressions: x $rsp 64,\n"
	    "x /q kmain. x/i <addr> [n] disassembles n instructions (default\n"
	    "10) in AT&T syntax, as objdump -d prints them (see help dis).\n"
	    "An empty line continues after the last line shown.\n"
	    "Unmapped or non-canonical memory is reported, never touched.\n"
	    "With a pid (see ps), addr is read in that process's address\n"
	    "space, through its page tables: x 0x400000 64 2.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_SUFFIX | MON_PID, cmd_x);

static int cmd_xp(struct mon_ctx *ctx, int argc, char **argv)
{
	struct space sp = {.phys = true};
	return dump_cmd(ctx, argc, argv, &sp);
}
MON_COMMAND(xp, "[/b|/w|/d|/q] <paddr> [len]",
	    "dump physical memory in hex and ASCII\n"
	    "Like x, for a physical address: RAM (and the legacy first MiB)\n"
	    "is read through the direct map; any other address (MMIO, holes)\n"
	    "is refused, never touched. The same bytes as QEMU's 'xp'. vtop\n"
	    "or pt turn a virtual address into a physical one.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_SUFFIX, cmd_xp);

/* Write width bytes of val at addr, showing the old and the new value. */
static int write_value(struct mon_ctx *ctx, uint64_t addr, uint64_t val,
		       unsigned width)
{
	uint8_t old[sizeof val], now[sizeof val], bytes[sizeof val];
	int digits = (int)width * 2;
	for (unsigned i = 0; i < width; i++)
		bytes[i] = (uint8_t)(val >> (i * BITS_PER_BYTE));
	size_t got = debug_read_mem(addr, old, width);
	if (got < width) {
		explain(ctx, addr + got);
		return MON_ERR;
	}
	size_t put = debug_write_mem(addr, bytes, width);
	if (put < width) {
		mon_printf(ctx, "w: wrote %lu of %u bytes\n",
			   (unsigned long)put, width);
		explain(ctx, addr + put);
		return MON_ERR;
	}
	debug_read_mem(addr, now, width);
	mon_printf(ctx, "%016lx: 0x%0*lx -> 0x%0*lx\n", (unsigned long)addr,
		   digits, (unsigned long)load_le(old, width), digits,
		   (unsigned long)load_le(now, width));
	return MON_OK;
}

static int cmd_w(struct mon_ctx *ctx, int argc, char **argv)
{
	unsigned width = 1;
	uint64_t addr, val;
	int a = parse_width(ctx, argc, argv, &width);
	if (a < 0)
		return MON_ERR;
	if (argc - a != 2)
		return MON_USAGE;
	if (!mon_eval(ctx, argv[a], &addr) || !mon_eval(ctx, argv[a + 1], &val))
		return MON_ERR;
	if (!mon_value_fits(val, width)) {
		/* the suffixes wider than this one (8 bytes always fit) */
		const char *wider = width == 1	 ? "/w, /d or /q"
				    : width == 2 ? "/d or /q"
						 : "/q";
		mon_printf(ctx,
			   "w: value 0x%lx does not fit in %u byte%s; give a "
			   "wider %s\n",
			   (unsigned long)val, width, width > 1 ? "s" : "",
			   wider);
		return MON_ERR;
	}
	return write_value(ctx, addr, val, width);
}
MON_COMMAND(
    w, "[/b|/w|/d|/q] <addr> <val>",
    "write a byte, word, dword or qword to memory\n"
    "Writes val (an expression) at addr as 1 byte (default), or 2,\n"
    "4, 8 bytes little-endian with /w, /d, /q (also w q <addr> <val>),\n"
    "and prints the old and the new value. Read-only kernel text can\n"
    "be patched (the write goes through the direct map).",
    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_NOREPEAT | MON_SUFFIX, cmd_w);

/* A chain longer than BT_MAX_FRAMES offers the rest (Enter repeats). */
static int bt_finish(struct mon_ctx *ctx, enum bt_end end, uint64_t next)
{
	if (end == BT_MORE && !mon_aborted(ctx)) {
		mon_printf(ctx,
			   "  (more frames: Enter or 'bt 0x%lx' goes on)\n",
			   (unsigned long)next);
		mon_set_repeat(ctx, "bt 0x%lx", (unsigned long)next);
	}
	return end == BT_BROKEN ? MON_ERR : MON_OK;
}

static int bt_more(struct mon_ctx *ctx, uint64_t rbp, int depth)
{
	uint64_t next = 0;
	enum bt_end end = bt_walk(&ctx->out, rbp, depth, BT_MAX_FRAMES, &next);
	return bt_finish(ctx, end, next);
}

/* Stopped in the kernel on behalf of a process: its user stack too, from
 * the registers of its last entry (system call or interrupt). */
static void bt_user(struct mon_ctx *ctx, const struct trap_frame *f)
{
	const struct proc *p = proc_current();
	if ((f->cs & 3) == 3 || !p || !p->tf)
		return; /* stopped in ring 3: the walk above was the user's */
	mon_printf(ctx,
		   "user stack of pid %d (%s), at its last kernel entry:\n",
		   p->pid, p->name);
	bt_line(&ctx->out, 0, p->tf->rip);
	bt_more(ctx, p->tf->rbp, 1);
}

static int bt_cmd(struct mon_ctx *ctx, int argc, char **argv);

/* bt -v [...]: the same walk with each frame's instruction. */
static int cmd_bt(struct mon_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-v") != 0)
		return bt_cmd(ctx, argc, argv);
	bt_set_verbose(true);
	int rc = bt_cmd(ctx, argc - 1, argv + 1);
	bt_set_verbose(false);
	return rc;
}

static int bt_cmd(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t rbp;
	if (argc == 2 && !mon_eval(ctx, argv[1], &rbp))
		return MON_ERR;
	if (argc == 2 && rbp < MON_PID_LIMIT) {
		const struct proc *p = mon_proc(ctx, rbp);
		return p ? mon_bt_proc(ctx, p) : MON_ERR;
	}
	if (argc == 2)
		return bt_more(ctx, rbp, 0);
	const struct trap_frame *f = debug_frame();
	if (!f) {
		mon_printf(ctx, "bt: no stopped frame; give a frame pointer: "
				"bt <rbp>\n");
		return MON_ERR;
	}
	uint64_t next = 0;
	enum bt_end end = bt_from_frame(&ctx->out, f, BT_MAX_FRAMES, &next);
	int rc = bt_finish(ctx, end, next);
	bt_user(ctx, f);
	return rc;
}
MON_COMMAND(
    bt, "[-v] [rbp|pid]",
    "backtrace through saved frame pointers, with symbols\n"
    "Without an argument, starts at the stopped frame's RIP and RBP.\n"
    "A function stopped before its prologue, at its ret, or without\n"
    "a frame gets its caller from the stack slot instead. With rbp\n"
    "(an expression), lists the return addresses of the frame chain\n"
    "starting there. Frames are read fault-safely; a broken chain is\n"
    "reported where it breaks. Stopped in the kernel while a process\n"
    "runs, the process's user stack follows (user addresses have no\n"
    "symbols here; GDB with add-symbol-file has them). With a pid\n"
    "(below 0x1000, see ps), that process's stacks: the kernel one\n"
    "from where context_switch left it, the user one from its\n"
    "registers at its last kernel entry (ddb's trace PID). -v shows\n"
    "each frame's instruction (AT&T, as objdump -d): #0 the one at RIP,\n"
    "the others the call their return address comes back from.",
    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_bt);
