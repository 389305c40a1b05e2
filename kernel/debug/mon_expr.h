/* mon_expr.h — monitor expressions: numbers, symbols, $regs, + - * ( ). */
#ifndef KERNEL_DEBUG_MON_EXPR_H
#define KERNEL_DEBUG_MON_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MON_EXPR_ERR_MAX 128 /* room for an error message, NUL included */
/* Nesting of parentheses and unary operators; each level costs about 150
 * bytes of stack, which may be a small double-fault stack. */
#define MON_EXPR_MAX_DEPTH 16

/* Lookup hooks: store the value of name (a NUL-terminated identifier; for a
 * register the name without the '$') in *val and return true, or return
 * false when there is no such name. */
typedef bool (*mon_lookup_fn)(void *ctx, const char *name, uint64_t *val);

struct mon_expr_env {
	mon_lookup_fn sym; /* NULL: the kernel's symbol table (ksym_find) */
	void *sym_ctx;
	mon_lookup_fn reg; /* NULL: no stopped frame, $names are an error */
	void *reg_ctx;
};

/* Evaluate s with 64-bit wraparound arithmetic.
 *   numbers:   decimal 1234, hex 0x4d2, binary 0b10; '_' separators ignored
 *   names:     kernel symbols (letters, digits, '_', '.'), $reg registers
 *   operators: + - * with the usual precedence, unary - and +, ( )
 * Returns 0 with the value in *val, or -1 with a message in err (errlen
 * bytes, e.g. "unknown symbol 'foo'", "expected ')' at column 7"). */
int mon_expr_eval(const struct mon_expr_env *env, const char *s, uint64_t *val,
		  char *err, size_t errlen);

/* Parse a whole string as one number in the syntax above (no symbols, no
 * operators); false if it is not one. */
bool mon_parse_number(const char *s, size_t len, uint64_t *val);

#endif
