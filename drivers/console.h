/* console.h — the console layer: output to every back end, one input queue. */
#ifndef DRIVERS_CONSOLE_H
#define DRIVERS_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

struct console_backend {
	const char *name;
	void (*putc)(char c);
	struct console_backend *next;
};

void console_register(struct console_backend *b);
/* Write to every registered back end; '\n' becomes "\r\n" on serial. */
void console_putc(char c);
void console_write(const char *s);
/* Input from the keyboard and serial receive interrupts. */
void console_input_push(uint8_t c);
/* The next input byte, or -1 when none (never blocks). */
int console_getc(void);
/* True when console_getc would return a character. */
bool console_input_ready(void);
/* Lines printed so far (tests use it to see progress). */
uint64_t console_lines(void);

/*
 * Device memory of a console (framebuffer, MMIO UART) is reached at
 * DIRECT_MAP_BASE + phys. The boot page tables map the first 64 GiB, the
 * kernel's own tables (mm_init) map RAM only, until console_map_device()
 * adds the device range. Back ends ask console_device_reachable() before
 * touching device memory, so nothing faults in between.
 */
void console_note_boot_tables(void); /* call while the boot tables are live */
bool console_device_reachable(void);
/* Map [phys, phys+len) at DIRECT_MAP_BASE + phys (after mm_init);
 * uncached for registers, cache-as-MTRR-says for a framebuffer.
 * Returns 0, or the vmm error (PT_EINVAL for an empty range or one
 * reaching the last page below 2^64). */
int console_map_device(uint64_t phys, uint64_t len, bool uncached);
/* Every device range is mapped in the kernel's tables now. */
void console_devices_mapped(void);

/* VT100 subset for screen back ends: ESC [ params final. */
#define VT_MAX_PARAMS 4
struct vt_state {
	uint8_t state; /* 0 plain, 1 after ESC, 2 in CSI */
	uint8_t nparams;
	uint16_t params[VT_MAX_PARAMS];
};
/* Feed one output byte. Returns VT_PRINT when c is ordinary output,
 * VT_SWALLOWED when it belongs to an escape sequence still open (or is an
 * unsupported control byte), else the final byte of a finished CSI
 * sequence with its parameters in vt. */
#define VT_PRINT 0
#define VT_SWALLOWED (-1)
int vt_feed(struct vt_state *vt, char c);
/* Parameter i, or def when it is absent or 0. */
unsigned vt_param(const struct vt_state *vt, int i, unsigned def);

#endif
