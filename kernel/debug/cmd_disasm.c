/* cmd_disasm.c — monitor commands dis and x/i: instructions at an address in
 * AT&T syntax as objdump -d prints it; and disasm_at for other debugger code.
 */
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_core.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define DIS_DEFAULT_COUNT 10 /* instructions listed without [n] */
#define DIS_MAX_COUNT 10000  /* longest single listing (the pager helps) */
#define DIS_LINE_BYTES 8     /* instruction bytes on a listing line */
#define EXPLAIN_MAX 128	     /* room for debug_explain_addr's message */

bool disasm_ksym(uint64_t addr, char *buf, size_t n)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	if (!name)
		return false;
	if (off)
		ksnprintf(buf, n, "%s+0x%lx", name, (unsigned long)off);
	else
		ksnprintf(buf, n, "%s", name);
	return true;
}

/* Read up to DISASM_MAX_LEN bytes at addr into code (*got of them) and
 * decode them; returns the length (0 when nothing could be read). */
static size_t read_decode(uint64_t addr, uint8_t code[DISASM_MAX_LEN],
			  size_t *got, char *out, size_t outsz,
			  struct disasm_info *info)
{
	*got = debug_read_mem(addr, code, DISASM_MAX_LEN);
	return disasm_decode(code, *got, addr, out, outsz, disasm_ksym, info);
}

size_t disasm_at(uint64_t addr, char *out, size_t outsz,
		 struct disasm_info *info)
{
	uint8_t code[DISASM_MAX_LEN];
	size_t got, n = read_decode(addr, code, &got, out, outsz, info);
	if (!got)
		debug_explain_addr(addr, out, outsz);
	return n;
}

/* Print "<cmd>: <why addr cannot be read>". */
static void explain(struct mon_ctx *ctx, uint64_t addr)
{
	char why[EXPLAIN_MAX];
	debug_explain_addr(addr, why, sizeof why);
	mon_printf(ctx, "%s: %s\n", ctx->cmd ? ctx->cmd->name : "dis", why);
}

/* Bytes code[from..to) as "55 48 89 e5 ", padded to DIS_LINE_BYTES when
 * the instruction's text follows. */
static void print_bytes(struct mon_ctx *ctx, const uint8_t *code, size_t from,
			size_t to, bool pad)
{
	for (size_t i = from; i < from + DIS_LINE_BYTES; i++) {
		if (i < to)
			mon_printf(ctx, "%02x ", code[i]);
		else if (pad)
			mon_printf(ctx, "   ");
	}
}

/* "0xffffffff80011160 <pit_irq+0x0>:  55                      push   %rbp";
 * bytes past DIS_LINE_BYTES continue on lines of their own below. */
static void print_line(struct mon_ctx *ctx, uint64_t addr, const uint8_t *code,
		       size_t len, const char *text)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	int col = mon_printf(ctx, "0x%016lx", (unsigned long)addr);
	if (name)
		col += mon_printf(ctx, " <%s+0x%lx>", name, (unsigned long)off);
	col += mon_printf(ctx, ":  ");
	print_bytes(ctx, code, 0, len, true);
	mon_printf(ctx, "%s\n", text);
	for (size_t i = DIS_LINE_BYTES; i < len; i += DIS_LINE_BYTES) {
		mon_printf(ctx, "%*s", col, "");
		print_bytes(ctx, code, i, len, false);
		mon_putc(ctx, '\n');
	}
}

/* List count instructions from addr; stops at memory it cannot read. An
 * empty line later continues after the last one shown. */
static int disasm_list(struct mon_ctx *ctx, uint64_t addr, uint64_t count)
{
	int rc = MON_OK;
	for (uint64_t i = 0; i < count; i++) {
		uint8_t code[DISASM_MAX_LEN];
		char text[DISASM_TEXT_MAX];
		struct disasm_info info;
		size_t got;
		size_t n =
		    read_decode(addr, code, &got, text, sizeof text, &info);
		bool cut = (info.flags & DISASM_TRUNCATED) && got < sizeof code;
		if (got && !cut)
			print_line(ctx, addr, code, n, text);
		if (mon_aborted(ctx))
			break; /* q at --More--: this line was not shown */
		if (!got || cut) {
			if (cut)
				print_line(ctx, addr, code, got,
					   "(the instruction continues into "
					   "unreadable memory)");
			explain(ctx, addr + got);
			rc = MON_ERR;
			break;
		}
		addr += n;
	}
	mon_set_repeat(ctx, "x/i 0x%lx %lu", (unsigned long)addr,
		       (unsigned long)count);
	return rc;
}

static bool is_i_word(const char *s)
{
	return strcmp(s, "/i") == 0 || strcmp(s, "i") == 0;
}

bool mon_disasm_wanted(int argc, char **argv)
{
	const char *slash = strchr(argv[0], '/');
	return (slash && strcmp(slash, "/i") == 0) ||
	       (argc > 1 && is_i_word(argv[1]));
}

/* dis <addr> [n], x/i <addr> [n], x /i <addr> [n], x i <addr> [n]. */
int mon_disasm_cmd(struct mon_ctx *ctx, int argc, char **argv)
{
	int a = !strchr(argv[0], '/') && argc > 1 && is_i_word(argv[1]) ? 2 : 1;
	uint64_t addr, count = DIS_DEFAULT_COUNT;
	if (argc - a < 1 || argc - a > 2) {
		mon_printf(ctx, "usage: %s <addr> [n]\n",
			   a == 2 ? "x /i" : argv[0]);
		return MON_ERR;
	}
	if (!mon_eval(ctx, argv[a], &addr) ||
	    (argc - a == 2 && !mon_eval_range(ctx, argv[a + 1], "count", 1,
					      DIS_MAX_COUNT, &count)))
		return MON_ERR;
	return disasm_list(ctx, addr, count);
}

MON_COMMAND(dis, "<addr> [n]",
	    "disassemble: n instructions (default 10) in AT&T syntax\n"
	    "Lists instructions from addr as GNU objdump -d prints them (AT&T\n"
	    "syntax: source before destination, %reg, $imm, size suffixes\n"
	    "like movl where no register gives the size); each line shows the\n"
	    "address <symbol+off>, the bytes and the instruction, branch\n"
	    "targets as absolute addresses with their symbol. The same as\n"
	    "x/i <addr> [n]. addr and n are expressions: dis $rip,\n"
	    "dis kmain 20. Memory is read fault-safely: an unmapped address\n"
	    "is reported. An empty line continues after the last one shown.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, mon_disasm_cmd);
