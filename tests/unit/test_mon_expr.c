/* test_mon_expr.c — expression evaluator tests, checked against C itself
 * (operators, precedence, conversions) and a fake memory. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/mon_expr.h"
#include "kernel/ksyms.h"
#include "tests/unit/harness.h"

/* Symbols for kernel/ksyms.c: sorted, ending at _kernel_end, all below the
 * host address of _kernel_end[] in case the lookup bounds by that. */
const struct ksym ksyms_table[] = {
    {0x1000, "_start"},	     {0x1100, "kmain"},	   {0x1200, "foo.cold"},
    {0x1300, "deadbeef_ok"}, {0x1400, "x86_init"}, {0x2000, "_kernel_end"},
};
const unsigned long ksyms_count = sizeof ksyms_table / sizeof ksyms_table[0];
char _kernel_start[1], _kernel_end[1];

static const uint64_t RIP = 0xffffffff80101234ull, RSP = 0xffff800000fff000ull;

static bool fake_reg(void *ctx, const char *name, uint64_t *val)
{
	assert_string_equal((const char *)ctx, "frame");
	if (strcmp(name, "rip") == 0)
		*val = RIP;
	else if (strcmp(name, "rsp") == 0)
		*val = RSP;
	else if (strcmp(name, "rax") == 0)
		*val = 5;
	else
		return false;
	return true;
}

/* Fake memory: MEM_SIZE bytes at MEM_BASE, byte i = MEM_BYTE(i); reads
 * elsewhere fail. Every read is counted. */
#define MEM_BASE 0x7000u
#define MEM_SIZE 256u
#define MEM_BYTE(i) ((uint8_t)((i)*37u + 0x81u))
static unsigned reads;

static bool fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	assert_string_equal((const char *)ctx, "memory");
	assert_true(len >= 1 && len <= 8);
	reads++;
	if (addr < MEM_BASE || addr + len > MEM_BASE + MEM_SIZE)
		return false;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = MEM_BYTE(addr - MEM_BASE + i);
	return true;
}

/* The little-endian value of n bytes of fake memory at offset off. */
static uint64_t mem_value(unsigned off, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | MEM_BYTE(off + i);
	return v;
}

static const struct mon_expr_env ENV = {.reg = fake_reg,
					.reg_ctx = (void *)"frame",
					.read = fake_read,
					.read_ctx = (void *)"memory"};

static char err[MON_EXPR_ERR_MAX];

static uint64_t eval_ok(const char *s)
{
	uint64_t v = 0xabababab;
	err[0] = '\0';
	int r = mon_expr_eval(&ENV, s, &v, err, sizeof err);
	if (r != 0)
		fail_msg("'%s' failed: %s", s, err);
	return v;
}

/* Evaluate s, expecting an error message containing want. */
static void eval_err(const char *s, const char *want)
{
	uint64_t v = 0x1234;
	err[0] = '\0';
	assert_int_equal(mon_expr_eval(&ENV, s, &v, err, sizeof err), -1);
	assert_int_equal(v, 0x1234); /* untouched on error */
	if (!strstr(err, want))
		fail_msg("'%s': error '%s' lacks '%s'", s, err, want);
}

static void test_numbers(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("0"), 0);
	assert_int_equal(eval_ok("1234"), 1234);
	assert_int_equal(eval_ok("0x4d2"), 1234);
	assert_int_equal(eval_ok("0X4D2"), 1234);
	assert_int_equal(eval_ok("0b10011010010"), 1234);
	assert_int_equal(eval_ok("1_234"), 1234);
	assert_int_equal(eval_ok("0xffff_ffff_8010_0000"),
			 0xffffffff80100000ull);
	assert_int_equal(eval_ok("18446744073709551615"), UINT64_MAX);
	assert_int_equal(eval_ok("0xffffffffffffffff"), UINT64_MAX);
	assert_int_equal(eval_ok("010"), 10); /* decimal: no octal surprise */
	eval_err("18446744073709551616", "does not fit in 64 bits");
	eval_err("0x1_0000_0000_0000_0000", "does not fit in 64 bits");
	eval_err("0xzz", "bad number '0xzz'");
	eval_err("0x", "bad number '0x'");
	eval_err("0b102", "bad number '0b102'");
	eval_err("12abc", "bad number '12abc'");
	eval_err("0x_", "bad number '0x_'");
	assert_int_equal(eval_ok("1_"), 1); /* separators anywhere */
}

static void test_parse_number(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_true(mon_parse_number("0x10", 4, &v));
	assert_int_equal(v, 16);
	assert_true(mon_parse_number("0x10zz", 4, &v)); /* only len counts */
	assert_false(mon_parse_number("", 0, &v));
	assert_false(mon_parse_number("kmain", 5, &v));
}

static void test_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("1+2*3"), 7);
	assert_int_equal(eval_ok("(1+2)*3"), 9);
	assert_int_equal(eval_ok("10-3-2"), 5); /* left to right */
	assert_int_equal(eval_ok("2*3*4-1"), 23);
	assert_int_equal(eval_ok(" 1 +\t2 "), 3);
	assert_int_equal(eval_ok("-1"), UINT64_MAX);
	assert_int_equal(eval_ok("--5"), 5);
	assert_int_equal(eval_ok("+5"), 5);
	assert_int_equal(eval_ok("2*-3"), (uint64_t)-6);
	assert_int_equal(eval_ok("-(2+3)*2"), (uint64_t)-10);
	assert_int_equal(eval_ok("0xffffffffffffffff+2"), 1); /* wraps */
	assert_int_equal(eval_ok("0x8000000000000000*2"), 0);
	assert_int_equal(eval_ok("0-1"), UINT64_MAX);
	assert_int_equal(eval_ok("((((7))))"), 7);
}

/* ---- random expressions, their value computed by C on uint64_t ---- */

static unsigned rng = 12345;

static unsigned rnd(unsigned n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) % n;
}

/* Print v as decimal, hex or binary (with '_' sometimes) at buf+*n. */
static void put_number(char *buf, size_t *n, uint64_t v)
{
	char digits[160];
	int k = 0, base = (int[]){10, 16, 2}[rnd(3)];
	do {
		if (k > 0 && rnd(8) == 0)
			digits[k++] = '_';
		digits[k++] = "0123456789abcdef"[v % (uint64_t)base];
		v /= (uint64_t)base;
	} while (v);
	if (base != 10)
		*n += (size_t)sprintf(buf + *n, base == 16 ? "0x" : "0b");
	while (k)
		buf[(*n)++] = digits[--k];
}

/* The binary operators, and C's value for each (unsigned 64-bit). */
static const char *const OPS[] = {
    "+", "-",  "*",  "/", "%",	"<<", ">>", "&",  "|",
    "^", "==", "!=", "<", "<=", ">",  ">=", "&&", "||"};

static uint64_t c_binop(const char *op, uint64_t l, uint64_t r)
{
	if (!strcmp(op, "+"))
		return l + r;
	if (!strcmp(op, "-"))
		return l - r;
	if (!strcmp(op, "*"))
		return l * r;
	if (!strcmp(op, "/"))
		return l / r;
	if (!strcmp(op, "%"))
		return l % r;
	if (!strcmp(op, "<<"))
		return r >= 64 ? 0 : l << r;
	if (!strcmp(op, ">>"))
		return r >= 64 ? 0 : l >> r;
	if (!strcmp(op, "&"))
		return l & r;
	if (!strcmp(op, "|"))
		return l | r;
	if (!strcmp(op, "^"))
		return l ^ r;
	if (!strcmp(op, "=="))
		return l == r;
	if (!strcmp(op, "!="))
		return l != r;
	if (!strcmp(op, "<"))
		return l < r;
	if (!strcmp(op, "<="))
		return l <= r;
	if (!strcmp(op, ">"))
		return l > r;
	if (!strcmp(op, ">="))
		return l >= r;
	if (!strcmp(op, "&&"))
		return l && r;
	return l || r;
}

/* C's conversion of v to an n-byte unsigned or signed integer, widened
 * back to uint64_t. */
static uint64_t c_convert(uint64_t v, unsigned n, bool is_signed)
{
	switch (n * 2 + is_signed) {
	case 2:
		return (uint8_t)v;
	case 3:
		return (uint64_t)(int64_t)(int8_t)v;
	case 4:
		return (uint16_t)v;
	case 5:
		return (uint64_t)(int64_t)(int16_t)v;
	case 8:
		return (uint32_t)v;
	case 9:
		return (uint64_t)(int64_t)(int32_t)v;
	default:
		return v;
	}
}

static uint64_t gen(char *buf, size_t *n, int depth);

/* A read of fake memory in one of the forms, its value from mem_value. */
static uint64_t gen_load(char *buf, size_t *n)
{
	unsigned width = 1u << rnd(4), off = rnd(MEM_SIZE - width + 1);
	bool sgn = rnd(2);
	switch (rnd(3)) {
	case 0:
		width = 8, off = rnd(MEM_SIZE - 7), sgn = false;
		*n += (size_t)sprintf(buf + *n, "[0x%x + %u]", MEM_BASE, off);
		break;
	case 1:
		width = 8, off = rnd(MEM_SIZE - 7), sgn = false;
		*n += (size_t)sprintf(buf + *n, "*(%u+0x%x)", off, MEM_BASE);
		break;
	default:
		*n +=
		    (size_t)sprintf(buf + *n, "*( %c%u * ) (0x%x+%u)",
				    sgn ? 's' : 'u', width * 8, MEM_BASE, off);
	}
	return c_convert(mem_value(off, width), width, sgn);
}

/* A unary operator or a value cast applied to a random operand. */
static uint64_t gen_unary(char *buf, size_t *n, int depth)
{
	unsigned k = rnd(4), width = 1u << rnd(4);
	bool sgn = rnd(2);
	if (k == 0)
		buf[(*n)++] = '~';
	else if (k == 1)
		buf[(*n)++] = '!';
	else
		*n += (size_t)sprintf(buf + *n, "(%c%u)", sgn ? 's' : 'u',
				      width * 8);
	uint64_t v = gen(buf, n, depth + 1);
	return k == 0 ? ~v : k == 1 ? !v : c_convert(v, width, sgn);
}

/* Write a random expression at buf+*n and return its value. */
static uint64_t gen(char *buf, size_t *n, int depth)
{
	unsigned pick = depth > 4 ? rnd(3) : rnd(10);
	uint64_t v, r;
	switch (pick) {
	case 0: /* number: small or any 64-bit */
		v = rnd(2)
			? rnd(1000)
			: ((uint64_t)rnd(1u << 16) << 48) ^
			      ((uint64_t)rnd(1u << 16) << 24) ^ rnd(1u << 16);
		put_number(buf, n, v);
		return v;
	case 1: { /* symbol */
		const struct ksym *s = &ksyms_table[rnd(ksyms_count)];
		*n += (size_t)sprintf(buf + *n, "%s", s->name);
		return s->addr;
	}
	case 2: /* register */
		*n += (size_t)sprintf(buf + *n, rnd(2) ? "$rip" : "$rsp");
		return buf[*n - 2] == 'i' ? RIP : RSP;
	case 3: /* unary minus */
		buf[(*n)++] = '-';
		return 0 - gen(buf, n, depth + 1);
	case 4: /* memory: [a], *a, *(uN*)a, *(sN*)a inside the fake */
		return gen_load(buf, n);
	case 5: /* ~a, !a, (uN)a, (sN)a */
		return gen_unary(buf, n, depth);
	default: { /* ( a op b ) */
		char right[1 << 15];
		size_t rn = 0;
		buf[(*n)++] = '(';
		v = gen(buf, n, depth + 1);
		r = gen(right, &rn, depth + 1);
		const char *op = OPS[rnd(sizeof OPS / sizeof OPS[0])];
		if (r == 0 && (!strcmp(op, "/") || !strcmp(op, "%")))
			op = "^";
		*n += (size_t)sprintf(buf + *n, rnd(2) ? " %s " : "%s", op);
		memcpy(buf + *n, right, rn);
		*n += rn;
		buf[(*n)++] = ')';
		return c_binop(op, v, r);
	}
	}
}

static void test_random_expressions(void **state)
{
	(void)state;
	static char buf[1 << 16];
	for (int i = 0; i < 20000; i++) {
		size_t n = 0;
		uint64_t want = gen(buf, &n, 0);
		buf[n] = '\0';
		uint64_t got = eval_ok(buf);
		if (got != want)
			fail_msg("'%s' = 0x%lx, C says 0x%lx", buf,
				 (unsigned long)got, (unsigned long)want);
	}
}

/* Unparenthesised sums of products: checks precedence and associativity. */
static void test_random_precedence(void **state)
{
	(void)state;
	char buf[4096];
	for (int i = 0; i < 20000; i++) {
		size_t n = 0;
		uint64_t sum = 0;
		int terms = 1 + (int)rnd(5);
		for (int t = 0; t < terms; t++) {
			char op = t == 0 ? (rnd(4) ? '+' : '-') : "+-"[rnd(2)];
			if (t > 0 || op == '-')
				buf[n++] = op;
			uint64_t prod = 1;
			int factors = 1 + (int)rnd(3);
			for (int f = 0; f < factors; f++) {
				if (f > 0)
					buf[n++] = '*';
				uint64_t v = rnd(3) ? rnd(100000) : 0 - rnd(9);
				put_number(buf, &n, v);
				prod *= v;
			}
			sum = op == '+' ? sum + prod : sum - prod;
		}
		buf[n] = '\0';
		uint64_t got = eval_ok(buf);
		if (got != sum)
			fail_msg("'%s' = 0x%lx, C says 0x%lx", buf,
				 (unsigned long)got, (unsigned long)sum);
	}
}

/* Unparenthesised expressions mixing every precedence level, each also
 * compiled as C: the compiler is the truth (values stay small and
 * non-negative where C's int arithmetic would differ). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wparentheses" /* the point of the table */
#define C_CASE(e)                                                              \
	{                                                                      \
#e, (uint64_t)(e)                                              \
	}
static const struct {
	const char *s;
	uint64_t v;
} c_cases[] = {
    C_CASE(1 + 2 * 3 << 2 | 5 & 3 ^ 7),
    C_CASE(100 / 7 % 4 * 3 + 1),
    C_CASE(1 << 4 >> 2 << 1),
    C_CASE(5 > 3 == 1),
    C_CASE(2 + 3 == 5 && 4 < 3 || 7 >= 7),
    C_CASE(1 | 2 ^ 3 & 4),
    C_CASE(6 & 3 == 3),
    C_CASE(0x10 >> 1 + 1),
    C_CASE(8 - 2 - 1 != 5 - 0),
    C_CASE(3 < 4 < 5),
    C_CASE(9 >= 9 > 0 <= 1),
    C_CASE(1 || 0 && 0),
    C_CASE((1 || 0) && 0),
    C_CASE(~0 & 0xff),
    C_CASE(!5 + !0 * 2),
    C_CASE(- -3 * 2 + 10),
    C_CASE(0xf0 | 0x0f ^ 0xff & 0x3c),
    C_CASE(7 % 3 << 2 % 3),
    C_CASE(1 + 2 < 3 + 4 != 0 | 8),
    C_CASE(100 - 10 * 3 / 2 % 7 >> 1 & 15),
    C_CASE(5 & 4 && 2 | 1 ^ 3),
    C_CASE(12 / 4 / 3),
    C_CASE(2 * 3 % 4),
    C_CASE(0 < 1 == 1 > 0 & 1),
};
#pragma GCC diagnostic pop

static void test_c_precedence(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof c_cases / sizeof c_cases[0]; i++) {
		uint64_t got = eval_ok(c_cases[i].s);
		if (got != c_cases[i].v)
			fail_msg("'%s' = 0x%lx, C says 0x%lx", c_cases[i].s,
				 (unsigned long)got,
				 (unsigned long)c_cases[i].v);
	}
}

static void test_memory(void **state)
{
	(void)state;
	char s[64];
	sprintf(s, "*0x%x", MEM_BASE + 3);
	assert_int_equal(eval_ok(s), mem_value(3, 8));
	sprintf(s, "[0x%x]+1", MEM_BASE);
	assert_int_equal(eval_ok(s), mem_value(0, 8) + 1);
	sprintf(s, "*(u16*)0x%x", MEM_BASE + 1);
	assert_int_equal(eval_ok(s), mem_value(1, 2));
	sprintf(s, "*(s8*)0x%x", MEM_BASE); /* 0x81: negative */
	assert_int_equal(eval_ok(s), (uint64_t)(int64_t)(int8_t)MEM_BYTE(0));
	sprintf(s, "**(u8*)0x%x", MEM_BASE); /* 8 bytes at 0x81: unmapped */
	eval_err(s, "cannot read 8 bytes at 0x81 (column 1)");
	eval_err("*(u32*)0x10", "cannot read 4 bytes at 0x10");
	eval_err("*(u32*)0x10", "'x 0x10' says why");
	sprintf(s, "*(u32*)0x%x", MEM_BASE + MEM_SIZE - 2); /* runs off */
	eval_err(s, "cannot read 4 bytes");
	/* [rsp]-style: a register as the address */
	assert_int_equal(eval_ok("(u8)$rax"), 5);
	struct mon_expr_env no_mem = ENV;
	no_mem.read = NULL;
	uint64_t v;
	assert_int_equal(mon_expr_eval(&no_mem, "1 + [8]", &v, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "no memory here to read at column 5"));
}

/* && and || leave their right side unevaluated when the left decides:
 * no reads, and no error from an unreadable address or a zero divisor. */
static void test_short_circuit(void **state)
{
	(void)state;
	reads = 0;
	assert_int_equal(eval_ok("0 && *0"), 0);
	assert_int_equal(eval_ok("1 || [0]"), 1);
	assert_int_equal(eval_ok("0 && 1/0"), 0);
	assert_int_equal(eval_ok("$rax == 5 || *(u64*)0 == 7 / 0"), 1);
	assert_int_equal(eval_ok("0 && (1 || *0)"), 0);
	assert_int_equal(reads, 0);
	eval_err("1 && *0", "cannot read 8 bytes at 0x0");
	eval_err("0 || 1/0", "division by zero");
	assert_int_equal(reads, 1);
	char s[64];
	sprintf(s, "$rax != 0 && *(u8*)0x%x == 0x81", MEM_BASE);
	assert_int_equal(eval_ok(s), 1);
	assert_int_equal(reads, 2);
	/* a name is still looked up on the skipped side: a typo is an error */
	eval_err("0 && nosuch", "unknown symbol 'nosuch'");
}

/* A condition checked when a breakpoint is set, evaluated at its hits. */
static void test_check(void **state)
{
	(void)state;
	reads = 0;
	assert_int_equal(
	    mon_expr_check(&ENV, "*$rsp == 1/0 || [0]", err, sizeof err), 0);
	assert_int_equal(reads, 0);
	assert_int_equal(mon_expr_check(&ENV, "$rip == kmain", err, sizeof err),
			 0);
	assert_int_equal(mon_expr_check(&ENV, "$rdi == 1", err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "unknown register '$rdi'"));
	assert_int_equal(mon_expr_check(&ENV, "kmian + 1", err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "unknown symbol 'kmian'"));
	assert_int_equal(mon_expr_check(&ENV, "(1 + ", err, sizeof err), -1);
}

static void test_symbols(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("kmain"), 0x1100);
	assert_int_equal(eval_ok("kmain+0x10"), 0x1110);
	assert_int_equal(eval_ok("foo.cold - _start"), 0x200);
	assert_int_equal(eval_ok("x86_init"), 0x1400);
	assert_int_equal(eval_ok("deadbeef_ok"), 0x1300);
	eval_err("nosuch", "unknown symbol 'nosuch'");
	eval_err("kmain + nosuch * 2", "unknown symbol 'nosuch'");
	eval_err("deadbeef", "unknown symbol 'deadbeef'");
	eval_err("deadbeef", "0xdeadbeef"); /* the hint for hex */
	char longname[300];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	eval_err(longname, "too long");
	assert_true(strlen(err) < sizeof err);
}

static bool custom_sym(void *ctx, const char *name, uint64_t *val)
{
	*(int *)ctx += 1;
	if (strcmp(name, "answer") != 0)
		return false;
	*val = 42;
	return true;
}

static void test_symbol_hook_and_no_env(void **state)
{
	(void)state;
	int calls = 0;
	struct mon_expr_env env = {.sym = custom_sym, .sym_ctx = &calls};
	uint64_t v = 0;
	assert_int_equal(mon_expr_eval(&env, "answer*2", &v, err, sizeof err),
			 0);
	assert_int_equal(v, 84);
	assert_int_equal(calls, 1);
	assert_int_equal(mon_expr_eval(&env, "kmain", &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown symbol 'kmain'"));
	/* no env at all: kernel symbols, no registers */
	assert_int_equal(mon_expr_eval(NULL, "kmain+1", &v, err, sizeof err),
			 0);
	assert_int_equal(v, 0x1101);
	assert_int_equal(mon_expr_eval(NULL, "$rip", &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "'$rip' needs a stopped frame"));
}

static void test_registers(void **state)
{
	(void)state;
	assert_int_equal(eval_ok("$rip"), RIP);
	assert_int_equal(eval_ok("$rip+4"), RIP + 4);
	assert_int_equal(eval_ok("$rsp - 8*$rax"), RSP - 40);
	eval_err("$rxx", "unknown register '$rxx'");
	eval_err("$", "expected a register name after '$' at column 2");
	eval_err("1+$+2", "expected a register name after '$' at column 4");
}

static void test_errors(void **state)
{
	(void)state;
	eval_err("(1+2*3", "expected ')' at column 7");
	eval_err("(1+2", "expected ')' at column 5");
	eval_err("1 +", "at column 4");
	eval_err("1 +", "end of expression");
	eval_err("", "at column 1");
	eval_err("1 2", "unexpected '2' at column 3");
	eval_err("1)", "unexpected ')' at column 2");
	eval_err("3@4", "unexpected '@' at column 2");
	eval_err("3 / 0", "division by zero at column 3");
	eval_err("1 + 7 % (2 - 2)", "division by zero at column 7");
	eval_err("1 <", "end of expression");
	eval_err("[1", "expected ']' at column 3");
	eval_err("*(u32*)", "end of expression");
	eval_err("(u32*)5", "write *(u32*)addr to read memory");
	eval_err("(u12)5", "unknown symbol 'u12'");
	eval_err("1+\x01", "unexpected byte 0x01 at column 3");
	eval_err("12.5", "unexpected '.' at column 3");
	char deep[200];
	memset(deep, '(', 100);
	strcpy(deep + 100, "1");
	eval_err(deep, "nested too deeply");
	memset(deep, '-', 100);
	eval_err(deep, "nested too deeply");
	char longnum[200];
	memset(longnum, '7', sizeof longnum - 2);
	longnum[sizeof longnum - 2] = 'z';
	longnum[sizeof longnum - 1] = '\0';
	eval_err(longnum, "...'"); /* the token is shortened in the message */
}

static void test_small_error_buffer(void **state)
{
	(void)state;
	char small[8];
	uint64_t v;
	memset(small, 'x', sizeof small);
	assert_int_equal(
	    mon_expr_eval(&ENV, "nosuchsymbol", &v, small, sizeof small), -1);
	assert_int_equal(small[7], '\0');
	assert_string_equal(small, "unknown");
	assert_int_equal(mon_expr_eval(&ENV, "nosuch", &v, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_parse_number),
	    cmocka_unit_test(test_arithmetic),
	    cmocka_unit_test(test_random_expressions),
	    cmocka_unit_test(test_random_precedence),
	    cmocka_unit_test(test_c_precedence),
	    cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_short_circuit),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_symbols),
	    cmocka_unit_test(test_symbol_hook_and_no_env),
	    cmocka_unit_test(test_registers),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_small_error_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
