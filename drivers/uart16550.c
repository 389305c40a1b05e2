/* uart16550.c — 16550 register logic: probe, line set-up, waits bounded by
 * time. Pure: registers and clock come through struct uart_regs. */
#include "drivers/uart16550.h"

#define US_PER_S 1000000u
#define WAIT_CHARS 4	     /* a healthy UART needs one character time */
#define WAIT_MARGIN_US 1000u /* slack for slow buses and emulators */
#define STALE_BYTES_MAX 64   /* more than any FIFO: an RX that never empties */
#define PROBE_BYTE_A 0xae    /* 5-bit characters would return 0x0e */
#define PROBE_BYTE_B 0x51    /* the complement: every data bit both ways */
#define SCRATCH_PROBE 0x5a

uint16_t uart16550_divisor_for(uint32_t clock_hz, uint32_t baud)
{
	uint32_t base = clock_hz / UART_OVERSAMPLE;
	if (!baud)
		return 0;
	uint64_t d = ((uint64_t)base + baud / 2) / baud;
	if (d == 0 || d > UINT16_MAX)
		return 0;
	uint64_t rate = base / d;
	uint64_t off = rate > baud ? rate - baud : baud - rate;
	if (off * 100 > (uint64_t)baud * UART_BAUD_TOLERANCE_PCT)
		return 0;
	return (uint16_t)d;
}

uint32_t uart16550_char_us(uint32_t baud)
{
	if (!baud)
		baud = 1;
	return (UART_CHAR_BITS * US_PER_S + baud - 1) / baud;
}

uint64_t uart16550_timeout_us(uint32_t baud)
{
	return (uint64_t)WAIT_CHARS * uart16550_char_us(baud) + WAIT_MARGIN_US;
}

bool uart16550_wait(const struct uart_regs *r, uint8_t bits,
		    uint64_t timeout_us)
{
	if (r->read(r->dev, UART_LSR) & bits)
		return true; /* the common case: no clock read */
	uint64_t start = r->now_us();
	for (;;) {
		bool expired = r->now_us() - start > timeout_us;
		if (r->read(r->dev, UART_LSR) & bits)
			return true;
		if (expired)
			return false;
	}
}

bool uart16550_scratch_ok(const struct uart_regs *r)
{
	r->write(r->dev, UART_SCR, SCRATCH_PROBE);
	return r->read(r->dev, UART_SCR) == SCRATCH_PROBE;
}

uint16_t uart16550_divisor(const struct uart_regs *r)
{
	uint8_t lcr = r->read(r->dev, UART_LCR);
	r->write(r->dev, UART_LCR, lcr | LCR_DLAB);
	uint16_t d = (uint16_t)(r->read(r->dev, UART_DATA) |
				r->read(r->dev, UART_IER) << 8);
	r->write(r->dev, UART_LCR, lcr);
	return d;
}

/* Throw away what the receiver holds (the FIFO clear misses the RBR of
 * a UART whose FIFOs are off); false when it never empties. */
static bool drain_rx(const struct uart_regs *r)
{
	for (int i = 0; i < STALE_BYTES_MAX; i++) {
		if (!(r->read(r->dev, UART_LSR) & LSR_DATA_READY))
			return true;
		(void)r->read(r->dev, UART_DATA);
	}
	return false;
}

/* Send b to ourselves (MCR loopback) and check it comes back whole. */
static bool loops_back(const struct uart_regs *r, uint8_t b, uint32_t baud)
{
	uint64_t t = uart16550_timeout_us(baud);
	if (!uart16550_wait(r, LSR_THR_EMPTY, t))
		return false;
	r->write(r->dev, UART_DATA, b);
	return uart16550_wait(r, LSR_DATA_READY, t) &&
	       r->read(r->dev, UART_DATA) == b;
}

bool uart16550_setup(const struct uart_regs *r, uint16_t divisor, uint32_t baud)
{
	r->write(r->dev, UART_IER, 0);
	/* The line format first: from reset LCR is 0 (5-bit characters),
	 * and a byte looped back would lose its top three bits. */
	r->write(r->dev, UART_LCR, LCR_DLAB);
	r->write(r->dev, UART_DATA, divisor & 0xff);
	r->write(r->dev, UART_IER, divisor >> 8);
	r->write(r->dev, UART_LCR, LCR_8N1);
	r->write(r->dev, UART_FCR, FCR_ENABLE_CLEAR | FCR_TRIGGER_14);
	r->write(r->dev, UART_MCR, MCR_LOOP | MCR_RTS);
	bool ok = r->read(r->dev, UART_LCR) == LCR_8N1 && drain_rx(r) &&
		  loops_back(r, PROBE_BYTE_A, baud) &&
		  loops_back(r, PROBE_BYTE_B, baud);
	r->write(r->dev, UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	r->write(r->dev, UART_FCR, FCR_ENABLE_CLEAR | FCR_TRIGGER_14);
	return ok;
}

uint8_t uart16550_tx_depth(const struct uart_regs *r)
{
	uint8_t iir = r->read(r->dev, UART_IIR);
	return (iir & IIR_FIFOS_WORK) == IIR_FIFOS_WORK ? UART_FIFO_DEPTH : 1;
}

bool uart16550_tx_room(const struct uart_regs *r, uint8_t *room, uint8_t depth,
		       uint64_t timeout_us)
{
	if (!*room) {
		if (!uart16550_wait(r, LSR_THR_EMPTY, timeout_us))
			return false;
		*room = depth ? depth : 1; /* THRE: the FIFO is empty */
	}
	(*room)--;
	return true;
}
