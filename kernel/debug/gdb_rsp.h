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
 * biggest register reply ('g', 2 * 608 = 1216 hex chars) three times over.
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
/* How long to wait for the '+' of one packet we sent. GDB acks at once;
 * a client that has (or thinks it has) turned acks off never will, and
 * must not leave the kernel stopped (LLDB's detach). */
#define GDB_ACK_TIMEOUT_MS 1000

/* What one byte fed to the framer completed (gdb_framer_feed). */
enum gdb_frame {
	GDB_FRAME_MORE,	     /* taken into the packet being received */
	GDB_FRAME_PACKET,    /* "$payload#cc" ended with the right checksum:
				payload in buf[0..len), NUL-terminated */
	GDB_FRAME_BAD,	     /* a packet ended with a wrong checksum or a
				broken run-length encoding */
	GDB_FRAME_TOOLONG,   /* an intact packet larger than GDB_PACKET_SIZE:
				its payload is dropped */
	GDB_FRAME_RESTART,   /* a '$' inside a packet: the partial packet is
				dropped and a new one begins with this byte */
	GDB_FRAME_INTERRUPT, /* 0x03 outside a packet */
	GDB_FRAME_ACK,	     /* '+' outside a packet */
	GDB_FRAME_NAK,	     /* '-' outside a packet */
	GDB_FRAME_NOISE,     /* any other byte outside a packet */
};

/* An incremental, byte-fed packet parser: the one framer of the stub's
 * receive path and of the serial interrupt's packet detector. It does no
 * I/O; the caller acks, naks and holds bytes as it sees fit. */
struct gdb_framer {
	unsigned char state; /* where in "$payload#cc" the next byte goes */
	uint8_t sum;	     /* checksum of the payload bytes so far */
	bool overflow;	     /* the payload did not fit in buf */
	bool bad;	     /* a run-length count was not one */
	int prev;	     /* last payload byte a run may repeat, or -1 */
	int cs_hi;	     /* first checksum digit's value, or -1 if bad */
	size_t len;
	char buf[GDB_PACKET_SIZE + 1];
};

/* Forget any partial packet: the next byte is outside a packet. */
void gdb_framer_reset(struct gdb_framer *f);
/* Feed one received byte; see enum gdb_frame for what comes back. */
enum gdb_frame gdb_framer_feed(struct gdb_framer *f, uint8_t c);
/* True between a packet's '$' and its last checksum digit. */
bool gdb_framer_in_packet(const struct gdb_framer *f);

/* What gdb_rsp_recv found on the line. */
enum gdb_rx {
	GDB_RX_PACKET,	  /* a verified packet is in in.buf[0..in.len),
			     NUL-terminated; not yet acked (gdb_rsp_ack) */
	GDB_RX_INTERRUPT, /* 0x03 arrived outside a packet */
	GDB_RX_TOOLONG,	  /* an intact packet larger than GDB_PACKET_SIZE;
			     not yet acked */
	GDB_RX_EOF,	  /* getc returned -1 */
};

/* Framing state of one connection. The buffers are part of the struct so
 * the kernel can keep it in .bss; nothing here allocates. */
struct gdb_rsp {
	const struct char_io *io;
	bool no_ack;  /* QStartNoAckMode accepted: no '+'/'-' either way */
	int pushback; /* a byte read ahead, or -1 */
	size_t tx_len;
	struct gdb_framer in;	      /* the packet being received */
	char tx[GDB_PACKET_SIZE + 1]; /* last payload sent, for retransmit */
};

/* Start a connection over io in ack mode. */
void gdb_rsp_init(struct gdb_rsp *r, const struct char_io *io);

/* Make c the next byte gdb_rsp_recv sees (e.g. the '$' the serial interrupt
 * handler consumed when it noticed GDB knocking). */
void gdb_rsp_unget(struct gdb_rsp *r, int c);

/* Wait for the next packet: skip garbage before '$', verify the checksum
 * (naking a damaged packet unless in no-ack mode, then waiting on),
 * expand run-length encoding. A verified packet is returned without its
 * ack: the caller first decides which client sent it (a new client starts
 * in ack mode), then calls gdb_rsp_ack. */
enum gdb_rx gdb_rsp_recv(struct gdb_rsp *r);

/* Acknowledge the packet gdb_rsp_recv returned ('+', unless no-ack). */
void gdb_rsp_ack(struct gdb_rsp *r);

/* Frame and send r->tx[0..len) as a packet; in ack mode wait for '+',
 * resending on '-' at most GDB_MAX_RETRANSMIT times. The wait for each
 * ack is bounded: io->getc_timeout (if any) gives up after
 * GDB_ACK_TIMEOUT_MS. Returns 0, or -1 when the peer never acknowledged.
 * The payload must not contain '$' or '#'. */
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
