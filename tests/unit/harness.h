/* harness.h — host-side stand-ins for kernel services used by unit tests. */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* panic() on the host: if a test armed EXPECT_PANIC, jump back to it with
 * the message in harness_panic_msg; otherwise the test fails loudly. */
extern jmp_buf *harness_panic_jmp;
extern char harness_panic_msg[512];

/* Run stmt, and assert that it panics with a message containing substr. */
#define EXPECT_PANIC(stmt, substr)                                             \
	do {                                                                   \
		jmp_buf jb_;                                                   \
		harness_panic_jmp = &jb_;                                      \
		if (setjmp(jb_) == 0) {                                        \
			stmt;                                                  \
			harness_panic_jmp = NULL;                              \
			fail_msg("expected a panic containing '%s'", substr);  \
		}                                                              \
		harness_panic_jmp = NULL;                                      \
		if (!strstr(harness_panic_msg, substr))                        \
			fail_msg("panic message '%s' lacks '%s'",              \
				 harness_panic_msg, substr);                   \
	} while (0)

/* printk on the host appends to this buffer (and is silent). */
extern char harness_printk_buf[65536];
extern size_t harness_printk_len;
void harness_printk_reset(void);

#endif
