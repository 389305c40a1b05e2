/* serial.h — 16550 UART driver: probe, polled I/O usable anywhere, interrupt-fed receive. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8
#define COM3_PORT 0x3e8
#define COM4_PORT 0x2e8
#define SERIAL_DEFAULT_BAUD 115200

struct uart {
	uint16_t port;   /* I/O base */
	uint32_t baud;
	uint8_t irq;     /* legacy IRQ line (4 for COM1/3, 3 for COM2/4) */
	bool present;    /* passed the probe */
};

/* The UART carrying the console (and, by default, the monitor and GDB). */
extern struct uart serial_console;

/* Probe and program u (port and baud already set): 8N1, FIFOs on.
 * Returns false when no UART answers at that port. */
bool serial_init(struct uart *u);
void serial_putc_poll(struct uart *u, char c);
/* The next received byte, or -1 when none is waiting (never blocks). */
int serial_getc_poll(struct uart *u);
/* Unmask the receive interrupt; bytes then arrive via the handler below. */
void serial_enable_rx_irq(struct uart *u);
/* Drain the UART into handler(byte) — called from the IRQ handler. */
void serial_drain_rx(struct uart *u, void (*handler)(uint8_t));
/* Standard port for ttyS0..ttyS3, or 0. */
uint16_t serial_ttys_port(int index);

#endif
