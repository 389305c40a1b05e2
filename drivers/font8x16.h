/* font8x16.h — triage's own 8x16 bitmap font for printable ASCII. */
#ifndef DRIVERS_FONT8X16_H
#define DRIVERS_FONT8X16_H

#include <stdint.h>

#define FONT_W 8
#define FONT_H 16
#define FONT_FIRST ' '
#define FONT_LAST '~'

/* The 16 rows of c's glyph, bit 7 = leftmost pixel; characters outside
 * ' '..'~' get a hollow box. Safe to call at any time (built on first use). */
const uint8_t *font8x16_glyph(char c);

#endif
