/* mon_expr.h — monitor expressions: numbers, symbols, $regs, C operators,
 * memory dereference. */
#ifndef KERNEL_DEBUG_MON_EXPR_H
#define KERNEL_DEBUG_MON_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MON_EXPR_ERR_MAX 128 /* room for an error message, NUL included */
/* Recursion depth: each parenthesis, unary operator and step up the
 * operator precedence counts one level, of about 100 bytes of stack (which
 * may be a small double-fault stack). */
#define MON_EXPR_MAX_DEPTH 32

/* Lookup hooks: store the value of name (a NUL-terminated identifier; for a
 * register the name without the '$') in *val and return true, or return
 * false when there is no such name. */
typedef bool (*mon_lookup_fn)(void *ctx, const char *name, uint64_t *val);

/* Memory hook for *addr and [addr]: copy len (1-8) bytes at addr into buf
 * and return true, or return false when they cannot all be read. It must
 * never fault (the kernel's reads memory through the debug core). */
typedef bool (*mon_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct mon_expr_env {
	mon_lookup_fn sym; /* NULL: the kernel's symbol table (ksym_find) */
	void *sym_ctx;
	mon_lookup_fn reg; /* NULL: no stopped frame, $names are an error */
	void *reg_ctx;
	mon_read_fn read; /* NULL: no memory, dereferences are an error */
	void *read_ctx;
};

/* Evaluate s with unsigned 64-bit wraparound arithmetic.
 *   numbers:   decimal 1234, hex 0x4d2, binary 0b10; '_' separators ignored
 *   names:     kernel symbols (letters, digits, '_', '.'), $reg registers
 *   memory:    *addr and [addr] read 8 bytes; *(u8*)addr .. *(u64*)addr
 *              (s8..s64: sign-extended) read 1, 2, 4 or 8, little-endian
 *   casts:     (u8)x .. (u64)x truncate, (s8)x .. (s64)x sign-extend
 *   operators: C's, with C's precedence, from the loosest:
 *              || && | ^ & (== !=) (< <= > >=) (<< >>) (+ -) (* / %),
 *              unary - + ~ ! *; comparisons are unsigned and give 0 or 1,
 *              && and || do not evaluate (read) their right side when the
 *              left decides, a shift by 64 or more gives 0
 * Returns 0 with the value in *val, or -1 with a message in err (errlen
 * bytes, e.g. "unknown symbol 'foo'", "expected ')' at column 7"). */
int mon_expr_eval(const struct mon_expr_env *env, const char *s, uint64_t *val,
		  char *err, size_t errlen);

/* Check s as mon_expr_eval would, without reading memory or dividing
 * (a condition to evaluate later): syntax, symbols and registers. */
int mon_expr_check(const struct mon_expr_env *env, const char *s, char *err,
		   size_t errlen);

/* Parse a whole string as one number in the syntax above (no symbols, no
 * operators); false if it is not one. */
bool mon_parse_number(const char *s, size_t len, uint64_t *val);

#endif
