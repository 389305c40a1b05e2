/* kbdmap.c — scancode set 1 translation tables and modifier state (pure logic).
 */
#include "drivers/kbdmap.h"

#define SC_RELEASE 0x80	 /* bit 7: key released */
#define SC_EXTENDED 0xe0 /* prefix of the extended keys */
#define SC_LSHIFT 0x2a
#define SC_RSHIFT 0x36
#define SC_CTRL 0x1d
#define SC_CAPS 0x3a

static const char normal[0x3a] = {
    0,	 27,  '1',  '2',  '3',	'4', '5', '6',	'7', '8', '9', '0',
    '-', '=', '\b', '\t', 'q',	'w', 'e', 'r',	't', 'y', 'u', 'i',
    'o', 'p', '[',  ']',  '\n', 0,   'a', 's',	'd', 'f', 'g', 'h',
    'j', 'k', 'l',  ';',  '\'', '`', 0,	  '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm',  ',',  '.',	'/', 0,	  '*',	0,   ' ',
};
static const char shifted[0x3a] = {
    0,	 27,  '!',  '@',  '#',	'$', '%', '^', '&', '*', '(', ')',
    '_', '+', '\b', '\t', 'Q',	'W', 'E', 'R', 'T', 'Y', 'U', 'I',
    'O', 'P', '{',  '}',  '\n', 0,   'A', 'S', 'D', 'F', 'G', 'H',
    'J', 'K', 'L',  ':',  '"',	'~', 0,	  '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M',  '<',  '>',	'?', 0,	  '*', 0,   ' ',
};

static bool update_modifiers(struct kbd_state *st, uint8_t code, bool down)
{
	switch (code) {
	case SC_LSHIFT:
		st->shift_l = down;
		return true;
	case SC_RSHIFT:
		st->shift_r = down;
		return true;
	case SC_CTRL:
		st->ctrl = down;
		return true;
	case SC_CAPS:
		if (down)
			st->caps = !st->caps;
		return true;
	}
	return false;
}

int kbd_translate(struct kbd_state *st, uint8_t sc)
{
	if (sc == SC_EXTENDED) {
		st->extended = true;
		return -1;
	}
	bool ext = st->extended;
	st->extended = false;
	bool down = !(sc & SC_RELEASE);
	uint8_t code = sc & ~SC_RELEASE;
	if (update_modifiers(st, code, down) || !down || ext ||
	    code >= sizeof normal)
		return -1;
	bool shift = st->shift_l || st->shift_r;
	char c = shift ? shifted[code] : normal[code];
	if (c >= 'a' && c <= 'z' && st->caps)
		c = (char)(c - 'a' + 'A');
	else if (c >= 'A' && c <= 'Z' && st->caps)
		c = (char)(c - 'A' + 'a');
	if (st->ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c = (char)((c & 0x1f));
	return c ? c : -1;
}
