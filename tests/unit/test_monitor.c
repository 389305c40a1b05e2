/* test_monitor.c — dispatcher, pager, repeat and built-in command tests. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "tests/unit/harness.h"

/* Symbols for kernel/ksyms.c: sorted, ending at _kernel_end, all below the
 * host address of _kernel_end[] in case the lookup bounds by that. */
const struct ksym ksyms_table[] = {
    {0x1000, "_start"},
    {0x1100, "kmain"},
    {0x1200, "panic"},
    {0x2000, "_kernel_end"}, /* the generator ends the table with it */
};
const unsigned long ksyms_count = sizeof ksyms_table / sizeof ksyms_table[0];
char _kernel_start[1], _kernel_end[1];

/* ---- a fake terminal: scripted input, captured output ---- */

static struct {
	const char *in;
	size_t in_len, in_pos;
	char out[1 << 16];
	size_t out_len;
} io_state;

static int fake_getc(void *ctx)
{
	assert_ptr_equal(ctx, &io_state);
	if (io_state.in_pos >= io_state.in_len)
		return -1;
	return (unsigned char)io_state.in[io_state.in_pos++];
}

static void fake_putc(void *ctx, char c)
{
	assert_ptr_equal(ctx, &io_state);
	assert_true(io_state.out_len < sizeof io_state.out - 1);
	io_state.out[io_state.out_len++] = c;
	io_state.out[io_state.out_len] = '\0';
}

static const struct char_io IO = {
    .getc = fake_getc, .putc = fake_putc, .ctx = &io_state};

static void set_input(const char *s)
{
	io_state.in = s;
	io_state.in_len = strlen(s);
	io_state.in_pos = 0;
	io_state.out_len = 0;
	io_state.out[0] = '\0';
}

/* Times s occurs in the output. */
static int count_out(const char *s)
{
	int n = 0;
	for (const char *p = io_state.out; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

#define ASSERT_OUT(s)                                                          \
	do {                                                                   \
		if (!strstr(io_state.out, s))                                  \
			fail_msg("output lacks '%s':\n%s", s, io_state.out);   \
	} while (0)

/* Run one line with monitor_exec_line (pager off, no CRLF). */
static int exec(const char *line)
{
	struct mon_ctx ctx;
	set_input("");
	mon_ctx_init(&ctx, &IO, NULL);
	return monitor_exec_line(&ctx, line);
}

/* ---- commands only this test binary has ---- */

static int cmd_c(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	return MON_CONTINUE;
}
MON_COMMAND(c, "", "continue", 0, cmd_c);

static int cmd_cr(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	mon_printf(ctx, "cr ran\n");
	return MON_OK;
}
MON_COMMAND(cr, "", "control registers", MON_SAFE_AFTER_DF, cmd_cr);
MON_COMMAND(cpuid, "", "cpu identification", 0, cmd_cr);

/* count <n> [start]: print start..start+n-1; Enter continues. */
static int cmd_count(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t n, start = 0;
	if (!mon_eval(ctx, argv[1], &n) ||
	    (argc > 2 && !mon_eval(ctx, argv[2], &start)))
		return MON_ERR;
	for (uint64_t i = start; i < start + n; i++)
		mon_printf(ctx, "n=%lu\n", (unsigned long)i);
	mon_set_repeat(ctx, "count %lu %lu", (unsigned long)n,
		       (unsigned long)(start + n));
	return MON_OK;
}
MON_COMMAND(count, "<n> [start]", "count from start", 0, cmd_count);

static int lines_printed;

/* lines <n>: print n lines, stopping when the pager aborts. */
static int cmd_lines(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	int n = atoi(argv[1]);
	for (lines_printed = 0; lines_printed < n && !mon_aborted(ctx);
	     lines_printed++)
		mon_printf(ctx, "line %d\n", lines_printed);
	return MON_OK;
}
MON_COMMAND(lines, "<n>", "print n lines", MON_SAFE_AFTER_DF | MON_PID,
	    cmd_lines);

static int cmd_two(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	mon_printf(ctx, "two: argc=%d", argc);
	return argc == 4 ? MON_USAGE : MON_OK; /* 3 args: "semantic" error */
}
MON_COMMAND(two, "<a> <b> [c [d]]", "two to four args", MON_SAFE_AFTER_DF,
	    cmd_two);

static int cmd_quiet(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	return MON_OK;
}
MON_COMMAND(quiet, "", "prints nothing", MON_NOREPEAT, cmd_quiet);

static int setup(void **state)
{
	(void)state;
	monitor_reset();
	return 0;
}

static void test_exact_and_prefix(void **state)
{
	(void)state;
	assert_int_equal(exec("c"), MON_CONTINUE); /* exact beats c* */
	assert_int_equal(exec("cr"), MON_OK);
	ASSERT_OUT("cr ran");
	assert_int_equal(exec("cpu"), MON_OK); /* unique prefix of cpuid */
	ASSERT_OUT("cr ran");
	assert_int_equal(exec("ec hello"), MON_OK);
	assert_string_equal(io_state.out, "hello\n");
	assert_int_equal(exec("  echo   a  b  "), MON_OK);
	assert_string_equal(io_state.out, "a b\n");
	assert_int_equal(exec(""), MON_OK);
	assert_int_equal(exec("   "), MON_OK);
	assert_int_equal(io_state.out_len, 0);
}

static void test_ambiguous_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(exec("h"), MON_ERR);
	assert_string_equal(io_state.out, "ambiguous command 'h': help, history"
					  " - type more of the name\n");
	assert_int_equal(exec("co 1"), MON_OK); /* count, not continue */
	assert_int_equal(exec("foo bar"), MON_ERR);
	assert_string_equal(io_state.out,
			    "unknown command 'foo' - type 'help'\n");
	assert_null(mon_find_cmd("h"));
	assert_null(mon_find_cmd("zzz"));
	assert_string_equal(mon_find_cmd("hi")->name, "history");
	assert_string_equal(mon_find_cmd("c")->name, "c");
}

static void test_argument_counts(void **state)
{
	(void)state;
	assert_int_equal(exec("two x"), MON_USAGE);
	assert_string_equal(io_state.out, "usage: two <a> <b> [c [d]]\n");
	assert_int_equal(exec("two x y"), MON_OK);
	assert_int_equal(exec("two x y z w"), MON_OK);
	assert_int_equal(exec("two x y z w v"), MON_USAGE);
	ASSERT_OUT("usage: two");
	/* the command itself asks for the usage line */
	assert_int_equal(exec("two x y z"), MON_USAGE);
	assert_string_equal(io_state.out,
			    "two: argc=4usage: two <a> <b> [c [d]]\n");
	assert_int_equal(exec("history now"), MON_USAGE);
	assert_string_equal(io_state.out, "usage: history\n");
	assert_int_equal(exec("sym"), MON_USAGE);
	assert_string_equal(io_state.out, "usage: sym <name|addr>\n");
	assert_int_equal(exec("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"),
			 MON_OK);
	assert_int_equal(exec("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
			 MON_ERR);
	ASSERT_OUT("too many arguments (at most 15)");
}

static void test_quotes(void **state)
{
	(void)state;
	assert_int_equal(exec("echo \"a  b\" 'c \"d' e\\f \"g\\\"h\" \"\""),
			 MON_OK);
	assert_string_equal(io_state.out, "a  b c \"d e\\f g\"h \n");
	assert_int_equal(exec("echo x\"y z"), MON_ERR);
	assert_string_equal(io_state.out, "unterminated \" quote at column 7; "
					  "close it with \"\n");
}

/* qargs a 'b' "c d" e"f": which arguments a command sees as quoted. */
static int cmd_qargs(struct mon_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		mon_printf(ctx, "%s%c", argv[i],
			   mon_arg_quoted(ctx, i) ? 'Q' : '-');
	return MON_OK;
}
MON_COMMAND(qargs, "[args...]", "which arguments were quoted", 0, cmd_qargs);

static void test_quoted_args(void **state)
{
	(void)state;
	assert_int_equal(exec("qargs a 'b' \"c d\" e\"f\" \"\" 0x10"), MON_OK);
	assert_string_equal(io_state.out, "a-bQc dQefQQ0x10-");
	assert_int_equal(exec("qargs x y"), MON_OK); /* reset per line */
	assert_string_equal(io_state.out, "x-y-");
	assert_false(mon_arg_quoted(&(struct mon_ctx){.quoted = ~0u}, -1));
}

static void test_value_fits(void **state)
{
	(void)state;
	assert_true(mon_value_fits(0xff, 1));
	assert_true(mon_value_fits(UINT64_MAX, 1));		/* -1 */
	assert_true(mon_value_fits(0xffffffffffffff80ull, 1));	/* -128 */
	assert_false(mon_value_fits(0xffffffffffffff7full, 1)); /* -129 */
	assert_false(mon_value_fits(0x100, 1));
	assert_true(mon_value_fits(0xffff, 2));
	assert_false(mon_value_fits(0x1ffff, 2));
	assert_true(mon_value_fits(0xffffffff, 4));
	assert_false(mon_value_fits(0x100000000ull, 4));
	assert_true(mon_value_fits(0x8000000000000000ull, 8));
}

static void test_long_line(void **state)
{
	(void)state;
	char line[MON_LINE_MAX + 10];
	memset(line, 'a', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	assert_int_equal(exec(line), MON_ERR);
	ASSERT_OUT("line too long");
	memcpy(line, "echo ", 5);
	line[MON_LINE_MAX] = '\0';
	assert_int_equal(exec(line), MON_OK);
	assert_int_equal(io_state.out_len, MON_LINE_MAX - 5 + 1);
}

static void test_run_prompt_and_continue(void **state)
{
	(void)state;
	set_input("echo hi\rc\recho never\r");
	assert_int_equal(monitor_run(&IO, NULL), MON_CONTINUE);
	assert_int_equal(strncmp(io_state.out, "triage> ", 8), 0);
	ASSERT_OUT("triage> echo hi\r\nhi\r\ntriage> c\r\n");
	assert_int_equal(count_out("never"), 0);
	/* the rest of the input is still there for the next stop */
	assert_int_equal(monitor_run(&IO, NULL), MON_EOF);
	assert_int_equal(count_out("never"), 2); /* echoed and printed */
}

static void test_repeat_and_continuation(void **state)
{
	(void)state;
	set_input("echo hi\r\r\n\r\n");
	assert_int_equal(monitor_run(&IO, NULL), MON_EOF);
	assert_int_equal(count_out("hi\r\n"), 4); /* echo of line + 3 runs */
	set_input("count 3\r\r\r");
	monitor_run(&IO, NULL);
	for (int i = 0; i < 9; i++) {
		char want[16];
		snprintf(want, sizeof want, "n=%d\r\n", i);
		assert_int_equal(count_out(want), 1);
	}
	assert_int_equal(count_out("n=9"), 0);
	/* a NOREPEAT command, an unknown command and Ctrl-C keep/clear it */
	set_input("echo A\rquiet\r\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("A\r\n"), 2); /* typed + output, once */
	set_input("echo B\rnosuch\r\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("B\r\n"), 3); /* still repeats echo B */
	set_input("echo C\rxyz\x03\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("\nC\r\n"), 2); /* not "^C\r\n" */
}

static void test_missing_newline_added(void **state)
{
	(void)state;
	set_input("two a b\r");
	monitor_run(&IO, NULL);
	ASSERT_OUT("two: argc=3\r\ntriage> ");
}

static void test_pager(void **state)
{
	(void)state;
	/* space = next page, q = stop: the command sees the abort */
	set_input("pager 10\rlines 100\r q");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 2);
	assert_int_equal(count_out("line "), 20);
	ASSERT_OUT("line 19\r\n");
	assert_true(lines_printed < 25);
	assert_int_equal(monitor_pager_lines(), 10);
	/* Enter = one more line; CR LF counts as one Enter */
	set_input("lines 13\r\n\r\n\r\n ");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 3);
	assert_int_equal(count_out("line 12\r\n"), 1);
	assert_int_equal(lines_printed, 13);
	/* the CR LF's LF must not run an empty (repeat) line */
	assert_int_equal(count_out("line 0\r\n"), 1);
	set_input("lines 11\r\r\n"); /* the LF after the pager's CR too */
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("line 0\r\n"), 1);
	assert_int_equal(count_out("line 10\r\n"), 1);
	/* Ctrl-C and end of input abort too */
	set_input("lines 50\r\x03");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("line 10"), 0);
	set_input("lines 50\r");
	monitor_run(&IO, NULL);
	assert_true(lines_printed <= 11);
	/* exactly one page: no --More-- for nothing */
	set_input("lines 10\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 0);
	/* pager 0 turns it off */
	set_input("pager 0\rlines 100\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 0);
	assert_int_equal(lines_printed, 100);
	set_input("pager\r");
	monitor_run(&IO, NULL);
	ASSERT_OUT("pager: 0 lines per page (0 = off)");
	set_input("pager 100000\rpager nosuch\r");
	monitor_run(&IO, NULL);
	ASSERT_OUT("pager: 100000 lines is too many");
	ASSERT_OUT("pager: unknown symbol 'nosuch'");
}

/* A key typed ahead of --More-- (the next command) is not a page answer:
 * the output stops and the key starts the next line. */
static void test_pager_keeps_typed_ahead_key(void **state)
{
	(void)state;
	set_input("pager 10\rlines 100\recho typed-ahead\r");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 1);
	assert_int_equal(count_out("line "), 10);
	/* the editor's echo of the line, then echo's output */
	assert_int_equal(count_out("typed-ahead\r\n"), 2);
}

static void test_default_pager_is_24(void **state)
{
	(void)state;
	set_input("lines 30\r ");
	monitor_run(&IO, NULL);
	assert_int_equal(count_out("--More--"), 1);
	ASSERT_OUT("line 23\r\n--More--\r\x1b[Kline 24");
}

static void test_exec_to_never_pages(void **state)
{
	(void)state;
	set_input("pager 5\r");
	monitor_run(&IO, NULL);
	set_input("");
	assert_int_equal(
	    monitor_exec_to("lines 40", fake_putc, &io_state, NULL), MON_OK);
	assert_int_equal(lines_printed, 40);
	assert_int_equal(count_out("--More--"), 0);
	assert_int_equal(count_out("\r"), 0); /* plain \n for GDB */
	/* pager from a one-shot run changes the interactive setting only */
	assert_int_equal(monitor_exec_to("pager 7", fake_putc, &io_state, NULL),
			 MON_OK);
	assert_int_equal(monitor_pager_lines(), 7);
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(exec("help"), MON_OK);
	/* sorted, with the one-line summary, * for double-fault safety and p
	 * for taking a pid */
	const char *names[] = {"c",	"count", "cpuid",   "cr",    "echo",
			       "eval",	"help",	 "history", "lines", "pager",
			       "quiet", "sym",	 "two"};
	const char *prev = io_state.out;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, " %s ", names[i]);
		const char *at = strstr(io_state.out, want);
		if (!at || at < prev)
			fail_msg("'%s' missing or out of order in:\n%s",
				 names[i], io_state.out);
		prev = at;
	}
	ASSERT_OUT("\n *  cr       control registers\n");
	ASSERT_OUT("\n    cpuid    cpu identification\n");
	ASSERT_OUT("\n *p lines    print n lines\n");
	ASSERT_OUT("list the commands, or explain one\n");
	assert_int_equal(count_out("Without an argument"), 0);

	assert_int_equal(exec("help hel"), MON_OK);
	ASSERT_OUT("usage: help [command]\nlist the commands");
	ASSERT_OUT("Without an argument");
	ASSERT_OUT("(safe after a double fault)");
	assert_int_equal(count_out("process id"), 0);
	assert_int_equal(exec("help lines"), MON_OK);
	ASSERT_OUT("(takes a process id: see ps)");
	assert_int_equal(exec("help zz"), MON_ERR);
	ASSERT_OUT("help: no single command matches 'zz'");
}

static void test_sym_and_eval(void **state)
{
	(void)state;
	assert_int_equal(exec("sym kmain+4"), MON_OK);
	assert_string_equal(io_state.out, "0x0000000000001104 <kmain+0x4>\n");
	assert_int_equal(exec("sym 0x1200"), MON_OK);
	assert_string_equal(io_state.out, "0x0000000000001200 <panic>\n");
	assert_int_equal(exec("sym 0x10"), MON_ERR);
	ASSERT_OUT("sym: 0x0000000000000010 is not inside the kernel image");
	assert_int_equal(exec("sym nosuch"), MON_ERR);
	assert_string_equal(io_state.out, "sym: unknown symbol 'nosuch'\n");
	assert_int_equal(exec("eval 1 + 2 * 3"), MON_OK);
	assert_string_equal(io_state.out, "0x7 = 7\n");
	assert_int_equal(exec("eval -1"), MON_OK);
	assert_string_equal(io_state.out,
			    "0xffffffffffffffff = 18446744073709551615 = -1\n");
	assert_int_equal(exec("eval kmain+0x10"), MON_OK);
	assert_string_equal(io_state.out, "0x1110 = 4368 <kmain+0x10>\n");
	assert_int_equal(exec("eval (1"), MON_ERR);
	assert_string_equal(io_state.out, "eval: expected ')' at column 3\n");
}

static bool fake_reg(void *frame, const char *name, uint64_t *val)
{
	if (strcmp(name, "rip") != 0)
		return false;
	*val = *(uint64_t *)frame;
	return true;
}

static void test_registers_from_env(void **state)
{
	(void)state;
	uint64_t rip = 0x1108;
	struct mon_env env = {.reg = fake_reg, .frame = &rip};
	set_input("sym $rip\reval $rbx\r");
	monitor_run(&IO, &env);
	ASSERT_OUT("0x0000000000001108 <kmain+0x8>");
	ASSERT_OUT("eval: unknown register '$rbx'");
}

static void test_history_command(void **state)
{
	(void)state;
	set_input("history\recho one\rec\ttwo\r\x1b[A\x1b[A\x1b[A\rhistory\r");
	monitor_run(&IO, NULL);
	/* a line is in the history as soon as Enter is pressed */
	ASSERT_OUT("triage> history\r\n   1  history\r\ntriage> ");
	ASSERT_OUT("   1  history\r\n   2  echo one\r\n   3  echo two\r\n"
		   "   4  history\r\n");
}

static void test_double_fault_restriction(void **state)
{
	(void)state;
	struct mon_env env = {.require = MON_SAFE_AFTER_DF};
	set_input("count 3\rcr\r");
	monitor_run(&IO, &env);
	ASSERT_OUT("count: not safe after a double fault; 'help' marks");
	assert_int_equal(count_out("n=0"), 0);
	ASSERT_OUT("cr ran");
}

static int nop(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	return 0;
}

static void test_check_table(void **state)
{
	(void)state;
	mon_check_table(__start_mon_cmds, __stop_mon_cmds); /* the real one */
	assert_true(__stop_mon_cmds - __start_mon_cmds >= 13);
	struct mon_cmd dup[] = {{"a", "", "h", nop, 0},
				{"b", "", "h", nop, 0},
				{"a", "", "h", nop, 0}};
	EXPECT_PANIC(mon_check_table(dup, dup + 3), "'a' is registered twice");
	struct mon_cmd nohelp[] = {{"a", "", NULL, nop, 0}};
	EXPECT_PANIC(mon_check_table(nohelp, nohelp + 1), "lacks a name");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
	    T(test_exact_and_prefix),
	    T(test_ambiguous_and_unknown),
	    T(test_argument_counts),
	    T(test_quotes),
	    T(test_quoted_args),
	    T(test_value_fits),
	    T(test_long_line),
	    T(test_run_prompt_and_continue),
	    T(test_repeat_and_continuation),
	    T(test_missing_newline_added),
	    T(test_pager),
	    T(test_pager_keeps_typed_ahead_key),
	    T(test_default_pager_is_24),
	    T(test_exec_to_never_pages),
	    T(test_help),
	    T(test_sym_and_eval),
	    T(test_registers_from_env),
	    T(test_history_command),
	    T(test_double_fault_restriction),
	    T(test_check_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
