/* ktest_off.c — test= on a kernel built without its in-kernel tests: say so and
 * boot on. */
#include "kernel/ktests/ktest.h"
#include "kernel/printk.h"

void ktest_run(const char *name)
{
	printk("test=%s: this kernel was built without its in-kernel tests;\n"
	       "  build one with make iso CMDLINE='test=%s' (or boot "
	       "build/triage-test.elf); booting on\n",
	       name, name);
}
