/* lineedit.h — byte-at-a-time line editor with history and Tab completion. */
#ifndef KERNEL_DEBUG_LINEEDIT_H
#define KERNEL_DEBUG_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LE_MAX_LINE 255 /* characters in a line, not counting the NUL */
#define LE_HISTORY 32	/* lines kept in the history ring */
#define KEY_CTRL_C 0x03 /* ETX: cancels the line, or stops the pager */

/* What le_feed reports after each byte. */
enum le_result {
	LE_MORE = 0, /* keep feeding bytes */
	LE_DONE,     /* Enter: the line is in le_line() (and in the history) */
	LE_CANCEL,   /* Ctrl-C: the line was thrown away */
};

/* Output sink: one byte to the terminal. */
typedef void (*le_putc_fn)(void *ctx, char c);

/* Completion source: returns the i-th candidate word (i = 0, 1, ...) or NULL
 * after the last. The editor filters the candidates by the typed prefix. */
typedef const char *(*le_complete_fn)(void *ctx, size_t i);

enum le_esc_state { LE_ESC_NONE, LE_ESC_START, LE_ESC_CSI, LE_ESC_SS3 };

struct lineedit {
	le_putc_fn putc;
	void *putc_ctx;
	le_complete_fn complete; /* NULL: Tab only rings the bell */
	void *complete_ctx;
	const char *prompt;

	char buf[LE_MAX_LINE + 1]; /* always NUL-terminated */
	size_t len;		   /* characters in buf */
	size_t cur;		   /* cursor position, 0..len */

	enum le_esc_state esc;
	char esc_param[8]; /* CSI parameter bytes, e.g. "3" of ESC [ 3 ~ */
	size_t esc_len;
	bool esc_overlong; /* parameters did not fit: ignore the sequence */
	bool after_cr;	   /* the last byte was CR: a following LF is eaten */

	char hist[LE_HISTORY][LE_MAX_LINE + 1];
	size_t hist_head;  /* slot the next entry goes to */
	size_t hist_count; /* entries stored, <= LE_HISTORY */
	size_t hist_pos;   /* 0 = editing a new line, k = k-th most recent */
	char saved[LE_MAX_LINE + 1]; /* the new line while browsing history */
};

/* Set up le with an empty line and empty history. prompt must outlive le. */
void le_init(struct lineedit *le, le_putc_fn putc, void *putc_ctx,
	     const char *prompt);

/* Install the Tab completion source (first word of the line only). */
void le_set_completion(struct lineedit *le, le_complete_fn fn, void *ctx);

/* Begin a new line: clear it and print the prompt. */
void le_start(struct lineedit *le);

/* Feed one input byte; never blocks, never writes past the line buffer. */
enum le_result le_feed(struct lineedit *le, char c);

/* The current line (the finished one right after LE_DONE). */
const char *le_line(const struct lineedit *le);

/* Reprint the prompt and the line with the cursor in place. */
void le_redraw(struct lineedit *le);

/* Append line to the history unless it is blank or repeats the newest entry. */
void le_history_add(struct lineedit *le, const char *line);

/* Entries in the history, and entry i (0 = oldest), NULL when out of range. */
size_t le_history_count(const struct lineedit *le);
const char *le_history_get(const struct lineedit *le, size_t i);

/* Forget every history entry. */
void le_history_clear(struct lineedit *le);

#endif
