/* test_insn_call.c — call lengths for `n`, on encodings GCC emitted in this
 * kernel and its user programs (bytes and lengths as objdump -d printed
 * them) and on instructions that are not calls. */
#include <stdio.h>
#include <string.h>

#include "kernel/debug/insn_call.h"
#include "tests/unit/harness.h"

struct insn {
	const char
	    *text; /* objdump's text: the truth this row was taken from */
	uint8_t bytes[INSN_MAX_LEN];
	unsigned len;  /* the instruction's length */
	unsigned call; /* what insn_call_len must say: len for calls, else 0 */
};

#define CALL(t, l, ...)                                                        \
	{                                                                      \
		t, {__VA_ARGS__}, l, l                                         \
	}
#define OTHER(t, l, ...)                                                       \
	{                                                                      \
		t, {__VA_ARGS__}, l, 0                                         \
	}

static const struct insn insns[] = {
    CALL("call ffffffff8000009a <build_boot_tables>", 5, 0xe8, 0x27, 0, 0, 0),
    CALL("call *(%r15)", 3, 0x41, 0xff, 0x17),
    CALL("call *-0x60(%rbp)", 3, 0xff, 0x55, 0xa0),
    CALL("call *%r15", 3, 0x41, 0xff, 0xd7),
    CALL("call *(%rax)", 2, 0xff, 0x10),
    CALL("call *%rax", 2, 0xff, 0xd0),
    CALL("call *-0x7ffcef98(%rax)", 6, 0xff, 0x90, 0x68, 0x10, 0x03, 0x80),
    CALL("call *0x10(%r15)", 4, 0x41, 0xff, 0x57, 0x10),
    CALL("call *(%r12)", 4, 0x41, 0xff, 0x14, 0x24),
    CALL("call *0x10(%r12)", 5, 0x41, 0xff, 0x54, 0x24, 0x10),
    CALL("call *0x50357(%rip)", 6, 0xff, 0x15, 0x57, 0x03, 0x05, 0x00),
    CALL("call *0x404ba8(%rax)", 6, 0xff, 0x90, 0xa8, 0x4b, 0x40, 0x00),
    CALL("call *0x402300(,%rax,8)", 7, 0xff, 0x14, 0xc5, 0x00, 0x23, 0x40,
	 0x00),
    CALL("call *0x1000", 7, 0xff, 0x14, 0x25, 0x00, 0x10, 0x00, 0x00),
    CALL("call *0x8(%rbp,%r12,1)", 5, 0x42, 0xff, 0x54, 0x25, 0x08),
    CALL("notrack call *%rax", 3, 0x3e, 0xff, 0xd0),
    CALL("lcall *(%rax)", 2, 0xff, 0x18),
    CALL("call *0x12345678(%rax,%rbx,4)", 7, 0xff, 0x94, 0x98, 0x78, 0x56, 0x34,
	 0x12),
    OTHER("jmp *%rax", 2, 0xff, 0xe0),
    OTHER("jmp *-0x7ffd6580(,%r13,8)", 8, 0x42, 0xff, 0x24, 0xed, 0x80, 0x9a,
	  0x02, 0x80),
    OTHER("jmp ffffffff8000016c <boot_fail>", 5, 0xe9, 0xdc, 0, 0, 0),
    OTHER("push %rbp", 1, 0x55),
    OTHER("push 0x8(%rax)", 3, 0xff, 0x70, 0x08),
    OTHER("inc %eax", 2, 0xff, 0xc0),
    OTHER("ret", 1, 0xc3),
    OTHER("mov %rsp,%rbp", 3, 0x48, 0x89, 0xe5),
    OTHER("syscall", 2, 0x0f, 0x05),
};

static void test_objdump_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof insns / sizeof insns[0]; i++) {
		const struct insn *t = &insns[i];
		unsigned got = insn_call_len(t->bytes, INSN_MAX_LEN);
		if (got != t->call)
			fail_msg("'%s': %u, want %u", t->text, got, t->call);
		/* exactly the instruction's bytes are enough */
		if (t->call && insn_call_len(t->bytes, t->len) != t->len)
			fail_msg("'%s' in its own %u bytes", t->text, t->len);
	}
}

/* A buffer that ends inside the call (the next page unreadable) is not a
 * call whose return address is known. */
static void test_truncated(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof insns / sizeof insns[0]; i++)
		for (unsigned n = 0; n < insns[i].len; n++)
			if (insn_call_len(insns[i].bytes, n) != 0)
				fail_msg("'%s' cut to %u bytes", insns[i].text,
					 n);
}

/* Prefixes beyond 15 bytes: not an instruction. */
static void test_too_long(void **state)
{
	(void)state;
	uint8_t b[20];
	memset(b, 0x66, sizeof b);
	b[14] = 0xe8;
	assert_int_equal(insn_call_len(b, sizeof b), 0);
	b[10] = 0xe8;
	assert_int_equal(insn_call_len(b, sizeof b), 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_objdump_encodings),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
