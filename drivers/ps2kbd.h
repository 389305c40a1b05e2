/* ps2kbd.h — PS/2 keyboard on IRQ 1: typed characters go to the console input
 * queue. */
#ifndef DRIVERS_PS2KBD_H
#define DRIVERS_PS2KBD_H

void ps2kbd_init(void);
/* With interrupts off (the debugger): the next typed character, or -1. */
int ps2kbd_poll(void);

#endif
