/* serial.c — 16550 UART (port I/O or MMIO): probe, 8N1, polled I/O, IRQ. */
#include "drivers/console.h"
#include "drivers/serial.h"
#include "drivers/uart16550.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/printk.h"

#define LEGACY_IRQ_COM13 4 /* COM1/COM3 on IRQ 4, COM2/COM4 on IRQ 3 */
#define LEGACY_IRQ_COM24 3

struct uart serial_console = {
    .port = COM1_PORT, .baud = SERIAL_DEFAULT_BAUD, .irq = LEGACY_IRQ_COM13};

/* MMIO registers and input clocks of the UARTs that have them. */
static struct uart_ext {
	const struct uart *u;
	bool is_mmio;
	struct uart_mmio mmio;
	uint32_t clock;
} exts[SERIAL_MAX_EXT];

static const struct uart_ext *ext_of(const struct uart *u)
{
	for (int i = 0; i < SERIAL_MAX_EXT; i++)
		if (exts[i].u == u)
			return &exts[i];
	return 0;
}

bool serial_set_access(const struct uart *u, const struct uart_mmio *m,
		       uint32_t clock_hz)
{
	struct uart_ext *e = (struct uart_ext *)ext_of(u);
	if (!e)
		e = (struct uart_ext *)ext_of(0);
	if (!e)
		return false;
	struct uart_mmio copy = m ? *m : (struct uart_mmio){0, 0, 0};
	*e = (struct uart_ext){u, m != 0, copy, clock_hz};
	if (!m && !clock_hz)
		e->u = 0;
	return true;
}

const struct uart_mmio *serial_mmio(const struct uart *u)
{
	const struct uart_ext *e = ext_of(u);
	return e && e->is_mmio ? &e->mmio : 0;
}

uint16_t serial_ttys_port(int index)
{
	static const uint16_t ports[] = {COM1_PORT, COM2_PORT, COM3_PORT,
					 COM4_PORT};
	return index >= 0 && index < 4 ? ports[index] : 0;
}

static volatile uint8_t *mmio_reg(const struct uart_mmio *m, int reg)
{
	uint64_t phys = m->base + ((uint64_t)reg << m->reg_shift);
	return (volatile uint8_t *)phys_to_virt(phys);
}

static uint8_t reg_read(const void *dev, int reg)
{
	const struct uart *u = dev;
	const struct uart_mmio *m = serial_mmio(u);
	if (!m)
		return inb((uint16_t)(u->port + reg));
	if (m->reg_width == 4)
		return (uint8_t) * (volatile uint32_t *)mmio_reg(m, reg);
	return *mmio_reg(m, reg);
}

static void reg_write(const void *dev, int reg, uint8_t v)
{
	const struct uart *u = dev;
	const struct uart_mmio *m = serial_mmio(u);
	if (!m)
		outb((uint16_t)(u->port + reg), v);
	else if (m->reg_width == 4)
		*(volatile uint32_t *)mmio_reg(m, reg) = v;
	else
		*mmio_reg(m, reg) = v;
}

static struct uart_regs regs_of(const struct uart *u)
{
	return (struct uart_regs){reg_read, reg_write, clock_floor_us, u};
}

/* MMIO registers are reachable through the boot tables and, after
 * mm_init, once serial_map() ran (see console_device_reachable). */
static bool usable(const struct uart *u)
{
	return u->present && (!serial_mmio(u) || console_device_reachable());
}

/* How many times serial_init refused a baud rate, and why it last did. */
static unsigned n_refused;
static char baud_refused[160];

static void refuse_baud(uint32_t baud, uint32_t clock)
{
	uint32_t max = clock / UART_OVERSAMPLE;
	n_refused++;
	if (baud > max)
		ksnprintf(baud_refused, sizeof baud_refused,
			  "%u baud is faster than this UART can go: its %u Hz "
			  "clock / 16 gives at most %u baud",
			  baud, clock, max);
	else /* the rates of the two divisors around it */
		ksnprintf(baud_refused, sizeof baud_refused,
			  "%u baud is not within %u%% of a rate this UART's "
			  "%u Hz clock makes (clock / 16 / a whole divisor): "
			  "the nearest are %u and %u",
			  baud, UART_BAUD_TOLERANCE_PCT, clock,
			  max / (max / baud + 1), max / (max / baud));
}

unsigned serial_baud_refusals(void)
{
	return n_refused;
}

const char *serial_baud_refusal(void)
{
	return baud_refused;
}

/* The divisor for u->baud (0: the clock cannot make it); baud 0 keeps
 * (and reports) the firmware's. */
static uint16_t pick_divisor(struct uart *u)
{
	const struct uart_ext *e = ext_of(u);
	uint32_t clock = e && e->clock ? e->clock : UART_DEFAULT_CLOCK;
	uint32_t base = clock / UART_OVERSAMPLE;
	if (u->baud == 0) {
		struct uart_regs r = regs_of(u);
		uint16_t d = uart16550_divisor(&r);
		if (d) {
			u->baud = base / d;
			return d;
		}
		u->baud = SERIAL_DEFAULT_BAUD;
	}
	uint16_t d = uart16550_divisor_for(clock, u->baud);
	if (!d) {
		refuse_baud(u->baud, clock);
		return 0;
	}
	u->baud = base / d; /* the rate the line really runs at */
	return d;
}

static void set_legacy_irq(struct uart *u)
{
	if (serial_mmio(u))
		return;
	if (u->port == COM1_PORT || u->port == COM3_PORT)
		u->irq = LEGACY_IRQ_COM13;
	else if (u->port == COM2_PORT || u->port == COM4_PORT)
		u->irq = LEGACY_IRQ_COM24;
}

bool serial_init(struct uart *u)
{
	struct uart_regs r = regs_of(u);
	u->present = false;
	u->tx_depth = u->tx_room = 0;
	if (!uart16550_scratch_ok(&r))
		return false;
	uint16_t divisor = pick_divisor(u);
	if (!divisor || !uart16550_setup(&r, divisor, u->baud))
		return false;
	u->tx_depth = uart16550_tx_depth(&r);
	u->present = true;
	set_legacy_irq(u);
	return true;
}

/* A transmitter that has not drained in this long is wedged. The bound is
 * generous: an emulated UART on a busy host, or a terminal applying
 * back-pressure, can hold THRE for milliseconds, and writing then loses
 * the byte still in the holding register. */
#define TX_WEDGED_US 200000u

/* The UART whose transmitter timed out last: until it drains again, each
 * byte gets one look instead of the full wait (a panic on a dead UART
 * must not take 200 ms a character). */
static const struct uart *tx_wedged;

void serial_putc_poll(struct uart *u, char c)
{
	if (!usable(u))
		return;
	struct uart_regs r = regs_of(u);
	bool drained = uart16550_tx_room(&r, &u->tx_room, u->tx_depth,
					 u == tx_wedged ? 0 : TX_WEDGED_US);
	if (drained && u == tx_wedged)
		tx_wedged = 0;
	else if (!drained)
		tx_wedged = u;
	reg_write(u, UART_DATA, (uint8_t)c);
}

int serial_getc_poll(struct uart *u)
{
	if (!usable(u) || !(reg_read(u, UART_LSR) & LSR_DATA_READY))
		return -1;
	return reg_read(u, UART_DATA);
}

void serial_rx_idle(const struct uart *u)
{
	if (u->tx_depth < UART_FIFO_DEPTH) {
		pause();
		return;
	}
	uint64_t start = clock_floor_us(); /* runs slow: waits longer */
	uint32_t wait = uart16550_char_us(u->baud);
	while (clock_floor_us() - start < wait)
		pause();
}

bool serial_has_irq(const struct uart *u)
{
	return u->present && u->irq != UART_NO_IRQ && u->irq < 16;
}

void serial_enable_rx_irq(struct uart *u)
{
	if (usable(u))
		reg_write(u, UART_IER, IER_RX_AVAIL);
}

void serial_drain_rx(struct uart *u, void (*handler)(uint8_t))
{
	int c;
	while ((c = serial_getc_poll(u)) >= 0)
		handler((uint8_t)c);
}

int serial_map(struct uart *u)
{
	const struct uart_mmio *m = serial_mmio(u);
	if (!u->present || !m)
		return 0;
	return console_map_device(m->base, (uint64_t)UART_REGS << m->reg_shift,
				  true);
}

void serial_describe(const struct uart *u, char *buf, unsigned size)
{
	const struct uart_mmio *m = serial_mmio(u);
	int n;
	if (m)
		n = ksnprintf(buf, size, "mmio 0x%lx%s", m->base,
			      m->reg_width == 4 ? " (32-bit registers)" : "");
	else
		n = ksnprintf(buf, size, "io 0x%x", u->port);
	if (n <= 0 || (unsigned)n >= size)
		return;
	if (serial_has_irq(u))
		ksnprintf(buf + n, size - (unsigned)n, " irq %u", u->irq);
	else
		ksnprintf(buf + n, size - (unsigned)n, " (no irq: polled)");
}
