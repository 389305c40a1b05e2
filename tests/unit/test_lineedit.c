/* test_lineedit.c — line editor tests, checked against a tiny VT100 model. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/debug/lineedit.h"
#include "tests/unit/harness.h"

#define PROMPT "> "

/* A one-line VT100 model: what the user sees on the line being edited. */
struct term {
	char raw[65536]; /* every byte the editor wrote */
	size_t raw_len;
	char line[1024]; /* the current screen line */
	size_t col;
	int esc; /* 0 none, 1 after ESC, 2 in CSI */
	unsigned param;
	int bells;
	int newlines;
};

static struct term T;
static struct lineedit LE;

static void term_putc(void *ctx, char c)
{
	struct term *t = ctx;
	assert_true(t->raw_len < sizeof t->raw);
	t->raw[t->raw_len++] = c;
	if (t->esc == 1) {
		t->esc = c == '[' ? 2 : 0;
		t->param = 0;
		return;
	}
	if (t->esc == 2) {
		if (c >= '0' && c <= '9') {
			t->param = t->param * 10 + (unsigned)(c - '0');
			return;
		}
		unsigned n = t->param ? t->param : 1;
		if (c == 'D')
			t->col = t->col >= n ? t->col - n : 0;
		else if (c == 'C')
			t->col += n;
		else if (c == 'K')
			memset(t->line + t->col, 0, sizeof t->line - t->col);
		else
			fail_msg("unexpected CSI final '%c'", c);
		t->esc = 0;
		return;
	}
	switch (c) {
	case 0x1b:
		t->esc = 1;
		break;
	case '\r':
		t->col = 0;
		break;
	case '\n':
		memset(t->line, 0, sizeof t->line);
		t->newlines++;
		break;
	case '\b':
		if (t->col)
			t->col--;
		break;
	case '\a':
		t->bells++;
		break;
	default:
		assert_true(c >= 0x20 && c < 0x7f);
		assert_true(t->col < sizeof t->line - 1);
		t->line[t->col++] = c;
	}
}

/* The screen must show prompt + line with the cursor at the edit point. */
static void check_screen(void)
{
	char want[LE_MAX_LINE + 16], seen[sizeof T.line];
	snprintf(want, sizeof want, "%s%s", PROMPT, le_line(&LE));
	memcpy(seen, T.line, sizeof seen);
	/* "\b \b" leaves a blank: invisible, so compare without them */
	for (size_t n = strlen(seen); n > 0 && seen[n - 1] == ' '; n--)
		seen[n - 1] = '\0';
	for (size_t n = strlen(want); n > 0 && want[n - 1] == ' '; n--)
		want[n - 1] = '\0';
	assert_string_equal(seen, want);
	assert_int_equal(T.col, strlen(PROMPT) + LE.cur);
}

static int setup(void **state)
{
	(void)state;
	memset(&T, 0, sizeof T);
	le_init(&LE, term_putc, &T, PROMPT);
	le_start(&LE);
	return 0;
}

/* Feed bytes; returns the result of the last one. */
static enum le_result feed(const char *s, size_t n)
{
	enum le_result r = LE_MORE;
	for (size_t i = 0; i < n; i++)
		r = le_feed(&LE, s[i]);
	return r;
}
#define FEED(lit) feed(lit, sizeof(lit) - 1)

/* Type s (no Enter), check the screen, then Enter and return the line. */
static const char *type_line(const char *s)
{
	assert_int_equal(feed(s, strlen(s)), LE_MORE);
	check_screen();
	assert_int_equal(le_feed(&LE, '\r'), LE_DONE);
	return le_line(&LE);
}

static void test_plain_line(void **state)
{
	(void)state;
	assert_string_equal(type_line("help me"), "help me");
	assert_int_equal(T.newlines, 1);
}

static void test_enter_variants(void **state)
{
	(void)state;
	int done = 0;
	const char script[] = "a\r\nb\nc\r\r\nd\n\n";
	for (size_t i = 0; i < sizeof script - 1; i++)
		if (le_feed(&LE, script[i]) == LE_DONE) {
			const char *want[] = {"a", "b", "c", "", "d", ""};
			assert_true(done < 6);
			assert_string_equal(le_line(&LE), want[done]);
			done++;
			le_start(&LE);
		}
	assert_int_equal(done, 6); /* CR LF is one Enter, CR CR two */
}

static void test_backspace(void **state)
{
	(void)state;
	assert_string_equal(type_line("abc\x7f\x08"
				      "d"),
			    "ad");
	setup(NULL);
	assert_string_equal(type_line("\x7f\x7fx"), "x"); /* at column 0 */
	assert_true(T.bells >= 2);
	setup(NULL);
	/* backspace in the middle of the line */
	assert_string_equal(type_line("abcd\x1b[D\x1b[D\x7f"), "acd");
}

static void test_kill_line_and_word(void **state)
{
	(void)state;
	assert_string_equal(type_line("abc def\x15xy"), "xy");
	setup(NULL);
	assert_string_equal(type_line("foo bar  \x17"
				      "baz"),
			    "foo baz");
	setup(NULL);
	assert_string_equal(type_line("foo bar\x17\x17\x17"), "");
	setup(NULL);
	/* Ctrl-W with the cursor inside: kills only before the cursor */
	assert_string_equal(type_line("one two\x1b[D\x1b[D\x17"), "one wo");
}

static void test_cursor_motion(void **state)
{
	(void)state;
	assert_string_equal(type_line("bc\x01"
				      "a\x05"
				      "d"),
			    "abcd");
	setup(NULL);
	assert_string_equal(type_line("ac\x1b[Db"), "abc");
	setup(NULL);
	assert_string_equal(type_line("ac\x1bODb"), "abc");
	setup(NULL);
	assert_string_equal(type_line("abd\x1b[D\x1b[D\x1b[Cc"), "abcd");
	setup(NULL);
	/* right at the end and left at the start go nowhere */
	assert_string_equal(type_line("x\x1b[C\x1b[C\x01\x1b[D\x1b[Dy"), "yx");
	setup(NULL);
	/* home/end/delete keys: ESC [ H, ESC [ 3 ~, ESC [ 4 ~ */
	assert_string_equal(type_line("abc\x1b[H\x1b[3~\x1b[4~z"), "bcz");
	setup(NULL);
	assert_string_equal(type_line("abc\x02\x02\x04\x0b"),
			    "a"); /* ^B ^D ^K */
}

static void test_garbage_escapes(void **state)
{
	(void)state;
	assert_string_equal(
	    type_line("a\x1b[99;99;99;99;99;99Zb\x1b[1;5Cc\x1bxd\x1b[\x01"
		      "e"),
	    "eabcd");
	setup(NULL);
	/* an escape sequence cut short by Enter still ends the line */
	assert_int_equal(FEED("ab\x1b[\r"), LE_DONE);
	assert_string_equal(le_line(&LE), "ab");
	setup(NULL);
	assert_string_equal(type_line("q\x1b\x1b[Dp"), "pq"); /* ESC ESC [ D */
	setup(NULL);
	assert_string_equal(type_line("\x80\xff\x9b"
				      "ok"),
			    "ok"); /* 8-bit */
}

static void test_overflow(void **state)
{
	(void)state;
	char s[400];
	memset(s, 'a', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	const char *line = type_line(s);
	assert_int_equal(strlen(line), LE_MAX_LINE);
	assert_true(T.bells > 0);
	/* inserting in the middle of a full line is refused too */
	setup(NULL);
	feed(s, LE_MAX_LINE);
	FEED("\x01"
	     "b");
	assert_int_equal(LE.len, LE_MAX_LINE);
	assert_int_equal(LE.buf[0], 'a');
	assert_int_equal(LE.buf[LE_MAX_LINE], '\0');
}

static void test_cancel(void **state)
{
	(void)state;
	assert_int_equal(FEED("abc\x03"), LE_CANCEL);
	assert_string_equal(le_line(&LE), "");
	assert_non_null(strstr(T.raw, "^C"));
	assert_int_equal(le_history_count(&LE), 0);
}

static void test_history_browse(void **state)
{
	(void)state;
	const char *lines[] = {"one", "two", "two", "three"};
	for (int i = 0; i < 4; i++) {
		type_line(lines[i]);
		le_start(&LE);
	}
	assert_int_equal(le_history_count(&LE), 3); /* "two" kept once */
	assert_string_equal(le_history_get(&LE, 0), "one");
	assert_string_equal(le_history_get(&LE, 2), "three");
	assert_null(le_history_get(&LE, 3));

	FEED("par");
	FEED("\x1b[A");
	assert_string_equal(le_line(&LE), "three");
	check_screen();
	FEED("\x1b[A\x1b[A");
	assert_string_equal(le_line(&LE), "one");
	int bells = T.bells;
	FEED("\x1b[A"); /* past the oldest: bell, unchanged */
	assert_int_equal(T.bells, bells + 1);
	assert_string_equal(le_line(&LE), "one");
	FEED("\x1b[B\x1b[B\x1b[B"); /* back down to the line being typed */
	assert_string_equal(le_line(&LE), "par");
	check_screen();
	FEED("\x10\x10"); /* Ctrl-P twice */
	assert_string_equal(type_line("!"), "two!");
	assert_int_equal(le_history_count(&LE), 4);
	assert_string_equal(le_history_get(&LE, 3), "two!");
}

static void test_history_ring(void **state)
{
	(void)state;
	char s[16];
	for (int i = 0; i < LE_HISTORY + 8; i++) {
		snprintf(s, sizeof s, "cmd%d", i);
		type_line(s);
		le_start(&LE);
	}
	assert_int_equal(le_history_count(&LE), LE_HISTORY);
	assert_true(LE_HISTORY >= 32);
	assert_string_equal(le_history_get(&LE, 0), "cmd8");
	snprintf(s, sizeof s, "cmd%d", LE_HISTORY + 7);
	assert_string_equal(le_history_get(&LE, LE_HISTORY - 1), s);
	/* walking up through the whole ring reaches the oldest */
	for (int i = 0; i < LE_HISTORY + 3; i++)
		FEED("\x1bOA");
	assert_string_equal(le_line(&LE), "cmd8");
	le_history_add(&LE, "   ");
	assert_int_equal(le_history_count(&LE), LE_HISTORY);
	le_history_clear(&LE);
	assert_int_equal(le_history_count(&LE), 0);
}

static const char *words[] = {"help", "history", "echo", "halt", NULL};

static const char *complete_words(void *ctx, size_t i)
{
	assert_ptr_equal(ctx, words);
	return i < 4 ? words[i] : NULL;
}

static void test_completion(void **state)
{
	(void)state;
	le_set_completion(&LE, complete_words, words);
	assert_string_equal(type_line("ec\t"), "echo ");
	le_start(&LE);
	assert_string_equal(type_line("hi\tx"), "history x");
	le_start(&LE);
	/* several: listed, line redrawn, extended to the common prefix */
	FEED("he");
	T.raw_len = 0;
	memset(T.raw, 0, sizeof T.raw);
	FEED("\t");
	assert_string_equal(le_line(&LE), "help "); /* the only "he..." */
	FEED("\x15h\t");
	assert_non_null(strstr(T.raw, "help  history  halt"));
	check_screen();
	assert_string_equal(le_line(&LE), "h");
	FEED("\x15"
	     "hist\x01\t"); /* cursor at 0: prefix "" → all listed */
	assert_non_null(strstr(T.raw, "echo"));
	FEED("\x05");
	int bells = T.bells;
	FEED(" a\t"); /* second word: no completion */
	assert_int_equal(T.bells, bells + 1);
	assert_string_equal(type_line("x"), "hist ax");
	le_start(&LE);
	bells = T.bells;
	assert_string_equal(type_line("zz\t"), "zz");
	assert_int_equal(T.bells, bells + 1);
}

static void test_no_completion_source(void **state)
{
	(void)state;
	assert_string_equal(type_line("a\tb"), "ab");
	assert_int_equal(T.bells, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_plain_line, setup),
	    cmocka_unit_test_setup(test_enter_variants, setup),
	    cmocka_unit_test_setup(test_backspace, setup),
	    cmocka_unit_test_setup(test_kill_line_and_word, setup),
	    cmocka_unit_test_setup(test_cursor_motion, setup),
	    cmocka_unit_test_setup(test_garbage_escapes, setup),
	    cmocka_unit_test_setup(test_overflow, setup),
	    cmocka_unit_test_setup(test_cancel, setup),
	    cmocka_unit_test_setup(test_history_browse, setup),
	    cmocka_unit_test_setup(test_history_ring, setup),
	    cmocka_unit_test_setup(test_completion, setup),
	    cmocka_unit_test_setup(test_no_completion_source, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
