/* vga.c — VGA text console at 0xb8000: 80x25, colours, scrolling, cursor. */
#include "drivers/console.h"
#include "drivers/vga.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"

#define VGA_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define CRTC_INDEX 0x3d4 /* CRT controller index/data ports */
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HIGH 0x0e /* cursor location registers */
#define CRTC_CURSOR_LOW 0x0f

static volatile uint16_t *vga_buf;
static int row, col;
static uint8_t attr = VGA_LIGHT_GREY | VGA_BLACK << 4;
static struct vt_state vt;

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

static void vga_clear_cols(int from, int to)
{
	for (int c = from; c < to; c++)
		vga_buf[row * VGA_COLS + c] = (uint16_t)(' ' | attr << 8);
}

/* The VT100 controls the monitor's line editor sends (EL, CUF, CUB). */
static void vga_csi(int final)
{
	int n = (int)vt_param(&vt, 0, 1);
	switch (final) {
	case 'K':
		if (vt.params[0] == 0)
			vga_clear_cols(col, VGA_COLS);
		else
			vga_clear_cols(0,
				       vt.params[0] == 1 ? col + 1 : VGA_COLS);
		break;
	case 'C':
		col = col + n < VGA_COLS ? col + n : VGA_COLS - 1;
		break;
	case 'D':
		col = col - n > 0 ? col - n : 0;
		break;
	}
}

static void vga_put_plain(char c)
{
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
		if ((unsigned char)c < ' ')
			return; /* other control bytes print nothing */
		vga_buf[row * VGA_COLS + col] =
		    (uint16_t)((uint8_t)c | attr << 8);
		col++;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		vga_scroll();
}

void vga_putc(char c)
{
	if (!vga_buf)
		return;
	int r = vt_feed(&vt, c);
	if (r == VT_PRINT)
		vga_put_plain(c);
	else if (r != VT_SWALLOWED)
		vga_csi(r);
	vga_update_cursor();
}

char vga_char_at(int r, int c)
{
	return vga_buf ? (char)(vga_buf[r * VGA_COLS + c] & 0xff) : 0;
}
