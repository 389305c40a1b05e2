/* cmd_search.c — monitor command search: find bytes, a string or a value in
 * kernel memory, fault-safely, skipping unmapped pages. */
#include "kernel/arch/page.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/monitor.h"
#include "kernel/lib/string.h"

#define PATTERN_MAX 64		    /* longest pattern, in bytes */
#define SEARCH_MAX_LEN (1ull << 30) /* longest range one search covers */
#define MATCHES_MAX 1000	    /* matches printed before giving up */
#define BITS_PER_BYTE 8

struct pattern {
	uint8_t bytes[PATTERN_MAX];
	size_t len;
};

/* The unit of search/b, /w, /d, /q from argv[0]'s suffix; 0 = none given,
 * -1 after printing that the suffix is unknown. */
static int suffix_width(struct mon_ctx *ctx, const char *name)
{
	static const char letters[] = "bwdq"; /* 1, 2, 4, 8 bytes */
	const char *slash = strchr(name, '/');
	if (!slash)
		return 0;
	for (int i = 0; letters[i]; i++)
		if (slash[1] == letters[i] && !slash[2])
			return 1 << i;
	mon_printf(ctx,
		   "search: unknown width '%s'; use /b /w /d or /q (1, 2, 4, "
		   "8 bytes)\n",
		   slash);
	return -1;
}

static bool append(struct mon_ctx *ctx, struct pattern *p, const void *b,
		   size_t n)
{
	if (p->len + n > PATTERN_MAX) {
		mon_printf(ctx, "search: pattern longer than %d bytes\n",
			   PATTERN_MAX);
		return false;
	}
	memcpy(p->bytes + p->len, b, n);
	p->len += n;
	return true;
}

/* The pattern from argv[3..]: a quoted argument is its characters, any
 * other an expression stored little-endian in width bytes (width 0: 8 for
 * a lone value, else 1). */
static bool parse_pattern(struct mon_ctx *ctx, int argc, char **argv,
			  unsigned width, struct pattern *p)
{
	if (!width)
		width = argc == 4 ? sizeof(uint64_t) : 1;
	for (int i = 3; i < argc; i++) {
		uint64_t v;
		uint8_t le[sizeof v];
		if (mon_arg_quoted(ctx, i)) {
			if (!append(ctx, p, argv[i], strlen(argv[i])))
				return false;
			continue;
		}
		if (!mon_eval(ctx, argv[i], &v))
			return false;
		if (!mon_value_fits(v, width)) {
			mon_printf(ctx,
				   "search: 0x%lx does not fit in %u byte%s; "
				   "give a wider /w, /d or /q\n",
				   (unsigned long)v, width,
				   width > 1 ? "s" : "");
			return false;
		}
		for (unsigned k = 0; k < width; k++)
			le[k] = (uint8_t)(v >> (k * BITS_PER_BYTE));
		if (!append(ctx, p, le, width))
			return false;
	}
	if (!p->len)
		mon_printf(ctx, "search: the pattern is empty\n");
	return p->len > 0;
}

struct scan {
	struct mon_ctx *ctx;
	const struct pattern *pat;
	uint64_t matches, skipped_pages;
	/* the window: buf[0..have) holds memory from address base on */
	uint8_t buf[PAGE_SIZE + PATTERN_MAX];
	size_t have;
	uint64_t base;
};

/* Report the matches that lie wholly inside the window, then keep its
 * last len-1 bytes: a match starting there needs what comes next. */
static void scan_window(struct scan *s)
{
	size_t plen = s->pat->len, i = 0;
	for (; i + plen <= s->have && !mon_aborted(s->ctx); i++) {
		if (s->buf[i] != s->pat->bytes[0] ||
		    memcmp(s->buf + i, s->pat->bytes, plen))
			continue;
		if (++s->matches <= MATCHES_MAX) {
			diag_print_addr(&s->ctx->out, s->base + i);
			mon_putc(s->ctx, '\n');
		}
	}
	size_t keep = s->have < plen - 1 ? s->have : plen - 1;
	memmove(s->buf, s->buf + s->have - keep, keep);
	s->base += s->have - keep;
	s->have = keep;
}

/* Search [addr, end): page by page; an unreadable page ends the current
 * run of contiguous memory and is skipped. */
static void scan_range(struct scan *s, uint64_t addr, uint64_t end)
{
	s->base = addr;
	while (addr < end && !mon_aborted(s->ctx) &&
	       s->matches <= MATCHES_MAX) {
		uint64_t room = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		size_t want = (size_t)(end - addr < room ? end - addr : room);
		size_t got = debug_read_mem(addr, s->buf + s->have, want);
		s->have += got;
		scan_window(s);
		addr += got;
		if (got < want) { /* skip the rest of the unreadable page */
			addr = (addr | (PAGE_SIZE - 1)) + 1;
			s->skipped_pages++;
			s->have = 0;
			s->base = addr;
			if (addr == 0)
				break; /* wrapped past the top */
		}
	}
}

static void search_summary(struct mon_ctx *ctx, const struct scan *s)
{
	if (s->matches > MATCHES_MAX)
		mon_printf(ctx,
			   "search: stopped after %d matches; narrow the "
			   "range\n",
			   MATCHES_MAX);
	else
		mon_printf(ctx, "%lu match%s", (unsigned long)s->matches,
			   s->matches == 1 ? "" : "es");
	if (s->matches <= MATCHES_MAX && s->skipped_pages)
		mon_printf(ctx, " (%lu unreadable page%s skipped)",
			   (unsigned long)s->skipped_pages,
			   s->skipped_pages == 1 ? "" : "s");
	if (s->matches <= MATCHES_MAX)
		mon_putc(ctx, '\n');
}

static int cmd_search(struct mon_ctx *ctx, int argc, char **argv)
{
	static struct scan s; /* a page of window: not on the stack */
	struct pattern pat = {.len = 0};
	uint64_t addr, len;
	int width = suffix_width(ctx, argv[0]);
	if (width < 0 || !mon_eval(ctx, argv[1], &addr) ||
	    !mon_eval_range(ctx, argv[2], "length", 1, SEARCH_MAX_LEN, &len) ||
	    !parse_pattern(ctx, argc, argv, (unsigned)width, &pat))
		return MON_ERR;
	uint64_t end = addr + len < addr ? 0 - 1ull : addr + len;
	s = (struct scan){.ctx = ctx, .pat = &pat};
	scan_range(&s, addr, end);
	search_summary(ctx, &s);
	return MON_OK;
}
MON_COMMAND(
    search, "<addr> <len> <value...|\"string\">",
    "find a value, bytes or a string in memory\n"
    "Prints every address in [addr, addr+len) where the pattern starts\n"
    "(any alignment), with its symbol. A quoted argument is a string\n"
    "(no NUL added); a lone value is a little-endian qword, several\n"
    "values are bytes: search kmain 4096 0x55 0x48 0x89 0xe5. search/b\n"
    "/w /d /q sets the size of each value. Quoted strings and values\n"
    "mix. Memory is read fault-safely; unreadable pages are skipped and\n"
    "counted. len is at most 1 GiB.",
    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_NOREPEAT | MON_SUFFIX, cmd_search);
