/* kbdmap.h — PS/2 scancode set 1 to characters, with shift, caps lock and ctrl.
 */
#ifndef DRIVERS_KBDMAP_H
#define DRIVERS_KBDMAP_H

#include <stdbool.h>
#include <stdint.h>

struct kbd_state {
	bool shift_l, shift_r, ctrl, caps, extended;
};

/* Feed one scancode byte; returns the character it types, or -1 (a
 * release, a modifier, an extended or character-less key). */
int kbd_translate(struct kbd_state *st, uint8_t scancode);

#endif
