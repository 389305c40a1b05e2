/* lineedit.c — the monitor's line editor, a VT100 state machine fed bytes. */
#include "kernel/debug/lineedit.h"

#include "kernel/lib/string.h"

/* ASCII control characters the editor understands. */
#define CTRL(c) ((c)&0x1f)
#define KEY_CTRL_A CTRL('A') /* cursor to start of line */
#define KEY_CTRL_B CTRL('B') /* cursor left */
#define KEY_CTRL_D CTRL('D') /* delete the character under the cursor */
#define KEY_CTRL_E CTRL('E') /* cursor to end of line */
#define KEY_CTRL_F CTRL('F') /* cursor right */
#define KEY_CTRL_K CTRL('K') /* kill to end of line */
#define KEY_CTRL_L CTRL('L') /* redraw */
#define KEY_CTRL_N CTRL('N') /* history: next */
#define KEY_CTRL_P CTRL('P') /* history: previous */
#define KEY_CTRL_U CTRL('U') /* kill the whole line */
#define KEY_CTRL_W CTRL('W') /* kill the word before the cursor */
#define KEY_BS 0x08	     /* backspace (Ctrl-H) */
#define KEY_TAB 0x09	     /* completion */
#define KEY_LF 0x0a
#define KEY_CR 0x0d
#define KEY_ESC 0x1b /* starts an escape sequence */
#define KEY_DEL 0x7f /* what most terminals send for Backspace */
#define BELL '\a'

/* An escape sequence's final byte (ECMA-48: 0x40-0x7e) and parameter bytes. */
#define CSI_FINAL_MIN 0x40
#define CSI_FINAL_MAX 0x7e
#define CSI_PARAM_MIN 0x20 /* intermediate (0x20-0x2f) and parameter bytes */
#define CSI_PARAM_MAX 0x3f

static void out(struct lineedit *le, char c)
{
	le->putc(le->putc_ctx, c);
}

static void out_str(struct lineedit *le, const char *s)
{
	while (*s)
		out(le, *s++);
}

static void out_n(struct lineedit *le, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out(le, s[i]);
}

/* Emit ESC [ n final: VT100 cursor motion by n columns (n > 0). */
static void out_csi_n(struct lineedit *le, size_t n, char final)
{
	char digits[20];
	size_t k = 0;
	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n && k < sizeof digits);
	out(le, KEY_ESC);
	out(le, '[');
	while (k)
		out(le, digits[--k]);
	out(le, final);
}

void le_init(struct lineedit *le, le_putc_fn putc, void *putc_ctx,
	     const char *prompt)
{
	memset(le, 0, sizeof *le);
	le->putc = putc;
	le->putc_ctx = putc_ctx;
	le->prompt = prompt;
}

void le_set_completion(struct lineedit *le, le_complete_fn fn, void *ctx)
{
	le->complete = fn;
	le->complete_ctx = ctx;
}

static void set_line(struct lineedit *le, const char *s)
{
	size_t n = strnlen(s, LE_MAX_LINE);
	memcpy(le->buf, s, n);
	le->buf[n] = '\0';
	le->len = le->cur = n;
}

void le_start(struct lineedit *le)
{
	set_line(le, "");
	le->esc = LE_ESC_NONE;
	le->hist_pos = 0;
	out_str(le, le->prompt);
}

const char *le_line(const struct lineedit *le)
{
	return le->buf;
}

/* Contract: after it the terminal shows prompt + line, erased to the right
 * of it, with the cursor at le->cur. */
void le_redraw(struct lineedit *le)
{
	out(le, '\r');
	out_str(le, le->prompt);
	out_n(le, le->buf, le->len);
	out_str(le, "\x1b[K"); /* EL: erase to end of line */
	if (le->len > le->cur)
		out_csi_n(le, le->len - le->cur, 'D'); /* CUB: cursor back */
}

/* ---- editing primitives ---- */

static void insert_char(struct lineedit *le, char c)
{
	if (le->len >= LE_MAX_LINE) {
		out(le, BELL); /* full: refuse rather than overflow */
		return;
	}
	memmove(le->buf + le->cur + 1, le->buf + le->cur, le->len - le->cur);
	le->buf[le->cur++] = c;
	le->buf[++le->len] = '\0';
	if (le->cur == le->len)
		out(le, c); /* appending: plain echo is enough */
	else
		le_redraw(le);
}

/* Remove n characters starting at position at (at + n <= len). */
static void delete_range(struct lineedit *le, size_t at, size_t n)
{
	if (n == 0)
		return;
	memmove(le->buf + at, le->buf + at + n, le->len - at - n);
	le->len -= n;
	le->buf[le->len] = '\0';
	if (le->cur > at)
		le->cur = le->cur >= at + n ? le->cur - n : at;
}

static void backspace(struct lineedit *le)
{
	if (le->cur == 0) {
		out(le, BELL);
		return;
	}
	bool at_end = le->cur == le->len;
	delete_range(le, le->cur - 1, 1);
	if (at_end)
		out_str(le, "\b \b");
	else
		le_redraw(le);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void kill_word(struct lineedit *le)
{
	size_t start = le->cur;
	while (start > 0 && is_space(le->buf[start - 1]))
		start--;
	while (start > 0 && !is_space(le->buf[start - 1]))
		start--;
	delete_range(le, start, le->cur - start);
	le_redraw(le);
}

static void move_to(struct lineedit *le, size_t pos)
{
	if (pos > le->len || pos == le->cur)
		return;
	if (pos < le->cur)
		out_csi_n(le, le->cur - pos, 'D'); /* CUB: cursor back */
	else
		out_csi_n(le, pos - le->cur, 'C'); /* CUF: cursor forward */
	le->cur = pos;
}

/* ---- history ---- */

void le_history_add(struct lineedit *le, const char *line)
{
	const char *p = line;
	while (is_space(*p))
		p++;
	if (*p == '\0')
		return; /* blank lines are not worth recalling */
	if (le->hist_count > 0 &&
	    strcmp(le_history_get(le, le->hist_count - 1), line) == 0)
		return;
	char *slot = le->hist[le->hist_head];
	size_t n = strnlen(line, LE_MAX_LINE);
	memcpy(slot, line, n);
	slot[n] = '\0';
	le->hist_head = (le->hist_head + 1) % LE_HISTORY;
	if (le->hist_count < LE_HISTORY)
		le->hist_count++;
}

size_t le_history_count(const struct lineedit *le)
{
	return le->hist_count;
}

const char *le_history_get(const struct lineedit *le, size_t i)
{
	if (i >= le->hist_count)
		return NULL;
	size_t back = le->hist_count - i; /* 1 = newest */
	return le->hist[(le->hist_head + LE_HISTORY - back) % LE_HISTORY];
}

void le_history_clear(struct lineedit *le)
{
	le->hist_head = le->hist_count = le->hist_pos = 0;
}

/* Step through the history: dir = +1 older, -1 newer. The line being typed
 * is kept aside and comes back when stepping past the newest entry. */
static void history_step(struct lineedit *le, int dir)
{
	size_t pos = le->hist_pos;
	if (dir > 0 && pos >= le->hist_count)
		goto refuse;
	if (dir < 0 && pos == 0)
		goto refuse;
	if (pos == 0)
		memcpy(le->saved, le->buf, le->len + 1);
	pos = dir > 0 ? pos + 1 : pos - 1;
	le->hist_pos = pos;
	set_line(le, pos == 0 ? le->saved
			      : le_history_get(le, le->hist_count - pos));
	le_redraw(le);
	return;
refuse:
	out(le, BELL);
}

/* ---- completion ---- */

/* Insert s at the cursor without echo; false if it did not all fit. */
static bool insert_quiet(struct lineedit *le, const char *s, size_t n)
{
	bool fits = n <= LE_MAX_LINE - le->len;
	if (!fits)
		n = LE_MAX_LINE - le->len;
	memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur);
	memcpy(le->buf + le->cur, s, n);
	le->cur += n;
	le->len += n;
	le->buf[le->len] = '\0';
	return fits;
}

static bool has_prefix(const char *word, const char *prefix, size_t n)
{
	return strnlen(word, n) == n && memcmp(word, prefix, n) == 0;
}

/* Print the candidates starting with prefix, wrapped at 80 columns. */
static void list_candidates(struct lineedit *le, const char *prefix, size_t n)
{
	size_t col = 0;
	const char *w;
	out_str(le, "\r\n");
	for (size_t i = 0; (w = le->complete(le->complete_ctx, i)); i++) {
		if (!has_prefix(w, prefix, n))
			continue;
		size_t wl = strlen(w);
		if (col > 0 && col + 2 + wl > 79) {
			out_str(le, "\r\n");
			col = 0;
		}
		if (col > 0) {
			out_str(le, "  ");
			col += 2;
		}
		out_str(le, w);
		col += wl;
	}
	out_str(le, "\r\n");
}

/* Tab: complete the first word. One candidate: finish it and add a space.
 * Several: extend to their common prefix and list them. */
static void complete(struct lineedit *le)
{
	size_t start = 0;
	while (start < le->cur && is_space(le->buf[start]))
		start++;
	for (size_t i = start; i < le->cur; i++)
		if (is_space(le->buf[i]))
			start = le->cur + 1; /* not in the first word */
	if (!le->complete || start > le->cur)
		goto refuse;
	const char *prefix = le->buf + start, *first = NULL, *w;
	size_t n = le->cur - start, count = 0, common = 0;
	for (size_t i = 0; (w = le->complete(le->complete_ctx, i)); i++) {
		if (!has_prefix(w, prefix, n))
			continue;
		if (count++ == 0) {
			first = w;
			common = strlen(w);
		}
		for (size_t k = n; k < common; k++)
			if (w[k] != first[k])
				common = k;
	}
	if (count == 0)
		goto refuse;
	char tail[LE_MAX_LINE + 1]; /* copy: prefix points into buf */
	size_t tl = common - n < LE_MAX_LINE ? common - n : LE_MAX_LINE;
	memcpy(tail, first + n, tl);
	bool fits = insert_quiet(le, tail, tl);
	if (count == 1 && fits && le->buf[le->cur] != ' ')
		insert_quiet(le, " ", 1);
	if (count > 1)
		list_candidates(le, le->buf + start, le->cur - start);
	le_redraw(le);
	return;
refuse:
	out(le, BELL);
}

/* ---- keys and escape sequences ---- */

/* A cursor or editing key decoded from an escape sequence. */
static void key_final(struct lineedit *le, char final, const char *param)
{
	switch (final) {
	case 'A': /* up */
		history_step(le, +1);
		break;
	case 'B': /* down */
		history_step(le, -1);
		break;
	case 'C': /* right */
		move_to(le, le->cur + 1);
		break;
	case 'D': /* left */
		if (le->cur > 0)
			move_to(le, le->cur - 1);
		break;
	case 'H': /* home */
		move_to(le, 0);
		break;
	case 'F': /* end */
		move_to(le, le->len);
		break;
	case '~': /* ESC [ n ~: 1/7 home, 4/8 end, 3 delete */
		if (!strcmp(param, "1") || !strcmp(param, "7"))
			move_to(le, 0);
		else if (!strcmp(param, "4") || !strcmp(param, "8"))
			move_to(le, le->len);
		else if (!strcmp(param, "3") && le->cur < le->len) {
			delete_range(le, le->cur, 1);
			le_redraw(le);
		}
		break;
	default: /* unknown sequence: ignored */
		break;
	}
}

/* Consume one byte of an escape sequence; garbage ends it silently. */
static void feed_escape(struct lineedit *le, unsigned char c)
{
	switch (le->esc) {
	case LE_ESC_START:
		le->esc_len = 0;
		le->esc_overlong = false;
		le->esc = c == '['   ? LE_ESC_CSI
			  : c == 'O' ? LE_ESC_SS3
				     : LE_ESC_NONE;
		return;
	case LE_ESC_SS3:
		le->esc = LE_ESC_NONE;
		key_final(le, (char)c, "");
		return;
	case LE_ESC_CSI:
		if (c >= CSI_PARAM_MIN && c <= CSI_PARAM_MAX) {
			if (le->esc_len + 1 < sizeof le->esc_param)
				le->esc_param[le->esc_len++] = (char)c;
			else
				le->esc_overlong = true;
			return;
		}
		le->esc = LE_ESC_NONE;
		le->esc_param[le->esc_len] = '\0';
		if (c >= CSI_FINAL_MIN && c <= CSI_FINAL_MAX &&
		    !le->esc_overlong)
			key_final(le, (char)c, le->esc_param);
		return;
	case LE_ESC_NONE:
		return;
	}
}

/* A control key (< 0x20 or DEL) other than Enter. */
static enum le_result feed_control(struct lineedit *le, char c)
{
	switch (c) {
	case KEY_CTRL_A:
		move_to(le, 0);
		break;
	case KEY_CTRL_E:
		move_to(le, le->len);
		break;
	case KEY_CTRL_B:
		if (le->cur > 0)
			move_to(le, le->cur - 1);
		break;
	case KEY_CTRL_F:
		move_to(le, le->cur + 1);
		break;
	case KEY_BS:
	case KEY_DEL:
		backspace(le);
		break;
	case KEY_CTRL_D:
		if (le->cur < le->len) {
			delete_range(le, le->cur, 1);
			le_redraw(le);
		}
		break;
	case KEY_CTRL_K:
		delete_range(le, le->cur, le->len - le->cur);
		le_redraw(le);
		break;
	case KEY_CTRL_U:
		set_line(le, "");
		le_redraw(le);
		break;
	case KEY_CTRL_W:
		kill_word(le);
		break;
	case KEY_CTRL_L:
		le_redraw(le);
		break;
	case KEY_CTRL_P:
		history_step(le, +1);
		break;
	case KEY_CTRL_N:
		history_step(le, -1);
		break;
	case KEY_TAB:
		complete(le);
		break;
	case KEY_ESC:
		le->esc = LE_ESC_START;
		break;
	case KEY_CTRL_C:
		out_str(le, "^C\r\n");
		set_line(le, "");
		le->hist_pos = 0;
		return LE_CANCEL;
	default:
		break; /* other control bytes are ignored */
	}
	return LE_MORE;
}

/* Contract: CR, LF and CR LF each end exactly one line; control bytes are
 * acted on even inside an escape sequence; any byte not understood is ignored;
 * the buffer never holds more than LE_MAX_LINE. */
enum le_result le_feed(struct lineedit *le, char ch)
{
	unsigned char c = (unsigned char)ch;
	bool after_cr = le->after_cr;
	le->after_cr = c == KEY_CR;
	if (le->esc != LE_ESC_NONE && c >= 0x20 && c != KEY_DEL) {
		feed_escape(le, c);
		return LE_MORE;
	}
	le->esc = LE_ESC_NONE; /* a control byte ends any escape sequence */
	if (c == KEY_LF && after_cr)
		return LE_MORE; /* the LF of a CR LF pair */
	if (c == KEY_CR || c == KEY_LF) {
		out_str(le, "\r\n");
		le_history_add(le, le->buf);
		le->hist_pos = 0;
		return LE_DONE;
	}
	if (c < 0x20 || c == KEY_DEL)
		return feed_control(le, (char)c);
	if (c < 0x80)
		insert_char(le, (char)c);
	return LE_MORE; /* bytes >= 0x80 are ignored: ASCII only */
}
