/* ktests_gdb.c — kernels for the GDB tests: code that runs forever so a
 * debugger has somewhere to stop (breakpoints, bt, watchpoints, stepi, Ctrl-C).
 */
#include <stdint.h>

#include "drivers/console.h"
#include "kernel/ktests/ktest.h"
#include "kernel/printk.h"

/* Written on every pass of the loop: the target of the watchpoint tests. */
volatile uint64_t gdb_test_counter;
/* Never written by the loop: a watchpoint here must stay quiet. */
volatile uint64_t gdb_test_quiet;
/* The loop reads gdb_test_counter into it after each pass: a read watch
 * on the counter stops there, never at the write in gdb_test_leaf. */
volatile uint64_t gdb_test_last;

/* A compiler barrier after each call keeps it a real call with a frame
 * (no tail call, no merging), so `bt` shows every level. */
#define KEEP_FRAME() __asm__ volatile("" ::: "memory")

/* The chain gdb_test_loop -> level1 -> level2 -> level3 -> leaf. Each takes
 * the pass number so no call can be folded into a constant, and none
 * branches on data: stepping the same code twice takes the same path. */
__attribute__((noinline)) void gdb_test_leaf(uint64_t n)
{
	gdb_test_counter = n;
	KEEP_FRAME();
}

__attribute__((noinline)) void gdb_test_level3(uint64_t n)
{
	gdb_test_leaf(n * 3 + 1);
	KEEP_FRAME();
}

__attribute__((noinline)) void gdb_test_level2(uint64_t n)
{
	gdb_test_level3(n ^ 0x5a);
	KEEP_FRAME();
}

__attribute__((noinline)) void gdb_test_level1(uint64_t n)
{
	gdb_test_level2(n + 7);
	KEEP_FRAME();
}

/* Echo what is typed on the console, so a test can see the kernel still
 * runs (and owns the console again) after GDB detaches. */
static void echo_input(void)
{
	int c;
	while ((c = console_getc()) >= 0)
		console_putc(c == '\r' ? '\n' : (char)c);
}

__attribute__((noinline)) void gdb_test_loop(void)
{
	for (uint64_t pass = 0;; pass++) {
		gdb_test_level1(pass);
		gdb_test_last = gdb_test_counter;
		echo_input();
		__asm__ volatile("pause");
	}
}

KTEST(gdb_loop, "loop forever through 4 call levels for GDB (never ends)")
{
	printk("gdb_loop: running; break on gdb_test_leaf, watch "
	       "gdb_test_counter at %p; type to echo\n",
	       (void *)&gdb_test_counter);
	gdb_test_loop();
}
