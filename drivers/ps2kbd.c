/* ps2kbd.c — the PS/2 keyboard controller's IRQ 1: read scancodes, queue
 * characters. */
#include "drivers/console.h"
#include "drivers/kbdmap.h"
#include "drivers/pic.h"
#include "drivers/ps2kbd.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"

#define PS2_DATA 0x60
#define PS2_STATUS 0x64
#define PS2_STATUS_OUTPUT_FULL 0x01

static struct kbd_state state;

static void ps2kbd_irq(struct trap_frame *f)
{
	(void)f;
	while (inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL) {
		int c = kbd_translate(&state, inb(PS2_DATA));
		if (c >= 0)
			console_input_push((uint8_t)c);
	}
	pic_eoi(IRQ_KEYBOARD);
}

void ps2kbd_init(void)
{
	while (inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL) /* stale bytes */
		inb(PS2_DATA);
	trap_register(PIC_VECTOR_BASE + IRQ_KEYBOARD, ps2kbd_irq);
	pic_unmask(IRQ_KEYBOARD);
}

int ps2kbd_poll(void)
{
	while (inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL) {
		int c = kbd_translate(&state, inb(PS2_DATA));
		if (c >= 0)
			return c;
	}
	return -1;
}
