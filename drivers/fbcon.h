/* fbcon.h — text console on a linear framebuffer (UEFI GOP or VBE). */
#ifndef DRIVERS_FBCON_H
#define DRIVERS_FBCON_H

#include <stdbool.h>
#include <stdint.h>

struct fbcon_mode {
	uint64_t phys;			      /* framebuffer physical address */
	uint32_t pitch, width, height;	      /* bytes per line, pixels */
	uint8_t bpp;			      /* 32 or 24 */
	uint8_t red_pos, green_pos, blue_pos; /* bit positions in a pixel */
};

/* Take over the framebuffer and clear it (through the boot direct map).
 * Returns false, with the reason in *why, for a mode it cannot drive. */
bool fbcon_init(const struct fbcon_mode *m, const char **why);
/* After mm_init: map the framebuffer in the kernel's tables. */
int fbcon_map(void);
/* Redraw every cell (after a stretch where the framebuffer was unmapped). */
void fbcon_redraw(void);
void fbcon_putc(char c);
/* VGA colour indices 0-15 (see drivers/vga.h). */
void fbcon_set_color(uint8_t fg, uint8_t bg);
bool fbcon_active(void);
/* Text size in cells, and the character at a cell (for tests). */
void fbcon_size(int *cols, int *rows);
char fbcon_char_at(int row, int col);

#endif
