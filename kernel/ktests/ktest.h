/* ktest.h — in-kernel tests selected by `test=<name>`; verdicts through QEMU's
 * isa-debug-exit. */
#ifndef KERNEL_KTESTS_KTEST_H
#define KERNEL_KTESTS_KTEST_H

#include <stdbool.h>

#include "drivers/qemu_exit.h"

struct ktest {
	const char *name;
	const char *help;
	void (*fn)(void); /* returns = pass; ktest_fail() = fail */
};

#define KTEST(id, help_text)                                                   \
	static void ktest_fn_##id(void);                                       \
	__attribute__((                                                        \
	    used, section("ktests"),                                           \
	    aligned(8))) static const struct ktest ktest_entry_##id = {        \
	    #id, help_text, ktest_fn_##id};                                    \
	static void ktest_fn_##id(void)

/* Run the test named by the command line (if any); never returns then,
 * except for "list", which lists them and passes (the boot goes on
 * when there is no exit device). A kernel built without the tests links
 * ktest_off.c instead, whose ktest_run says so and returns. */
void ktest_run(const char *name);
__attribute__((noreturn, format(printf, 1, 2))) void ktest_fail(const char *fmt,
								...);

#endif
