/* ktests_faults.c — boot-time tests: the basics, and one deliberate crash of
 * each kind. */
#include "drivers/console.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/debug/crash.h"
#include "kernel/ktests/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

KTEST(boot, "boot to the end and pass")
{
}

KTEST(timer, "the PIT ticks at the configured rate")
{
	uint64_t t0 = clock_ticks(), tsc0 = rdtsc();
	while (clock_ticks() < t0 + 20)
		hlt();
	printk("timer: 20 ticks at %u Hz, uptime %lu ms, %lu TSC cycles\n",
	       clock_hz(), uptime_ms(), rdtsc() - tsc0);
	if (clock_ticks() < t0 + 20)
		ktest_fail("timer did not tick");
}

/* Wait for one typed line (keyboard or serial) and report it. */
KTEST(keyboard, "echo one typed line and report it")
{
	char line[64];
	unsigned n = 0;
	printk("keyboard: type a line\n");
	uint64_t deadline = uptime_ms() + 60000;
	while (uptime_ms() < deadline) {
		int c = console_getc();
		if (c < 0) {
			hlt();
			continue;
		}
		console_putc(c == '\r' ? '\n' : (char)c);
		if (c == '\n' || c == '\r') {
			line[n] = '\0';
			printk("keyboard: got line '%s'\n", line);
			return;
		}
		if (n < sizeof line - 1)
			line[n++] = (char)c;
	}
	ktest_fail("no line typed within 60 s");
}

/* Each deliberate fault is one of kernel/debug/crash.c's kinds. */
static void crash(const char *kind)
{
	const struct crash_kind *k = crash_find(kind);
	if (!k)
		ktest_fail("no crash kind '%s'", kind);
	k->fn();
}

KTEST(divide, "divide by zero: #DE")
{
	crash("de");
}

KTEST(ud, "undefined instruction: #UD")
{
	crash("ud");
}

KTEST(breakpoint, "int3: #BP")
{
	crash("int3");
	printk("breakpoint: resumed after int3\n");
}

KTEST(gp, "load a selector beyond the GDT: #GP(selector)")
{
	crash("gp");
}

KTEST(pf_null, "write through a null pointer: #PF")
{
	crash("pf");
}

KTEST(pf_noncanonical, "read a non-canonical address: #GP(0)")
{
	crash("noncanonical");
}

KTEST(stack_overflow,
      "unbounded recursion: #PF on the guard page -> #DF on IST1")
{
	crash("stack");
}

KTEST(bad_idt, "a not-present IDT entry: #NP naming the IDT index")
{
	crash("idt");
}

KTEST(nmi, "enter the NMI gate (IST2)")
{
	crash("nmi");
	printk("nmi: resumed\n");
}

KTEST(panic, "panic() with a message")
{
	panic("deliberate panic from ktest (%d)", 42);
}

/* For the harness's own test: an empty IDT turns any exception into a
 * triple fault, which QEMU (-no-reboot) reports as exit 0. */
KTEST(triple_fault, "load an empty IDT and trap: the machine resets")
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = {0, 0};
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
}
