/* serial.c — 16550 UART: probe, 8N1 set-up, polled output, receive via IRQ. */
#include "drivers/serial.h"
#include "kernel/x86.h"

/* Register offsets from the I/O base (PC16550D data sheet, table 2). */
#define UART_DATA 0  /* RBR/THR; divisor low when DLAB=1 */
#define UART_IER 1   /* interrupt enable; divisor high when DLAB=1 */
#define UART_FCR 2   /* FIFO control (write) */
#define UART_LCR 3   /* line control */
#define UART_MCR 4   /* modem control */
#define UART_LSR 5   /* line status */
#define UART_SCR 7   /* scratch */

#define LCR_8N1 0x03        /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB 0x80       /* divisor latch access */
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear RX and TX */
#define FCR_TRIGGER_14 0xc0 /* RX interrupt at 14 bytes */
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT2 0x08       /* gates the IRQ line on PCs */
#define MCR_LOOP 0x10       /* loopback for the probe */
#define IER_RX_AVAIL 0x01
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define UART_CLOCK 115200   /* divisor base: 1.8432 MHz / 16 */

struct uart serial_console = {COM1_PORT, SERIAL_DEFAULT_BAUD, 4, false};

uint16_t serial_ttys_port(int index)
{
	static const uint16_t ports[] = {COM1_PORT, COM2_PORT, COM3_PORT,
					 COM4_PORT};
	return index >= 0 && index < 4 ? ports[index] : 0;
}

/* A UART exists if the scratch register holds a value and loopback echoes. */
static bool serial_probe(uint16_t port)
{
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_MCR, MCR_LOOP | MCR_RTS);
	outb(port + UART_DATA, 0xae);
	for (int i = 0; i < 1000 && !(inb(port + UART_LSR) & LSR_DATA_READY);
	     i++)
		;
	bool ok = inb(port + UART_DATA) == 0xae;
	outb(port + UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	return ok;
}

bool serial_init(struct uart *u)
{
	uint16_t p = u->port;
	outb(p + UART_IER, 0);
	u->present = serial_probe(p);
	if (!u->present)
		return false;
	if (u->baud == 0 || u->baud > UART_CLOCK)
		u->baud = SERIAL_DEFAULT_BAUD;
	uint16_t divisor = (uint16_t)(UART_CLOCK / u->baud);
	outb(p + UART_LCR, LCR_DLAB);
	outb(p + UART_DATA, divisor & 0xff);
	outb(p + UART_IER, divisor >> 8);
	outb(p + UART_LCR, LCR_8N1);
	outb(p + UART_FCR, FCR_ENABLE_CLEAR | FCR_TRIGGER_14);
	outb(p + UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	u->irq = (p == COM1_PORT || p == COM3_PORT) ? 4 : 3;
	return true;
}

void serial_putc_poll(struct uart *u, char c)
{
	if (!u->present)
		return;
	/* Bounded wait: a wedged UART must not hang a panic path forever. */
	for (int i = 0; i < 1000000; i++)
		if (inb(u->port + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(u->port + UART_DATA, (uint8_t)c);
}

int serial_getc_poll(struct uart *u)
{
	if (!u->present || !(inb(u->port + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(u->port + UART_DATA);
}

void serial_enable_rx_irq(struct uart *u)
{
	if (u->present)
		outb(u->port + UART_IER, IER_RX_AVAIL);
}

void serial_drain_rx(struct uart *u, void (*handler)(uint8_t))
{
	int c;
	while ((c = serial_getc_poll(u)) >= 0)
		handler((uint8_t)c);
}
