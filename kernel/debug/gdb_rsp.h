/* gdb_rsp.h — GDB remote serial protocol framing: packets, acks, hex codecs. */
#ifndef KERNEL_DEBUG_GDB_RSP_H
#define KERNEL_DEBUG_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/char_io.h"

/*
 * Largest payload we accept or send (advertised to GDB as PacketSize).
 * A reply travels as '$' + payload + '#cc'. At 115200 baud 8N1 the line
 * moves 115200 / 10 = 11520 bytes/s, so GDB's default 2 s remote timeout
 * covers 23040 bytes; 4096 + 4 bytes take 0.36 s, leaving room for a slow
 * UART, flow-control stalls and the ack round trip. 4096 also holds the
 * biggest register reply ('g', 2 * 340 = 680 hex chars) many times over.
 */
#define GDB_PACKET_SIZE 4096

/* Protocol characters (GDB manual, "Overview" of the Remote Protocol). */
#define GDB_CH_START '$'  /* packet start */
#define GDB_CH_END '#'	  /* payload end, two hex checksum digits follow */
#define GDB_CH_ACK '+'	  /* packet received intact */
#define GDB_CH_NAK '-'	  /* packet damaged: please retransmit */
#define GDB_CH_ESCAPE '}' /* binary escape: next byte is XORed with 0x20 */
#define GDB_CH_RLE '*'	  /* run-length: repeat previous char (n - 29) times */
#define GDB_CH_INTERRUPT 0x03 /* Ctrl-C outside a packet: stop the target */
#define GDB_ESCAPE_XOR 0x20
#define GDB_RLE_BIAS 29
/* Resends of one reply after '-' before giving up. */
#define GDB_MAX_RETRANSMIT 8

/* What gdb_rsp_recv found on the line. */
enum gdb_rx {
	GDB_RX_PACKET, /* a verified packet is in rx[0..rx_len), NUL-terminated
			*/
	GDB_RX_INTERRUPT, /* 0x03 arrived outside a packet */
	GDB_RX_TOOLONG,	  /* an intact packet larger than GDB_PACKET_SIZE */
	GDB_RX_EOF,	  /* getc returned -1 */
};

/* Framing state of one connection. The buffers are part of the struct so
 * the kernel can keep it in .bss; nothing here allocates. */
struct gdb_rsp {
	const struct char_io *io;
	bool no_ack;  /* QStartNoAckMode accepted: no '+'/'-' either way */
	int pushback; /* a byte read ahead, or -1 */
	size_t rx_len;
	size_t tx_len;
	char rx[GDB_PACKET_SIZE + 1];
	char tx[GDB_PACKET_SIZE + 1]; /* last payload sent, for retransmit */
};

/* Start a connection over io in ack mode. */
void gdb_rsp_init(struct gdb_rsp *r, const struct char_io *io);

/* Make c the next byte gdb_rsp_recv sees (e.g. the '$' the serial interrupt
 * handler consumed when it noticed GDB knocking). */
void gdb_rsp_unget(struct gdb_rsp *r, int c);

/* Wait for the next packet: skip garbage before '$', verify the checksum
 * (acking '+' or '-' unless in no-ack mode), expand run-length encoding.
 * Damaged packets are dropped and the wait goes on; an intact packet too
 * big for rx is acked, discarded and reported as GDB_RX_TOOLONG. */
enum gdb_rx gdb_rsp_recv(struct gdb_rsp *r);

/* Frame and send r->tx[0..len) as a packet; in ack mode wait for '+',
 * resending on '-' at most GDB_MAX_RETRANSMIT times. Returns 0, or -1 when
 * the peer never acknowledged. The payload must not contain '$' or '#'. */
int gdb_rsp_send(struct gdb_rsp *r, size_t len);

/* Copy payload (len <= GDB_PACKET_SIZE) into r->tx and send it. */
int gdb_rsp_send_str(struct gdb_rsp *r, const char *payload, size_t len);

/* Hex helpers. gdb_hex_val: digit value or -1. */
int gdb_hex_val(char c);
extern const char gdb_hex_digits[16];

/* Write 2*n lowercase hex digits for src[0..n) to dst (no NUL). */
void gdb_hex_encode(char *dst, const void *src, size_t n);

/* Decode 2*n hex digits from src into dst. Returns 0, or -1 on a bad digit. */
int gdb_hex_decode(void *dst, const char *src, size_t n);

/* Parse a big-endian hex number at *p (at least one digit, at most 16),
 * advancing *p past it. Returns 0, or -1 when there is none / it overflows. */
int gdb_parse_hex(const char **p, uint64_t *out);

/* Undo '}' escaping of binary data in place over buf[0..len).
 * Returns the decoded length, or -1 when the data ends inside an escape. */
long gdb_unescape(char *buf, size_t len);

/* Does byte c need escaping in binary data we send? */
bool gdb_needs_escape(char c);

#endif
