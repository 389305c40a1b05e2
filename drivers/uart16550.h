/* uart16550.h — 16550 register logic (probe, line set-up, bounded waits)
 * over a small register-access interface, shared by the driver and the
 * host tests. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <stdbool.h>
#include <stdint.h>

/* Register indices (PC16550D data sheet, table 2). */
#define UART_DATA 0 /* RBR/THR; divisor low when DLAB=1 */
#define UART_IER 1  /* interrupt enable; divisor high when DLAB=1 */
#define UART_FCR 2  /* FIFO control (write) */
#define UART_IIR 2  /* interrupt identification (read) */
#define UART_LCR 3  /* line control */
#define UART_MCR 4  /* modem control */
#define UART_LSR 5  /* line status */
#define UART_SCR 7  /* scratch */
#define UART_REGS 8

/* Bits (PC16550D data sheet, section 8: register descriptions). */
#define LCR_8N1 0x03	      /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB 0x80	      /* divisor latch access */
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear RX and TX */
#define FCR_TRIGGER_14 0xc0   /* RX interrupt at 14 bytes */
#define IIR_FIFOS_WORK 0xc0   /* bits 7:6: FIFOs on (16550A; 0x80: 16550) */
#define UART_FIFO_DEPTH 16    /* bytes in each FIFO of a 16550A */
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT2 0x08 /* gates the IRQ line on PCs */
#define MCR_LOOP 0x10 /* loopback for the probe */
#define IER_RX_AVAIL 0x01
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define UART_OVERSAMPLE 16 /* baud = clock / (16 * divisor) */
#define UART_CHAR_BITS 10  /* 8N1 on the wire: start, 8 data, stop */

/* How to reach one UART's registers, and a clock to bound waits by. */
struct uart_regs {
	uint8_t (*read)(const void *dev, int reg);
	void (*write)(const void *dev, int reg, uint8_t v);
	/* Microseconds, never ahead of real time (it may run slow): works
	 * before any timer interrupt, e.g. from the TSC. */
	uint64_t (*now_us)(void);
	const void *dev;
};

/* How far from the asked rate a divisor may land: 8N1 framing tolerates
 * about twice this between two ends (the stop bit's sample drifts). */
#define UART_BAUD_TOLERANCE_PCT 2

/* The divisor that makes baud from a UART clock of clock_hz (rate =
 * clock / 16 / divisor), or 0 when none lands within
 * UART_BAUD_TOLERANCE_PCT: the rate is above clock / 16, or between two
 * divisors, or so slow the 16-bit divisor overflows. */
uint16_t uart16550_divisor_for(uint32_t clock_hz, uint32_t baud);

/* Microseconds one 8N1 character takes at baud (at least 1). */
uint32_t uart16550_char_us(uint32_t baud);
/* How long a healthy UART may take to show a state change that needs
 * one character's time at baud: a few characters plus a margin. */
uint64_t uart16550_timeout_us(uint32_t baud);
/* Wait until LSR shows any of bits, for at most timeout_us; true when
 * it did. Bounded by time, however fast the registers read. */
bool uart16550_wait(const struct uart_regs *r, uint8_t bits,
		    uint64_t timeout_us);
/* Whether the scratch register keeps a value (an empty port does not). */
bool uart16550_scratch_ok(const struct uart_regs *r);
/* The baud divisor the firmware left (LCR restored afterwards). */
uint16_t uart16550_divisor(const struct uart_regs *r);
/* Program divisor and 8N1 with interrupts off and FIFOs on, then check
 * that a byte sent in loopback comes back whole at that baud: true when
 * a working 16550 is there. Works from the reset state (LCR 0: 5-bit
 * characters, FIFOs off). Leaves DTR, RTS and OUT2 set. */
bool uart16550_setup(const struct uart_regs *r, uint16_t divisor,
		     uint32_t baud);

/* Bytes the transmitter takes after each THRE: UART_FIFO_DEPTH when the
 * FIFOs work (IIR after uart16550_setup turned them on), else 1 (a 16450,
 * or a 16550 whose FIFOs are broken and so stay off). */
uint8_t uart16550_tx_depth(const struct uart_regs *r);
/* Before writing a byte: take one of *room, the bytes that may go without
 * looking at LSR; at 0, first wait for THRE (at most timeout_us) and count
 * depth bytes of room again. False when THRE never came (room stays 0). */
bool uart16550_tx_room(const struct uart_regs *r, uint8_t *room, uint8_t depth,
		       uint64_t timeout_us);

#endif
