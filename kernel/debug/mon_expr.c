/* mon_expr.c — recursive-descent evaluator for monitor expressions. */
#include "kernel/debug/mon_expr.h"

#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

#define NAME_MAX_LEN 127 /* longest symbol or register name looked up */
#define QUOTE_MAX 40	 /* longest token quoted in full in a message */

struct parser {
	const struct mon_expr_env *env;
	const char *s;
	size_t pos;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

enum num_status { NUM_OK, NUM_BAD, NUM_TOO_BIG };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_start(char c)
{
	return is_alpha(c) || c == '_' || c == '.';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

static int digit_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99; /* not a digit in any base we take */
}

/* Parse s[0..len) as 0x hex, 0b binary or decimal, ignoring '_'. */
static enum num_status parse_number(const char *s, size_t len, uint64_t *val)
{
	uint64_t base = 10, v = 0;
	bool any = false;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	else if (len >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2;
	for (size_t i = base == 10 ? 0 : 2; i < len; i++) {
		if (s[i] == '_')
			continue;
		uint64_t d = (uint64_t)digit_value(s[i]);
		if (d >= base)
			return NUM_BAD;
		if (v > (UINT64_MAX - d) / base)
			return NUM_TOO_BIG;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return NUM_BAD;
	*val = v;
	return NUM_OK;
}

bool mon_parse_number(const char *s, size_t len, uint64_t *val)
{
	return parse_number(s, len, val) == NUM_OK;
}

/* ---- errors ---- */

/* Record the first error only: later ones are consequences of it. */
__attribute__((format(printf, 2, 3))) static void fail(struct parser *p,
						       const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

/* Copy s[0..len) into q (QUOTE_MAX + 4 bytes), shortened with "...". */
static const char *quote(char *q, const char *s, size_t len)
{
	size_t n = len > QUOTE_MAX ? QUOTE_MAX : len;
	memcpy(q, s, n);
	if (n < len) {
		memcpy(q + n, "...", 3);
		n += 3;
	}
	q[n] = '\0';
	return q;
}

static unsigned column(const struct parser *p)
{
	return (unsigned)p->pos + 1;
}

__attribute__((noinline)) static void fail_unexpected(struct parser *p)
{
	unsigned char c = (unsigned char)p->s[p->pos];
	if (c == '\0')
		fail(p,
		     "expected a number, symbol or $register at column %u "
		     "(end of expression)",
		     column(p));
	else if (c > ' ' && c < 0x7f)
		fail(p, "unexpected '%c' at column %u", c, column(p));
	else
		fail(p, "unexpected byte 0x%02x at column %u", c, column(p));
}

/* ---- grammar ---- */

static uint64_t expr(struct parser *p);

static void skip_space(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

/* Leaves of the recursion are kept out of line: their buffers then do not
 * weigh on every nesting level's stack frame. */
__attribute__((noinline)) static uint64_t number(struct parser *p)
{
	const char *start = p->s + p->pos;
	size_t n = 0;
	while (is_name_char(start[n]) && start[n] != '.')
		n++;
	p->pos += n;
	uint64_t v = 0;
	char q[QUOTE_MAX + 4];
	switch (parse_number(start, n, &v)) {
	case NUM_OK:
		break;
	case NUM_BAD:
		fail(p, "bad number '%s' (use 0x for hex, 0b for binary)",
		     quote(q, start, n));
		break;
	case NUM_TOO_BIG:
		fail(p, "number '%s' does not fit in 64 bits",
		     quote(q, start, n));
		break;
	}
	return v;
}

static bool ksym_hook(void *ctx, const char *name, uint64_t *val)
{
	(void)ctx;
	return ksym_find(name, val);
}

static bool all_hex_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (digit_value(s[i]) >= 16)
			return false;
	return true;
}

/* A symbol, or with is_reg a register whose '$' was already consumed. */
__attribute__((noinline)) static uint64_t name(struct parser *p, bool is_reg)
{
	const char *start = p->s + p->pos;
	size_t n = 0;
	while (is_name_char(start[n]))
		n++;
	p->pos += n;
	char buf[NAME_MAX_LEN + 1], q[QUOTE_MAX + 4];
	uint64_t v = 0;
	if (n == 0) {
		fail(p, "expected a register name after '$' at column %u",
		     column(p));
	} else if (n > NAME_MAX_LEN) {
		fail(p, "name '%s' is too long (at most %d characters)",
		     quote(q, start, n), NAME_MAX_LEN);
	} else if (is_reg) {
		memcpy(buf, start, n);
		buf[n] = '\0';
		if (!p->env->reg)
			fail(p,
			     "no registers here: '$%s' needs a stopped frame",
			     buf);
		else if (!p->env->reg(p->env->reg_ctx, buf, &v))
			fail(p, "unknown register '$%s'", buf);
	} else {
		memcpy(buf, start, n);
		buf[n] = '\0';
		mon_lookup_fn sym = p->env->sym ? p->env->sym : ksym_hook;
		if (sym(p->env->sym_ctx, buf, &v))
			return v;
		if (all_hex_digits(start, n))
			fail(
			    p,
			    "unknown symbol '%s' (for a hex number write 0x%s)",
			    buf, buf);
		else
			fail(p, "unknown symbol '%s'", buf);
	}
	return v;
}

static uint64_t primary(struct parser *p)
{
	skip_space(p);
	char c = p->s[p->pos];
	if (c == '(') {
		p->pos++;
		uint64_t v = expr(p);
		skip_space(p);
		if (p->s[p->pos] != ')')
			fail(p, "expected ')' at column %u", column(p));
		else
			p->pos++;
		return v;
	}
	if (is_digit(c))
		return number(p);
	if (c == '$') {
		p->pos++;
		return name(p, true);
	}
	if (is_name_start(c))
		return name(p, false);
	fail_unexpected(p);
	return 0;
}

static uint64_t unary(struct parser *p)
{
	if (++p->depth > MON_EXPR_MAX_DEPTH) {
		fail(p,
		     "expression nested too deeply at column %u (at most %d "
		     "levels)",
		     column(p), MON_EXPR_MAX_DEPTH);
		return 0;
	}
	uint64_t v;
	skip_space(p);
	char c = p->s[p->pos];
	if (c == '-' || c == '+') {
		p->pos++;
		v = unary(p);
		if (c == '-')
			v = 0 - v;
	} else {
		v = primary(p);
	}
	p->depth--;
	return v;
}

static uint64_t term(struct parser *p)
{
	uint64_t v = unary(p);
	for (;;) {
		skip_space(p);
		if (p->failed || p->s[p->pos] != '*')
			return v;
		p->pos++;
		v *= unary(p);
	}
}

static uint64_t expr(struct parser *p)
{
	uint64_t v = term(p);
	for (;;) {
		skip_space(p);
		char c = p->s[p->pos];
		if (p->failed || (c != '+' && c != '-'))
			return v;
		p->pos++;
		uint64_t r = term(p);
		v = c == '+' ? v + r : v - r;
	}
}

int mon_expr_eval(const struct mon_expr_env *env, const char *s, uint64_t *val,
		  char *err, size_t errlen)
{
	static const struct mon_expr_env no_env;
	struct parser p = {
	    .env = env ? env : &no_env, .s = s, .err = err, .errlen = errlen};
	uint64_t v = expr(&p);
	skip_space(&p);
	if (!p.failed && p.s[p.pos] != '\0')
		fail_unexpected(&p);
	if (p.failed)
		return -1;
	*val = v;
	return 0;
}
