/* monitor.c — monitor core: output, pager, command table, dispatch, loop. */
#include "kernel/debug/monitor.h"

#include <stdarg.h>

#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define MORE_PROMPT "--More--"
#define BITS_PER_BYTE 8
#define VT100_ERASE_LINE "\r\x1b[K" /* CR, then EL: erase to end of line */

/* What survives from one monitor_run to the next. */
static struct {
	struct lineedit le;
	bool le_ready;
	bool table_checked;
	char last[MON_LINE_MAX + 1]; /* what an empty line runs */
	unsigned page_lines;
} mon = {.page_lines = MON_PAGER_DEFAULT};

void monitor_reset(void)
{
	memset(mon.last, 0, sizeof mon.last);
	mon.page_lines = MON_PAGER_DEFAULT;
	if (mon.le_ready)
		le_history_clear(&mon.le);
}

const struct lineedit *monitor_lineedit(void)
{
	return mon.le_ready ? &mon.le : NULL;
}

unsigned monitor_pager_lines(void)
{
	return mon.page_lines;
}

/* Only an interactive run pages: the GDB stub's getc carries packets. */
void monitor_set_pager_lines(struct mon_ctx *ctx, unsigned lines)
{
	mon.page_lines = lines;
	if (ctx->interactive)
		ctx->page_lines = lines;
}

/* ---- output and pager ---- */

static void raw_putc(struct mon_ctx *ctx, char c)
{
	if (c == '\n' && ctx->crlf)
		ctx->io->putc(ctx->io->ctx, '\r');
	ctx->io->putc(ctx->io->ctx, c);
	ctx->at_bol = c == '\n';
}

static void raw_puts(struct mon_ctx *ctx, const char *s)
{
	while (*s)
		ctx->io->putc(ctx->io->ctx, *s++);
}

/* Read a key for the pager; an LF right after a CR is part of that Enter. */
static int pager_key(struct mon_ctx *ctx)
{
	int c = ctx->io->getc(ctx->io->ctx);
	if (c == '\n' && ctx->after_cr)
		c = ctx->io->getc(ctx->io->ctx);
	ctx->after_cr = c == '\r';
	return c;
}

/* Show --More-- and wait: space = next page, Enter = one more line,
 * q / Ctrl-C / end of input = abort the command's output. Any other key
 * was typed ahead: the output stops and the key starts the next line. */
static void pager_wait(struct mon_ctx *ctx)
{
	raw_puts(ctx, MORE_PROMPT);
	int c = pager_key(ctx);
	raw_puts(ctx, VT100_ERASE_LINE);
	if (c < 0 || c == 'q' || c == 'Q' || c == KEY_CTRL_C) {
		ctx->aborted = true;
	} else if (c == '\r' || c == '\n') {
		ctx->lines = ctx->page_lines - 1;
	} else if (c == ' ') {
		ctx->lines = 0;
	} else {
		ctx->aborted = true;
		ctx->typed_ahead = c;
	}
}

void mon_putc(struct mon_ctx *ctx, char c)
{
	if (ctx->aborted)
		return;
	if (ctx->page_lines && ctx->lines >= ctx->page_lines) {
		pager_wait(ctx);
		if (ctx->aborted)
			return;
	}
	raw_putc(ctx, c);
	if (c == '\n')
		ctx->lines++;
}

static void sink(void *ctx, char c)
{
	mon_putc(ctx, c);
}

int mon_printf(struct mon_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

bool mon_arg_quoted(const struct mon_ctx *ctx, int i)
{
	return i >= 0 && i < MON_MAX_ARGS && (ctx->quoted >> i) & 1;
}

bool mon_aborted(const struct mon_ctx *ctx)
{
	return ctx->aborted;
}

bool mon_eval(struct mon_ctx *ctx, const char *arg, uint64_t *val)
{
	char err[MON_EXPR_ERR_MAX];
	if (mon_expr_eval(&ctx->expr, arg, val, err, sizeof err) == 0)
		return true;
	mon_printf(ctx, "%s: %s\n", ctx->cmd ? ctx->cmd->name : "monitor", err);
	return false;
}

bool mon_check_range(struct mon_ctx *ctx, const char *what, uint64_t val,
		     uint64_t lo, uint64_t hi)
{
	if (val >= lo && val <= hi)
		return true;
	const char *name = ctx->cmd ? ctx->cmd->name : "monitor";
	if (hi < MON_RANGE_DECIMAL)
		mon_printf(ctx, "%s: %s %lu is out of range; give %lu-%lu\n",
			   name, what, (unsigned long)val, (unsigned long)lo,
			   (unsigned long)hi);
	else
		mon_printf(ctx,
			   "%s: %s 0x%lx is out of range; give 0x%lx-0x%lx\n",
			   name, what, (unsigned long)val, (unsigned long)lo,
			   (unsigned long)hi);
	return false;
}

bool mon_eval_range(struct mon_ctx *ctx, const char *arg, const char *what,
		    uint64_t lo, uint64_t hi, uint64_t *val)
{
	return mon_eval(ctx, arg, val) &&
	       mon_check_range(ctx, what, *val, lo, hi);
}

bool mon_value_fits(uint64_t val, unsigned width)
{
	if (width >= sizeof val)
		return true;
	unsigned bits = width * BITS_PER_BYTE;
	uint64_t high = val >> (bits - 1);
	return (val >> bits) == 0 || high == (UINT64_MAX >> (bits - 1));
}

void mon_set_repeat(struct mon_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(ctx->repeat, sizeof ctx->repeat, fmt, ap);
	va_end(ap);
	/* a continuation cut short would run the wrong thing: drop it */
	if (n < 0 || (size_t)n >= sizeof ctx->repeat)
		ctx->repeat[0] = '\0';
}

void mon_print_usage(struct mon_ctx *ctx, const struct mon_cmd *cmd)
{
	mon_printf(ctx, "usage: %s%s%s\n", cmd->name, cmd->usage[0] ? " " : "",
		   cmd->usage);
}

/* ---- the command table ---- */

const struct mon_cmd *mon_cmd_next_sorted(const struct mon_cmd *prev)
{
	const struct mon_cmd *best = NULL;
	for (const struct mon_cmd *c = __start_mon_cmds; c < __stop_mon_cmds;
	     c++) {
		if (prev && strcmp(c->name, prev->name) <= 0)
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

void mon_check_table(const struct mon_cmd *begin, const struct mon_cmd *end)
{
	for (const struct mon_cmd *c = begin; c < end; c++) {
		if (!c->name || !c->name[0] || !c->usage || !c->help || !c->fn)
			panic(
			    "monitor: command #%d ('%s') lacks a name, usage, "
			    "help or function; fix its MON_COMMAND",
			    (int)(c - begin), c->name ? c->name : "?");
		for (const struct mon_cmd *d = begin; d < c; d++)
			if (strcmp(c->name, d->name) == 0)
				panic("monitor: command '%s' is registered "
				      "twice; rename one of its MON_COMMANDs",
				      c->name);
	}
}

static bool is_prefix(const char *prefix, const char *s)
{
	size_t n = strlen(prefix);
	return strncmp(prefix, s, n) == 0;
}

/* How many commands start with name; *only receives the first of them. */
static size_t count_prefixed(const char *name, const struct mon_cmd **only)
{
	size_t n = 0;
	*only = NULL;
	for (const struct mon_cmd *c = __start_mon_cmds; c < __stop_mon_cmds;
	     c++) {
		if (strcmp(c->name, name) == 0) {
			*only = c; /* an exact name always wins */
			return 1;
		}
		if (is_prefix(name, c->name) && n++ == 0)
			*only = c;
	}
	return n;
}

const struct mon_cmd *mon_find_cmd(const char *name)
{
	const struct mon_cmd *c;
	return count_prefixed(name, &c) == 1 ? c : NULL;
}

/* A name with a /suffix (x/q): the command before the slash, if it takes
 * suffixes (MON_SUFFIX); it reads the suffix from its argv[0]. */
static const struct mon_cmd *
resolve_suffixed(struct mon_ctx *ctx, const char *name, const char *slash)
{
	char base[MON_LINE_MAX + 1];
	size_t len = (size_t)(slash - name);
	const struct mon_cmd *c;
	memcpy(base, name, len);
	base[len] = '\0';
	if (count_prefixed(base, &c) != 1) {
		mon_printf(ctx, "unknown command '%s' - type 'help'\n", base);
		return NULL;
	}
	if (!(c->flags & MON_SUFFIX)) {
		mon_printf(ctx, "%s: takes no /suffix ('%s')\n", c->name, name);
		return NULL;
	}
	return c;
}

/* Resolve argv[0], or explain why not. */
static const struct mon_cmd *resolve(struct mon_ctx *ctx, const char *name)
{
	const struct mon_cmd *c;
	const char *slash = strchr(name, '/');
	if (slash && slash != name)
		return resolve_suffixed(ctx, name, slash);
	size_t n = count_prefixed(name, &c);
	if (n == 1)
		return c;
	if (n == 0) {
		mon_printf(ctx, "unknown command '%s' - type 'help'\n", name);
		return NULL;
	}
	mon_printf(ctx, "ambiguous command '%s':", name);
	const char *sep = " ";
	for (c = mon_cmd_next_sorted(NULL); c; c = mon_cmd_next_sorted(c)) {
		if (is_prefix(name, c->name)) {
			mon_printf(ctx, "%s%s", sep, c->name);
			sep = ", ";
		}
	}
	mon_printf(ctx, " - type more of the name\n");
	return NULL;
}

/* Completion source for the line editor: command names in sorted order. The
 * editor asks for i = 0, 1, 2...; remembering the last answer makes that
 * linear per step. */
static const char *complete_cmd(void *unused, size_t i)
{
	static const struct mon_cmd *last;
	static size_t last_i;
	(void)unused;
	if (i == 0 || !last || i != last_i + 1) {
		last = mon_cmd_next_sorted(NULL);
		for (size_t k = 0; k < i && last; k++)
			last = mon_cmd_next_sorted(last);
	} else {
		last = mon_cmd_next_sorted(last);
	}
	last_i = i;
	return last ? last->name : NULL;
}

/* ---- parsing a line ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split line into words in buf (at least strlen(line) + 1 bytes). Quotes
 * group words: "a b" with \" and \\ escapes, 'a b' literally. Returns argc,
 * or -1 after printing why the line cannot be split. */
static int tokenize(struct mon_ctx *ctx, const char *line, char *buf,
		    char **argv)
{
	int argc = 0;
	const char *p = line;
	ctx->quoted = 0;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (argc == MON_MAX_ARGS) {
			mon_printf(ctx,
				   "too many arguments (at most %d); "
				   "shorten the line\n",
				   MON_MAX_ARGS - 1);
			return -1;
		}
		argv[argc++] = buf;
		char quote = 0;
		const char *open = p;
		for (; *p && (quote || !is_blank(*p)); p++) {
			if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p;
				open = p;
				ctx->quoted |= 1u << (argc - 1);
			} else if (quote && *p == quote) {
				quote = 0;
			} else if (quote == '"' && *p == '\\' && p[1]) {
				*buf++ = *++p;
			} else {
				*buf++ = *p;
			}
		}
		*buf++ = '\0';
		if (quote) {
			mon_printf(ctx,
				   "unterminated %c quote at column %d; "
				   "close it with %c\n",
				   quote, (int)(open - line) + 1, quote);
			return -1;
		}
	}
	argv[argc] = NULL;
	return argc;
}

/* The argument counts a usage string allows: <a> and bare words are
 * required, words inside [ ] optional, "..." means any number more. */
static void usage_counts(const char *u, int *min, int *max)
{
	int req = 0, opt = 0, square = 0, angle = 0;
	bool unlimited = false;
	while (*u) {
		while (is_blank(*u))
			u++;
		if (!*u)
			break;
		bool optional = square > 0 || *u == '[';
		bool counts = angle == 0;
		for (; *u && !is_blank(*u); u++) {
			square += *u == '[' ? 1 : *u == ']' ? -1 : 0;
			angle += *u == '<' ? 1 : *u == '>' ? -1 : 0;
			if (u[0] == '.' && u[1] == '.' && u[2] == '.')
				unlimited = true;
		}
		if (counts && optional)
			opt++;
		else if (counts)
			req++;
	}
	*min = req;
	*max = unlimited ? MON_MAX_ARGS : req + opt;
}

/* Refuse commands the current stop does not allow; true if cmd may run. */
static bool allowed(struct mon_ctx *ctx, const struct mon_cmd *cmd)
{
	unsigned missing = ctx->require & ~cmd->flags;
	if (!missing)
		return true;
	if (missing & MON_SAFE_AFTER_DF)
		mon_printf(ctx,
			   "%s: not safe after a double fault; 'help' "
			   "marks the commands that are with *\n",
			   cmd->name);
	else
		mon_printf(ctx,
			   "%s: not available in this stop (flags 0x%x "
			   "needed); 'help' marks the ones that are\n",
			   cmd->name, missing);
	return false;
}

/* ---- running commands ---- */

void mon_ctx_init(struct mon_ctx *ctx, const struct char_io *io,
		  const struct mon_env *env)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->io = io;
	ctx->out = (struct printer){sink, ctx};
	ctx->at_bol = true;
	if (env) {
		ctx->frame = env->frame;
		ctx->require = env->require;
		ctx->expr.reg = env->reg;
		ctx->expr.reg_ctx = env->frame;
		ctx->expr.read = env->read;
	}
}

/* Check argc against cmd's usage and run it; prints the usage line when
 * the count is wrong or the command asks for it. */
static int run_cmd(struct mon_ctx *ctx, const struct mon_cmd *cmd, int argc,
		   char **argv)
{
	int min, max;
	usage_counts(cmd->usage, &min, &max);
	if (argc - 1 < min || argc - 1 > max) {
		mon_print_usage(ctx, cmd);
		return MON_USAGE;
	}
	int r = cmd->fn(ctx, argc, argv);
	if (r == MON_USAGE)
		mon_print_usage(ctx, cmd);
	return r;
}

int monitor_exec_line(struct mon_ctx *ctx, const char *line)
{
	char buf[MON_LINE_MAX + 1];
	char *argv[MON_MAX_ARGS + 1];
	ctx->cmd = NULL;
	ctx->repeat[0] = '\0';
	ctx->lines = 0;
	ctx->aborted = false;
	size_t len = strnlen(line, MON_LINE_MAX + 1);
	if (len > MON_LINE_MAX) {
		mon_printf(ctx,
			   "line too long (at most %d characters); "
			   "split the command\n",
			   MON_LINE_MAX);
		return MON_ERR;
	}
	int argc = tokenize(ctx, line, buf, argv);
	if (argc <= 0)
		return argc < 0 ? MON_ERR : MON_OK;
	const struct mon_cmd *cmd = resolve(ctx, argv[0]);
	if (!cmd || !allowed(ctx, cmd))
		return MON_ERR;
	ctx->cmd = cmd;
	return run_cmd(ctx, cmd, argc, argv);
}

static int no_input(void *unused)
{
	(void)unused;
	return -1;
}

int monitor_exec_to(const char *line, void (*out)(void *octx, char c),
		    void *octx, const struct mon_env *env)
{
	struct char_io io = {.getc = no_input, .putc = out, .ctx = octx};
	struct mon_ctx ctx;
	mon_ctx_init(&ctx, &io, env);
	return monitor_exec_line(&ctx, line);
}

static bool is_blank_line(const char *s)
{
	while (is_blank(*s))
		s++;
	return *s == '\0';
}

static void set_last(const char *line)
{
	size_t n = strnlen(line, MON_LINE_MAX);
	memcpy(mon.last, line, n);
	mon.last[n] = '\0';
}

/* Run a line typed at the prompt: an empty one repeats the last command (or
 * the continuation it left), and the output ends at the start of a line. */
static int run_typed(struct mon_ctx *ctx, const char *typed)
{
	char line[MON_LINE_MAX + 1];
	if (is_blank_line(typed)) {
		if (!mon.last[0])
			return MON_OK;
		typed = mon.last;
	}
	memcpy(line, typed, strnlen(typed, MON_LINE_MAX) + 1);
	line[MON_LINE_MAX] = '\0';
	ctx->at_bol = true;
	int r = monitor_exec_line(ctx, line);
	if (ctx->cmd && (ctx->cmd->flags & MON_NOREPEAT))
		set_last("");
	else if (ctx->cmd)
		set_last(ctx->repeat[0] ? ctx->repeat : line);
	if (!ctx->at_bol && !ctx->aborted)
		raw_putc(ctx, '\n');
	return r;
}

/* Attach the persistent line editor to this run's io. */
static struct lineedit *editor(const struct char_io *io)
{
	if (!mon.le_ready) {
		le_init(&mon.le, io->putc, io->ctx, MON_PROMPT);
		le_set_completion(&mon.le, complete_cmd, NULL);
		mon.le_ready = true;
	}
	mon.le.putc = io->putc;
	mon.le.putc_ctx = io->ctx;
	return &mon.le;
}

int monitor_run(const struct char_io *io, const struct mon_env *env)
{
	if (!mon.table_checked) {
		mon_check_table(__start_mon_cmds, __stop_mon_cmds);
		mon.table_checked = true;
	}
	struct mon_ctx ctx;
	mon_ctx_init(&ctx, io, env);
	ctx.interactive = true;
	ctx.crlf = true;
	ctx.typed_ahead = -1;
	struct lineedit *le = editor(io);
	le_start(le);
	for (;;) {
		int c = io->getc(io->ctx);
		if (c < 0)
			return MON_EOF;
		enum le_result res = le_feed(le, (char)c);
		if (res == LE_MORE)
			continue;
		if (res == LE_DONE) {
			ctx.page_lines = mon.page_lines;
			/* the pager must eat the LF of this line's CR LF */
			ctx.after_cr = le->after_cr;
			if (run_typed(&ctx, le_line(le)) == MON_CONTINUE)
				return MON_CONTINUE;
			le->after_cr = ctx.after_cr;
		}
		le_start(le);
		if (ctx.typed_ahead >= 0) /* the key that stopped --More-- */
			le_feed(le, (char)ctx.typed_ahead);
		ctx.typed_ahead = -1;
	}
}
