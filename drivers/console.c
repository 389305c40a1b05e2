/* console.c — output fan-out to every back end, input queue, VT100 subset. */
#include "drivers/console.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/ring.h"
#include "kernel/printk.h"
#include "mm/vmm.h"

#define ASCII_ESC 0x1b
#define ASCII_BEL 0x07
#define VT_PLAIN 0
#define VT_ESC 1
#define VT_CSI 2
#define CSI_INTERMEDIATE_MIN 0x20 /* ECMA-48 5.4: 0x20-0x3f inside */
#define CSI_FINAL_MIN 0x40	  /* ECMA-48 5.4: final bytes 0x40-0x7e */
#define CSI_FINAL_MAX 0x7e

static struct console_backend *backends;
static struct ring input;
static uint64_t lines;
static uint64_t boot_cr3;
static bool devices_mapped;

/* The first back end makes the console printk's output. */
void console_register(struct console_backend *b)
{
	b->next = backends;
	backends = b;
	printk_set_output(console_putc);
}

void console_putc(char c)
{
	if (c == '\n')
		lines++;
	for (struct console_backend *b = backends; b; b = b->next)
		b->putc(c);
}

void console_write(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_input_push(uint8_t c)
{
	ring_put(&input, c);
}

int console_getc(void)
{
	uint8_t c;
	uint64_t f = irq_save();
	bool ok = ring_get(&input, &c);
	irq_restore(f);
	return ok ? c : -1;
}

bool console_input_ready(void)
{
	uint64_t f = irq_save();
	bool ready = ring_count(&input) != 0;
	irq_restore(f);
	return ready;
}

uint64_t console_lines(void)
{
	return lines;
}

void console_note_boot_tables(void)
{
	boot_cr3 = read_cr3();
}

bool console_device_reachable(void)
{
	return devices_mapped || (boot_cr3 && read_cr3() == boot_cr3);
}

int console_map_device(uint64_t phys, uint64_t len, bool uncached)
{
	/* hi below must not wrap: a device ends at least a page below 2^64 */
	if (!len || phys > UINT64_MAX - PAGE_SIZE ||
	    len > UINT64_MAX - PAGE_SIZE - phys)
		return PT_EINVAL;
	uint64_t lo = phys & ~(PAGE_SIZE - 1);
	uint64_t hi = (phys + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t pa;
	if (vmm_translate(DIRECT_MAP_BASE + lo, &pa) && pa == lo &&
	    vmm_translate(DIRECT_MAP_BASE + hi - 1, &pa) && pa == hi - 1)
		return 0; /* RAM-backed, already in the direct map */
	uint64_t flags = PTE_RW | PTE_NX;
	if (uncached)
		flags |= PTE_PCD | PTE_PWT; /* PAT entry 3: UC (SDM 11.12.3) */
	return vmm_map(DIRECT_MAP_BASE + lo, lo, hi - lo, flags);
}

void console_devices_mapped(void)
{
	devices_mapped = true;
}

static void vt_reset(struct vt_state *vt, uint8_t state)
{
	vt->state = state;
	vt->nparams = 0;
	for (int i = 0; i < VT_MAX_PARAMS; i++)
		vt->params[i] = 0;
}

static int vt_csi_byte(struct vt_state *vt, char c)
{
	if (c >= '0' && c <= '9') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		uint16_t *p = &vt->params[vt->nparams - 1];
		if (*p < 1000)
			*p = (uint16_t)(*p * 10 + (c - '0'));
		return VT_SWALLOWED;
	}
	if (c == ';') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		if (vt->nparams < VT_MAX_PARAMS)
			vt->nparams++;
		return VT_SWALLOWED;
	}
	if (c >= CSI_INTERMEDIATE_MIN && c < CSI_FINAL_MIN)
		return VT_SWALLOWED; /* '?', '>', ' ' ...: stay in the sequence
				      */
	vt->state = VT_PLAIN;
	if (c >= CSI_FINAL_MIN && c <= CSI_FINAL_MAX)
		return c;
	return VT_SWALLOWED; /* a control byte cancels the sequence */
}

int vt_feed(struct vt_state *vt, char c)
{
	switch (vt->state) {
	case VT_ESC:
		if (c == '[') {
			vt_reset(vt, VT_CSI);
			return VT_SWALLOWED;
		}
		vt->state = VT_PLAIN;
		return VT_SWALLOWED;
	case VT_CSI:
		return vt_csi_byte(vt, c);
	}
	if (c == ASCII_ESC) {
		vt->state = VT_ESC;
		return VT_SWALLOWED;
	}
	if (c == ASCII_BEL)
		return VT_SWALLOWED;
	return VT_PRINT;
}

unsigned vt_param(const struct vt_state *vt, int i, unsigned def)
{
	if (i >= vt->nparams || vt->params[i] == 0)
		return def;
	return vt->params[i];
}
