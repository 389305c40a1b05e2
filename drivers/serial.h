/* serial.h — 16550 UART driver: probe, polled I/O, interrupt receive. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8
#define COM3_PORT 0x3e8
#define COM4_PORT 0x2e8
#define SERIAL_DEFAULT_BAUD 115200
#define UART_DEFAULT_CLOCK 1843200 /* Hz: the PC's 1.8432 MHz crystal */
#define UART_NO_IRQ 0		   /* IRQ 0 is the PIT, never a UART */

struct uart {
	uint16_t port; /* I/O base (when not MMIO, see serial_use_mmio) */
	uint32_t baud; /* 0 before serial_init: keep the firmware's divisor */
	uint8_t irq;   /* legacy PIC IRQ line, or UART_NO_IRQ */
	bool present;  /* passed the probe */
	/* After the probe: bytes the transmitter takes per THRE (16 with
	 * a 16550A's FIFO, else 1), and how many may still go before the
	 * next look at LSR. */
	uint8_t tx_depth, tx_room;
};

/* A UART whose registers are memory-mapped (ACPI SPCR, PCI memory BAR).
 * Kept beside struct uart, not in it: most UARTs are PC COM ports. */
struct uart_mmio {
	uint64_t base;	   /* physical address of register 0 */
	uint8_t reg_shift; /* register i at base + (i << reg_shift) */
	uint8_t reg_width; /* access size in bytes: 1 or 4 */
};
#define SERIAL_MAX_EXT 2 /* UARTs with MMIO or a non-PC clock */

/* The UART carrying the console (and, by default, the monitor and GDB). */
extern struct uart serial_console;

/* Probe and program u (port or MMIO, and baud already set): 8N1, FIFOs
 * on; u->baud becomes the rate the divisor really gives. Returns false
 * when no UART answers there, or its clock cannot make u->baud (then
 * serial_baud_refusals counts one more). */
bool serial_init(struct uart *u);
/* How many times serial_init refused a baud rate since boot (compare
 * before and after), and why it last did ("230400 baud is faster than
 * this UART can go: ..."). */
unsigned serial_baud_refusals(void);
const char *serial_baud_refusal(void);
void serial_putc_poll(struct uart *u, char c);
/* The next received byte, or -1 when none is waiting (never blocks). */
int serial_getc_poll(struct uart *u);
/* Nothing was waiting: let u be for a character time by clock_floor_us
 * before the next look, so a loop waiting for input does not poll an
 * emulated UART at full speed. That clock runs slow (8000 / TSC MHz): 3-8
 * real character times on today's CPUs, which the 16550A's 16-byte receive
 * FIFO holds (it would overrun only below a 500 MHz TSC). Only a pause
 * without a FIFO: a 16450 holds one byte. */
void serial_rx_idle(const struct uart *u);
/* Unmask the receive interrupt; bytes then arrive via the handler below. */
void serial_enable_rx_irq(struct uart *u);
/* Whether u has an interrupt line the kernel can use. */
bool serial_has_irq(const struct uart *u);
/* Drain the UART into handler(byte) — called from the IRQ handler. */
void serial_drain_rx(struct uart *u, void (*handler)(uint8_t));
/* Standard port for ttyS0..ttyS3, or 0. */
uint16_t serial_ttys_port(int index);
/* Before serial_init: reach u through MMIO (m) instead of port I/O, and/or
 * divide clock_hz (0 = UART_DEFAULT_CLOCK) for the baud rate. m NULL and
 * clock 0 return u to a plain PC COM port. False when the table is full. */
bool serial_set_access(const struct uart *u, const struct uart_mmio *m,
		       uint32_t clock_hz);
/* u's MMIO registers, or NULL for port I/O. */
const struct uart_mmio *serial_mmio(const struct uart *u);
/* After mm_init: map an MMIO UART's registers in the kernel's tables. */
int serial_map(struct uart *u);
/* "io 0x3f8" or "mmio 0xfe030000" into buf. */
void serial_describe(const struct uart *u, char *buf, unsigned size);

#endif
