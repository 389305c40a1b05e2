/* ktest.h — in-kernel tests selected by `test=<name>`, and QEMU's isa-debug-exit verdicts. */
#ifndef KERNEL_KTESTS_KTEST_H
#define KERNEL_KTESTS_KTEST_H

#include <stdbool.h>

/* Values written to the isa-debug-exit port; QEMU exits with (v << 1) | 1. */
#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10      /* exit status 33 */
#define QEMU_EXIT_FAIL 0x11      /* exit status 35 */
#define QEMU_EXIT_DIAGNOSED 0x12 /* exit status 37: fault diagnosed, stopped */

struct ktest {
	const char *name;
	const char *help;
	void (*fn)(void); /* returns = pass; ktest_fail() = fail */
};

#define KTEST(id, help_text)                                                 \
	static void ktest_fn_##id(void);                                     \
	__attribute__((used, section("ktests"), aligned(8))) static const struct \
		ktest ktest_entry_##id = {#id, help_text, ktest_fn_##id};     \
	static void ktest_fn_##id(void)

/* Run the test named by the command line (if any); never returns then. */
void ktest_run(const char *name);
bool ktest_active(void);
__attribute__((noreturn, format(printf, 1, 2))) void ktest_fail(const char *fmt, ...);
/* Leave QEMU with a verdict (no effect without isa-debug-exit: halts). */
__attribute__((noreturn)) void qemu_exit(unsigned code);

#endif
