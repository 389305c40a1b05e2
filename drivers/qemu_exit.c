/* qemu_exit.c — QEMU's isa-debug-exit device: one port write ends the emulator
 * with a status. */
#include <stdint.h>

#include "drivers/qemu_exit.h"
#include "kernel/arch/x86.h"
#include "kernel/printk.h"

void qemu_exit_try(unsigned code)
{
	/* With the device present QEMU exits inside this write; without it
	 * the write goes nowhere and execution simply continues. */
	outl(QEMU_EXIT_PORT, code);
}

void qemu_exit(unsigned code)
{
	qemu_exit_try(code);
	printk("qemu_exit: no isa-debug-exit device; halting\n");
	cli();
	for (;;)
		hlt();
}
