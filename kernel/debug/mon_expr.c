/* mon_expr.c — recursive-descent (precedence-climbing) evaluator for monitor
 * expressions. */
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
	unsigned skip; /* > 0: inside the side of && or || not evaluated */
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

/* ---- types: (u32) casts and *(u32*) dereferences ---- */

#define BITS_PER_BYTE 8

struct ctype {
	unsigned bytes; /* 1, 2, 4 or 8 */
	bool is_signed; /* s8..s64: sign-extend */
	bool pointer;	/* written with a '*': (u32*) */
};

/* Truncate v to t's width, then sign-extend it when t is signed. */
static uint64_t convert(uint64_t v, const struct ctype *t)
{
	unsigned bits = t->bytes * BITS_PER_BYTE;
	if (bits >= 64)
		return v;
	v &= (1ull << bits) - 1;
	if (t->is_signed && (v >> (bits - 1)))
		v |= ~0ull << bits;
	return v;
}

/* A type name at s: u8 u16 u32 u64 or s8 s16 s32 s64; its length, or 0. */
static size_t type_name(const char *s, struct ctype *t)
{
	static const char *const names[] = {"8", "16", "32", "64"};
	if (s[0] != 'u' && s[0] != 's')
		return 0;
	for (unsigned i = 0; i < 4; i++) {
		size_t n = strlen(names[i]);
		if (strncmp(s + 1, names[i], n) == 0 &&
		    !is_name_char(s[1 + n])) {
			t->bytes = 1u << i;
			t->is_signed = s[0] == 's';
			return n + 1;
		}
	}
	return 0;
}

/* "(u32)" or "(u32*)" at the parser's position (blanks allowed inside):
 * consume it and describe it in *t; otherwise consume nothing. */
static bool cast(struct parser *p, struct ctype *t)
{
	size_t i = p->pos;
	if (p->s[i] != '(')
		return false;
	for (i++; p->s[i] == ' ' || p->s[i] == '\t'; i++)
		;
	size_t n = type_name(p->s + i, t);
	if (!n)
		return false;
	for (i += n; p->s[i] == ' ' || p->s[i] == '\t'; i++)
		;
	t->pointer = p->s[i] == '*';
	for (i += t->pointer; p->s[i] == ' ' || p->s[i] == '\t'; i++)
		;
	if (p->s[i] != ')')
		return false;
	p->pos = i + 1;
	return true;
}

/* Read t->bytes at addr through the environment's memory hook (nothing is
 * read on the side of && or || that is not evaluated). */
__attribute__((noinline)) static uint64_t
load(struct parser *p, uint64_t addr, const struct ctype *t, unsigned col)
{
	uint8_t b[sizeof(uint64_t)];
	uint64_t v = 0;
	if (p->failed || p->skip)
		return 0;
	if (!p->env->read) {
		fail(p, "no memory here to read at column %u", col);
		return 0;
	}
	if (!p->env->read(p->env->read_ctx, addr, b, t->bytes)) {
		fail(p,
		     "cannot read %u byte%s at 0x%lx (column %u); 'x 0x%lx' "
		     "says why",
		     t->bytes, t->bytes > 1 ? "s" : "", (unsigned long)addr,
		     col, (unsigned long)addr);
		return 0;
	}
	for (unsigned i = t->bytes; i-- > 0;)
		v = v << BITS_PER_BYTE | b[i];
	return convert(v, t);
}

/* ---- grammar ---- */

static uint64_t unary(struct parser *p);

/* One more level of recursion, or false (and an error) past the limit. */
static bool descend(struct parser *p)
{
	if (++p->depth <= MON_EXPR_MAX_DEPTH)
		return true;
	fail(p, "expression nested too deeply at column %u (at most %d levels)",
	     column(p), MON_EXPR_MAX_DEPTH);
	return false;
}

/* ( expr ) or [ expr ]: close is ')' or ']'. */
static uint64_t group(struct parser *p, char close)
{
	p->pos++;
	uint64_t v = expr(p);
	skip_space(p);
	if (p->s[p->pos] != close)
		fail(p, "expected '%c' at column %u", close, column(p));
	else
		p->pos++;
	return v;
}

static uint64_t primary(struct parser *p)
{
	skip_space(p);
	char c = p->s[p->pos];
	if (c == '(')
		return group(p, ')');
	if (c == '[') {
		static const struct ctype qword = {sizeof(uint64_t), 0, 1};
		unsigned col = column(p);
		return load(p, group(p, ']'), &qword, col);
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

/* *x, *(u32*)x: read memory at x. */
static uint64_t deref(struct parser *p)
{
	struct ctype t = {sizeof(uint64_t), false, true};
	unsigned col = column(p);
	p->pos++;
	skip_space(p);
	size_t at = p->pos;
	if (cast(p, &t) &&
	    !t.pointer) { /* *(u32)x: the cast is the operand's */
		p->pos = at;
		t = (struct ctype){sizeof(uint64_t), false, true};
	}
	uint64_t addr = unary(p);
	return load(p, addr, &t, col);
}

/* (u32)x converts; (u32*)x alone is a mistake: say how to read memory. */
static uint64_t converted(struct parser *p, const struct ctype *t, unsigned col)
{
	if (t->pointer) {
		fail(p,
		     "a pointer cast at column %u reads nothing: write "
		     "*(u%u*)addr to read memory",
		     col, t->bytes * BITS_PER_BYTE);
		return 0;
	}
	return convert(unary(p), t);
}

static uint64_t unary(struct parser *p)
{
	if (!descend(p))
		return 0;
	uint64_t v;
	struct ctype t;
	skip_space(p);
	char c = p->s[p->pos];
	unsigned col = column(p);
	if (c == '-' || c == '+' || c == '~' || c == '!') {
		p->pos++;
		v = unary(p);
		v = c == '-' ? 0 - v : c == '~' ? ~v : c == '!' ? !v : v;
	} else if (c == '*') {
		v = deref(p);
	} else if (cast(p, &t)) {
		v = converted(p, &t, col);
	} else {
		v = primary(p);
	}
	p->depth--;
	return v;
}

/* Binary operators, two-character ones before their one-character
 * prefixes; prec: higher binds tighter (C's order). */
enum binop {
	OR,
	AND,
	BOR,
	BXOR,
	BAND,
	EQ,
	NE,
	LT,
	LE,
	GT,
	GE,
	SHL,
	SHR,
	ADD,
	SUB,
	MUL,
	DIV,
	MOD
};
static const struct {
	char tok[3];
	unsigned char op, prec;
} binops[] = {
    {"||", OR, 1},  {"&&", AND, 2}, {"==", EQ, 6},  {"!=", NE, 6},
    {"<=", LE, 7},  {">=", GE, 7},  {"<<", SHL, 8}, {">>", SHR, 8},
    {"|", BOR, 3},  {"^", BXOR, 4}, {"&", BAND, 5}, {"<", LT, 7},
    {">", GT, 7},   {"+", ADD, 9},  {"-", SUB, 9},  {"*", MUL, 10},
    {"/", DIV, 10}, {"%", MOD, 10},
};

/* The binary operator at the parser's position (not consumed), or -1. */
static int peek_binop(const struct parser *p)
{
	const char *s = p->s + p->pos;
	for (unsigned i = 0; i < sizeof binops / sizeof binops[0]; i++) {
		size_t n = strlen(binops[i].tok);
		if (strncmp(s, binops[i].tok, n) == 0)
			return (int)i;
	}
	return -1;
}

static uint64_t shift(uint64_t v, uint64_t n, bool left)
{
	if (n >= 64)
		return 0;
	return left ? v << n : v >> n;
}

/* l / r or l % r; a zero divisor is an error where it is evaluated. */
static uint64_t divide(struct parser *p, uint64_t l, uint64_t r, bool mod,
		       unsigned col)
{
	if (r == 0) {
		if (!p->skip)
			fail(p, "division by zero at column %u", col);
		return 0;
	}
	return mod ? l % r : l / r;
}

static uint64_t apply(struct parser *p, unsigned op, uint64_t l, uint64_t r,
		      unsigned col)
{
	switch (op) {
	case OR:
		return l || r;
	case AND:
		return l && r;
	case BOR:
		return l | r;
	case BXOR:
		return l ^ r;
	case BAND:
		return l & r;
	case EQ:
		return l == r;
	case NE:
		return l != r;
	case LT:
		return l < r;
	case LE:
		return l <= r;
	case GT:
		return l > r;
	case GE:
		return l >= r;
	case SHL:
	case SHR:
		return shift(l, r, op == SHL);
	case ADD:
		return l + r;
	case SUB:
		return l - r;
	case MUL:
		return l * r;
	default:
		return divide(p, l, r, op == MOD, col);
	}
}

/* Precedence climbing: operands joined by operators binding at least as
 * tightly as min_prec, left to right. The right side of && (||) is parsed
 * without reads or errors of evaluation when the left is false (true). */
static uint64_t binary(struct parser *p, unsigned min_prec)
{
	if (!descend(p))
		return 0;
	uint64_t v = unary(p);
	for (;;) {
		skip_space(p);
		int i = peek_binop(p);
		if (p->failed || i < 0 || binops[i].prec < min_prec)
			break;
		unsigned op = binops[i].op, col = column(p);
		p->pos += strlen(binops[i].tok);
		bool decided = (op == AND && !v) || (op == OR && v);
		p->skip += decided;
		uint64_t r = binary(p, binops[i].prec + 1u);
		p->skip -= decided;
		v = apply(p, op, v, r, col);
	}
	p->depth--;
	return v;
}

static uint64_t expr(struct parser *p)
{
	return binary(p, 0);
}

/* Evaluate s; with check, as if on the unevaluated side of &&: no reads,
 * no division errors. */
static int evaluate(const struct mon_expr_env *env, const char *s,
		    uint64_t *val, char *err, size_t errlen, bool check)
{
	static const struct mon_expr_env no_env;
	struct parser p = {.env = env ? env : &no_env,
			   .s = s,
			   .skip = check,
			   .err = err,
			   .errlen = errlen};
	uint64_t v = expr(&p);
	skip_space(&p);
	if (!p.failed && p.s[p.pos] != '\0')
		fail_unexpected(&p);
	if (p.failed)
		return -1;
	*val = v;
	return 0;
}

int mon_expr_eval(const struct mon_expr_env *env, const char *s, uint64_t *val,
		  char *err, size_t errlen)
{
	return evaluate(env, s, val, err, errlen, false);
}

int mon_expr_check(const struct mon_expr_env *env, const char *s, char *err,
		   size_t errlen)
{
	uint64_t v;
	return evaluate(env, s, &v, err, errlen, true);
}
