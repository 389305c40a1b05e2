/* monitor_cmds.c — generic commands: help, echo, pager, history, sym, eval. */
#include "kernel/debug/monitor.h"

#include "kernel/ksyms.h"
#include "kernel/lib/string.h"

#define PAGER_MAX_LINES 10000 /* more than any terminal is tall */

/* Print s up to (not including) the first newline. */
static void print_first_line(struct mon_ctx *ctx, const char *s)
{
	for (; *s && *s != '\n'; s++)
		mon_putc(ctx, *s);
}

static void help_list(struct mon_ctx *ctx)
{
	size_t width = 0;
	const struct mon_cmd *c;
	for (c = mon_cmd_next_sorted(NULL); c; c = mon_cmd_next_sorted(c))
		if (strlen(c->name) > width)
			width = strlen(c->name);
	mon_printf(ctx, "commands (* = safe after a double fault, p = takes a "
			"process id; 'help <command>' for more):\n");
	for (c = mon_cmd_next_sorted(NULL); c && !mon_aborted(ctx);
	     c = mon_cmd_next_sorted(c)) {
		mon_printf(ctx, " %c%c %s",
			   (c->flags & MON_SAFE_AFTER_DF) ? '*' : ' ',
			   (c->flags & MON_PID) ? 'p' : ' ', c->name);
		for (size_t i = strlen(c->name); i < width + 2; i++)
			mon_putc(ctx, ' ');
		print_first_line(ctx, c->help);
		mon_putc(ctx, '\n');
	}
}

static int cmd_help(struct mon_ctx *ctx, int argc, char **argv)
{
	if (argc == 1) {
		help_list(ctx);
		return MON_OK;
	}
	const struct mon_cmd *c = mon_find_cmd(argv[1]);
	if (!c) {
		mon_printf(ctx,
			   "help: no single command matches '%s'; type "
			   "'help' for the list\n",
			   argv[1]);
		return MON_ERR;
	}
	mon_print_usage(ctx, c);
	mon_printf(ctx, "%s\n", c->help);
	if (c->flags & MON_SAFE_AFTER_DF)
		mon_printf(ctx, "(safe after a double fault)\n");
	if (c->flags & MON_PID)
		mon_printf(ctx, "(takes a process id: see ps)\n");
	return MON_OK;
}
MON_COMMAND(help, "[command]",
	    "list the commands, or explain one\n"
	    "Without an argument, list every command with a one-line summary.\n"
	    "With one, print its usage and this longer text. A command may be\n"
	    "abbreviated to any unique prefix; an empty line repeats the last\n"
	    "command (a dump continues where it stopped).",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_help);

static int cmd_echo(struct mon_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		mon_printf(ctx, "%s%s", i > 1 ? " " : "", argv[i]);
	mon_putc(ctx, '\n');
	return MON_OK;
}
MON_COMMAND(echo, "[text...]",
	    "print the arguments\n"
	    "Prints its arguments separated by single spaces. Quotes keep\n"
	    "spaces: echo \"a  b\".",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_echo);

static int cmd_pager(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t n;
	if (argc == 1) {
		mon_printf(ctx, "pager: %u lines per page (0 = off)\n",
			   monitor_pager_lines());
		return MON_OK;
	}
	if (!mon_eval(ctx, argv[1], &n))
		return MON_ERR;
	if (n > PAGER_MAX_LINES) {
		mon_printf(ctx,
			   "pager: %lu lines is too many; give 0 (off) to "
			   "%d\n",
			   (unsigned long)n, PAGER_MAX_LINES);
		return MON_ERR;
	}
	monitor_set_pager_lines(ctx, (unsigned)n);
	return MON_OK;
}
MON_COMMAND(pager, "[lines]",
	    "show or set the lines per page of output (0 = no paging)\n"
	    "At --More--: space shows the next page, Enter one more line,\n"
	    "q stops the command's output.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_NOREPEAT, cmd_pager);

static int cmd_history(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	const struct lineedit *le = monitor_lineedit();
	size_t n = le ? le_history_count(le) : 0;
	if (n == 0)
		mon_printf(ctx, "history: no lines typed yet\n");
	for (size_t i = 0; i < n && !mon_aborted(ctx); i++)
		mon_printf(ctx, "%4lu  %s\n", (unsigned long)i + 1,
			   le_history_get(le, i));
	return MON_OK;
}
MON_COMMAND(history, "",
	    "list the lines typed at the prompt, oldest first\n"
	    "Up/down arrows (or Ctrl-P/Ctrl-N) recall them at the prompt.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_history);

/* Print " <symbol+0xoff>" when v lies inside the kernel image. */
static void print_symbol_of(struct mon_ctx *ctx, uint64_t v)
{
	uint64_t off;
	const char *name = ksym_lookup(v, &off);
	if (!name)
		return;
	if (off)
		mon_printf(ctx, " <%s+0x%lx>", name, (unsigned long)off);
	else
		mon_printf(ctx, " <%s>", name);
}

static int cmd_sym(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	uint64_t v;
	if (!mon_eval(ctx, argv[1], &v))
		return MON_ERR;
	uint64_t off;
	const char *name = ksym_lookup(v, &off);
	if (!name) {
		mon_printf(ctx,
			   "sym: 0x%016lx is not inside the kernel image "
			   "(no symbol covers it)\n",
			   (unsigned long)v);
		return MON_ERR;
	}
	mon_printf(ctx, "0x%016lx", (unsigned long)v);
	print_symbol_of(ctx, v);
	mon_putc(ctx, '\n');
	return MON_OK;
}
MON_COMMAND(
    sym, "<name|addr>",
    "look up a kernel symbol by name or address\n"
    "Prints the address and the symbol containing it as name+offset.\n"
    "The argument is an expression: sym kmain, sym 0xffffffff80101234,\n"
    "sym $rip-4.",
    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_sym);

void mon_join_args(char *buf, int argc, char **argv)
{
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (n + len + 1 > MON_LINE_MAX)
			len = MON_LINE_MAX - n - 1; /* cannot happen: argv came
						       from one line */
		if (i > 1)
			buf[n++] = ' ';
		memcpy(buf + n, argv[i], len);
		n += len;
	}
	buf[n] = '\0';
}

static int cmd_eval(struct mon_ctx *ctx, int argc, char **argv)
{
	char expr[MON_LINE_MAX + 1];
	uint64_t v;
	mon_join_args(expr, argc, argv);
	if (!mon_eval(ctx, expr, &v))
		return MON_ERR;
	mon_printf(ctx, "0x%lx = %lu", (unsigned long)v, (unsigned long)v);
	if ((int64_t)v < 0)
		mon_printf(ctx, " = -%lu", (unsigned long)(0 - v));
	print_symbol_of(ctx, v);
	mon_putc(ctx, '\n');
	return MON_OK;
}
MON_COMMAND(
    eval, "<expr...>",
    "evaluate an expression in hex, decimal and as a symbol\n"
    "Numbers: 1234, 0x4d2, 0b1101 ('_' ignored). Names: kernel symbols\n"
    "and $registers of the stopped frame ($rip, $rsp, $cr2...).\n"
    "Operators as in C, unsigned 64-bit: * / % + - << >> < <= > >= ==\n"
    "!= & ^ | && || ( ), unary - ~ !. Memory: *addr or [addr] reads a\n"
    "qword, *(u8*)addr .. *(u64*)addr 1-8 bytes (s8..s64 sign-extend),\n"
    "fault-safely; (u32)x truncates. && and || skip their right side\n"
    "when the left decides: $rdi && *$rdi == 5.",
    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_eval);
