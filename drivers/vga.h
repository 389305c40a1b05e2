/* vga.h — VGA text-mode console (80x25, colours, scrolling, hardware cursor).
 */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include <stdint.h>

enum vga_color {
	VGA_BLACK,
	VGA_BLUE,
	VGA_GREEN,
	VGA_CYAN,
	VGA_RED,
	VGA_MAGENTA,
	VGA_BROWN,
	VGA_LIGHT_GREY,
	VGA_DARK_GREY,
	VGA_LIGHT_BLUE,
	VGA_LIGHT_GREEN,
	VGA_LIGHT_CYAN,
	VGA_LIGHT_RED,
	VGA_LIGHT_MAGENTA,
	VGA_YELLOW,
	VGA_WHITE,
};

void vga_init(void);
void vga_putc(char c);
void vga_set_color(enum vga_color fg, enum vga_color bg);
/* The character at (row, col), for tests and the screen dump. */
char vga_char_at(int row, int col);

#endif
