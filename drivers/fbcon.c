/* fbcon.c — text console on a linear framebuffer: font, colours, scrolling. */
#include "drivers/console.h"
#include "drivers/fbcon.h"
#include "drivers/font8x16.h"
#include "kernel/arch/layout.h"
#include "kernel/lib/string.h"

#define FB_MAX_COLS 240	  /* 1920 px; wider screens keep a blank margin */
#define FB_MAX_ROWS 90	  /* 1440 px */
#define ATTR_DEFAULT 0x07 /* light grey on black, as VGA text */
#define TAB_WIDTH 8
#define SGR_FG_BASE 30 /* ECMA-48 8.3.117 SGR: 30-37 foreground */
#define SGR_BG_BASE 40 /* 40-47 background */
#define SGR_BOLD 1     /* bright foreground here */

static struct fbcon_mode mode;
static uint8_t *fb; /* DIRECT_MAP_BASE + mode.phys */
static int cols, rows, row, col;
static uint8_t attr = ATTR_DEFAULT;
static uint16_t cells[FB_MAX_ROWS * FB_MAX_COLS]; /* char | attr << 8 */
static struct vt_state vt;
static bool active;
static bool early_reachable;	    /* inside the boot tables' direct map */
static bool mapped;		    /* fbcon_map() mapped it in the kernel's */
static int cursor_r = -1, cursor_c; /* cell showing the cursor, or -1 */

/* The 16 VGA text colours as 0xRRGGBB (IBM VGA palette order). */
static const uint32_t palette[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa,
    0xaa5500, 0xaaaaaa, 0x555555, 0x5555ff, 0x55ff55, 0x55ffff,
    0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

/* ANSI colour number (SGR 30-37) to VGA index: the bit orders differ. */
static const uint8_t ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

static uint32_t pixel_of(uint32_t rgb)
{
	uint32_t r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	return r << mode.red_pos | g << mode.green_pos | b << mode.blue_pos;
}

static void put_pixel(uint8_t *p, uint32_t v)
{
	if (mode.bpp == 32) {
		*(volatile uint32_t *)p = v;
		return;
	}
	((volatile uint8_t *)p)[0] = (uint8_t)v;
	((volatile uint8_t *)p)[1] = (uint8_t)(v >> 8);
	((volatile uint8_t *)p)[2] = (uint8_t)(v >> 16);
}

static void draw_cell(int r, int c)
{
	uint16_t cell = cells[r * cols + c];
	const uint8_t *g = font8x16_glyph((char)(cell & 0xff));
	uint32_t fg = pixel_of(palette[cell >> 8 & 0xf]);
	uint32_t bg = pixel_of(palette[cell >> 12 & 0xf]);
	unsigned bytes = mode.bpp / 8;
	uint8_t *line = fb + (uint64_t)r * FONT_H * mode.pitch +
			(uint64_t)c * FONT_W * bytes;
	for (int y = 0; y < FONT_H; y++, line += mode.pitch)
		for (int x = 0; x < FONT_W; x++)
			put_pixel(line + x * bytes,
				  g[y] & (0x80 >> x) ? fg : bg);
}

/* Video memory is reachable through the boot tables when it lies in
 * their 64 GiB, and through the kernel's tables once fbcon_map() ran. */
static bool reachable(void)
{
	return console_device_reachable() && (early_reachable || mapped);
}

/* Store a cell; draw it when the framebuffer is reachable. */
static void set_cell(int r, int c, uint16_t v)
{
	uint16_t *p = &cells[r * cols + c];
	if (*p == v)
		return;
	*p = v;
	if (reachable())
		draw_cell(r, c);
}

static uint16_t blank(void)
{
	return (uint16_t)(' ' | attr << 8);
}

static void clear_cols(int r, int from, int to)
{
	for (int c = from; c < to; c++)
		set_cell(r, c, blank());
}

/* Move every row up by one: only cells that change are redrawn, so a
 * screen of short lines scrolls fast even on uncached video memory. */
static void scroll(void)
{
	for (int r = 0; r + 1 < rows; r++)
		for (int c = 0; c < cols; c++)
			set_cell(r, c, cells[(r + 1) * cols + c]);
	clear_cols(rows - 1, 0, cols);
	row = rows - 1;
}

static void newline(void)
{
	col = 0;
	if (++row >= rows)
		scroll();
}

static void sgr(void)
{
	int n = vt.nparams ? vt.nparams : 1;
	for (int i = 0; i < n; i++) {
		unsigned p = vt.params[i];
		if (p == 0)
			attr = ATTR_DEFAULT;
		else if (p == SGR_BOLD)
			attr |= 0x08;
		else if (p >= SGR_FG_BASE && p < SGR_FG_BASE + 8)
			attr = (uint8_t)((attr & 0xf8) |
					 ansi_to_vga[p - SGR_FG_BASE]);
		else if (p >= SGR_BG_BASE && p < SGR_BG_BASE + 8)
			attr = (uint8_t)((attr & 0x0f) |
					 ansi_to_vga[p - SGR_BG_BASE] << 4);
	}
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ECMA-48 control functions the monitor's line editor and pager use. */
static void csi(int final)
{
	int n = (int)vt_param(&vt, 0, 1);
	switch (final) {
	case 'K': /* EL: 0 to end, 1 to start, 2 whole line */
		if (vt.params[0] == 0)
			clear_cols(row, col, cols);
		else if (vt.params[0] == 1)
			clear_cols(row, 0, col + 1);
		else
			clear_cols(row, 0, cols);
		break;
	case 'J': /* ED 2: clear the screen */
		for (int r = 0; r < rows; r++)
			clear_cols(r, 0, cols);
		row = col = 0;
		break;
	case 'A':
		row = clamp(row - n, 0, rows - 1);
		break;
	case 'B':
		row = clamp(row + n, 0, rows - 1);
		break;
	case 'C':
		col = clamp(col + n, 0, cols - 1);
		break;
	case 'D':
		col = clamp(col - n, 0, cols - 1);
		break;
	case 'H': /* CUP: 1-based row;col */
		row = clamp((int)vt_param(&vt, 0, 1) - 1, 0, rows - 1);
		col = clamp((int)vt_param(&vt, 1, 1) - 1, 0, cols - 1);
		break;
	case 'm':
		sgr();
		break;
	}
}

static void put_plain(char c)
{
	switch (c) {
	case '\n':
		newline();
		return;
	case '\r':
		col = 0;
		return;
	case '\b':
		if (col > 0)
			col--;
		return;
	case '\t':
		col = (col + TAB_WIDTH) & ~(TAB_WIDTH - 1);
		if (col >= cols)
			newline();
		return;
	}
	if ((unsigned char)c < ' ')
		return; /* other control bytes print nothing */
	if (col >= cols)
		newline();
	set_cell(row, col++, (uint16_t)((uint8_t)c | attr << 8));
}

#define CURSOR_TOP 14 /* the cursor underlines the cell: rows 14-15 */

static void hide_cursor(void)
{
	if (cursor_r >= 0 && cursor_r < rows && reachable())
		draw_cell(cursor_r, cursor_c);
	cursor_r = -1;
}

static void show_cursor(void)
{
	if (col >= cols || !reachable())
		return;
	uint16_t cell = cells[row * cols + col];
	uint32_t fg = pixel_of(palette[cell >> 8 & 0xf]);
	unsigned bytes = mode.bpp / 8;
	uint8_t *line = fb +
			((uint64_t)row * FONT_H + CURSOR_TOP) * mode.pitch +
			(uint64_t)col * FONT_W * bytes;
	for (int y = CURSOR_TOP; y < FONT_H; y++, line += mode.pitch)
		for (int x = 0; x < FONT_W; x++)
			put_pixel(line + x * bytes, fg);
	cursor_r = row;
	cursor_c = col;
}

void fbcon_putc(char c)
{
	if (!active)
		return;
	hide_cursor();
	int r = vt_feed(&vt, c);
	if (r == VT_PRINT)
		put_plain(c);
	else if (r != VT_SWALLOWED)
		csi(r);
	show_cursor();
}

void fbcon_redraw(void)
{
	if (!active || !reachable())
		return;
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++)
			draw_cell(r, c);
}

static void clear_pixels(void)
{
	unsigned bytes = mode.bpp / 8;
	uint32_t bg = pixel_of(palette[ATTR_DEFAULT >> 4]);
	for (uint32_t y = 0; y < mode.height; y++)
		for (uint32_t x = 0; x < mode.width; x++)
			put_pixel(fb + (uint64_t)y * mode.pitch + x * bytes,
				  bg);
}

bool fbcon_init(const struct fbcon_mode *m, const char **why)
{
	if (m->bpp != 32 && m->bpp != 24) {
		*why = "only 32 and 24 bits per pixel are supported";
		return false;
	}
	if (m->width < FONT_W || m->height < FONT_H ||
	    m->pitch < m->width * (m->bpp / 8u)) {
		*why = "implausible size or pitch";
		return false;
	}
	mode = *m;
	fb = phys_to_virt(m->phys);
	cols = clamp((int)(m->width / FONT_W), 1, FB_MAX_COLS);
	rows = clamp((int)(m->height / FONT_H), 1, FB_MAX_ROWS);
	row = col = 0;
	attr = ATTR_DEFAULT;
	uint64_t end = m->phys + (uint64_t)m->pitch * m->height;
	early_reachable = end <= (uint64_t)BOOT_DM_GIB << 30;
	mapped = false;
	for (int i = 0; i < rows * cols; i++)
		cells[i] = (uint16_t)(' ' | ATTR_DEFAULT << 8);
	if (early_reachable)
		clear_pixels(); /* else once fbcon_map() has mapped it */
	active = true;
	return true;
}

int fbcon_map(void)
{
	if (!active)
		return 0;
	int rc = console_map_device(mode.phys,
				    (uint64_t)mode.pitch * mode.height, false);
	if (rc)
		return rc;
	mapped = true;
	if (!early_reachable)
		clear_pixels();
	return 0;
}

void fbcon_set_color(uint8_t fg, uint8_t bg)
{
	attr = (uint8_t)((fg & 0xf) | (bg & 0xf) << 4);
}

bool fbcon_active(void)
{
	return active;
}

void fbcon_size(int *c, int *r)
{
	*c = cols;
	*r = rows;
}

char fbcon_char_at(int r, int c)
{
	if (!active || r < 0 || r >= rows || c < 0 || c >= cols)
		return 0;
	return (char)(cells[r * cols + c] & 0xff);
}
