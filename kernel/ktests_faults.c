/* ktests_faults.c — boot-time tests: the basics, and one deliberate crash of each kind. */
#include "drivers/console.h"
#include "drivers/pit.h"
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

KTEST(boot, "boot to the end and pass")
{
}

KTEST(timer, "the PIT ticks at the configured rate")
{
	uint64_t t0 = pit_ticks(), tsc0 = rdtsc();
	while (pit_ticks() < t0 + 20)
		hlt();
	printk("timer: 20 ticks at %u Hz, uptime %lu ms, %lu TSC cycles\n",
	       pit_hz(), uptime_ms(), rdtsc() - tsc0);
	if (pit_ticks() < t0 + 20)
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

static volatile unsigned zero;
static volatile uint64_t sink;

KTEST(divide, "divide by zero: #DE")
{
	/* In assembly: the compiler may not fold or reorder a real div. */
	__asm__ volatile("xor %%edx, %%edx; divl %1"
			 :
			 : "a"(1), "r"(zero)
			 : "rdx");
}

KTEST(ud, "undefined instruction: #UD")
{
	__asm__ volatile("ud2");
}

KTEST(breakpoint, "int3: #BP")
{
	__asm__ volatile("int3");
	printk("breakpoint: resumed after int3\n");
}

KTEST(gp, "load a selector beyond the GDT: #GP(selector)")
{
	/* GDT index 582 does not exist: #GP with error code 0x1230. */
	__asm__ volatile("mov %0, %%ds" : : "r"(0x1230));
}

KTEST(pf_null, "write through a null pointer: #PF")
{
	*(volatile uint64_t *)0 = 0x1234;
}

KTEST(pf_noncanonical, "read a non-canonical address: #GP(0)")
{
	sink = *(volatile uint64_t *)0xdead000000000000ULL;
}

static volatile uint64_t never = ~0ULL;

/* No tail call: each frame must stay on the stack. */
__attribute__((noinline)) static uint64_t recurse(uint64_t depth)
{
	volatile uint8_t pad[256];
	pad[0] = (uint8_t)depth;
	if (depth == never)
		return 0;
	return recurse(depth + 1) + pad[0];
}

KTEST(stack_overflow, "unbounded recursion: #PF on the guard page -> #DF on IST1")
{
	sink = recurse(0);
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
