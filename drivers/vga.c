/* vga.c — VGA text console at 0xb8000: 80x25 cells, colours, scrolling, hardware cursor. */
#include "drivers/vga.h"
#include "kernel/layout.h"
#include "kernel/x86.h"

#define VGA_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define CRTC_INDEX 0x3d4        /* CRT controller index/data ports */
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HIGH 0x0e   /* cursor location registers */
#define CRTC_CURSOR_LOW 0x0f

static volatile uint16_t *vga_buf;
static int row, col;
static uint8_t attr = VGA_LIGHT_GREY | VGA_BLACK << 4;

static void vga_update_cursor(void)
{
	uint16_t pos = (uint16_t)(row * VGA_COLS + col);
	outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
	outb(CRTC_DATA, pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LOW);
	outb(CRTC_DATA, pos & 0xff);
}

static void vga_clear_row(int r)
{
	for (int c = 0; c < VGA_COLS; c++)
		vga_buf[r * VGA_COLS + c] = (uint16_t)(' ' | attr << 8);
}

void vga_init(void)
{
	vga_buf = phys_to_virt(VGA_PHYS);
	for (int r = 0; r < VGA_ROWS; r++)
		vga_clear_row(r);
	row = col = 0;
	vga_update_cursor();
}

void vga_set_color(enum vga_color fg, enum vga_color bg)
{
	attr = (uint8_t)(fg | bg << 4);
}

static void vga_scroll(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		vga_buf[i] = vga_buf[i + VGA_COLS];
	vga_clear_row(VGA_ROWS - 1);
	row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
	if (!vga_buf)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		vga_buf[row * VGA_COLS + col] = (uint16_t)((uint8_t)c | attr << 8);
		col++;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		vga_scroll();
	vga_update_cursor();
}

char vga_char_at(int r, int c)
{
	return vga_buf ? (char)(vga_buf[r * VGA_COLS + c] & 0xff) : 0;
}
