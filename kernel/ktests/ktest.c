/* ktest.c — finds and runs the in-kernel test named on the command line,
 * reports the verdict. */
#include <stdarg.h>

#include "kernel/debug/debug.h"
#include "kernel/ktests/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

extern const struct ktest __start_ktests[], __stop_ktests[];

void ktest_fail(const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printk("ktest: FAIL: %s\n", msg);
	qemu_exit(QEMU_EXIT_FAIL);
}

static void ktest_list(void)
{
	printk("ktest: available tests:\n");
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++)
		printk("  %-16s %s\n", t->name, t->help);
}

void ktest_run(const char *name)
{
	if (!strcmp(name, "list")) {
		/* Asked for: a success; without the exit device the boot
		 * goes on. */
		ktest_list();
		qemu_exit_try(QEMU_EXIT_PASS);
		return;
	}
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (strcmp(t->name, name) != 0)
			continue;
		debug_set_under_test();
		printk("ktest: running '%s'\n", t->name);
		t->fn();
		printk("ktest: PASS: %s\n", t->name);
		qemu_exit(QEMU_EXIT_PASS);
	}
	ktest_list();
	ktest_fail("no test called '%s'", name);
}
