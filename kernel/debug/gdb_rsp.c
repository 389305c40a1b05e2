/* gdb_rsp.c — GDB remote serial protocol framing: packets, acks, hex codecs. */
#include "kernel/debug/gdb_rsp.h"
#include "kernel/lib/string.h"

const char gdb_hex_digits[16] = "0123456789abcdef";

/* Outcome of reading one packet body after its '$'. */
enum body {
	BODY_OK,      /* checksum verified */
	BODY_BAD,     /* checksum or encoding wrong */
	BODY_TOOLONG, /* checksum right, but it did not fit in rx */
	BODY_RESTART, /* a '$' arrived mid-packet: a new packet begins */
	BODY_EOF,
};

void gdb_rsp_init(struct gdb_rsp *r, const struct char_io *io)
{
	r->io = io;
	r->no_ack = false;
	r->pushback = -1;
	r->rx_len = 0;
	r->tx_len = 0;
	r->rx[0] = '\0';
}

void gdb_rsp_unget(struct gdb_rsp *r, int c)
{
	r->pushback = c;
}

static int rsp_getc(struct gdb_rsp *r)
{
	int c = r->pushback;
	if (c >= 0) {
		r->pushback = -1;
		return c;
	}
	c = r->io->getc(r->io->ctx);
	return c < 0 ? -1 : (c & 0xff);
}

static void rsp_putc(struct gdb_rsp *r, char c)
{
	r->io->putc(r->io->ctx, c);
}

int gdb_hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append c to rx, noting overflow instead of writing past the end. */
static void rx_put(struct gdb_rsp *r, char c, bool *overflow)
{
	if (r->rx_len < GDB_PACKET_SIZE)
		r->rx[r->rx_len++] = c;
	else
		*overflow = true;
}

/* Read the two checksum digits after '#'. Returns the value, -1 on a bad
 * digit, -2 on end of input. */
static int read_checksum(struct gdb_rsp *r)
{
	int hi = rsp_getc(r);
	if (hi < 0)
		return -2;
	int lo = rsp_getc(r);
	if (lo < 0)
		return -2;
	if (gdb_hex_val((char)hi) < 0 || gdb_hex_val((char)lo) < 0)
		return -1;
	return gdb_hex_val((char)hi) << 4 | gdb_hex_val((char)lo);
}

/* Read payload and checksum after a '$' into rx, expanding "c*n" runs. */
static enum body read_body(struct gdb_rsp *r)
{
	uint8_t sum = 0;
	bool overflow = false, bad = false;
	int prev = -1, c;

	r->rx_len = 0;
	while ((c = rsp_getc(r)) != GDB_CH_END) {
		if (c < 0)
			return BODY_EOF;
		if (c == GDB_CH_START) {
			gdb_rsp_unget(r, c);
			return BODY_RESTART;
		}
		sum += (uint8_t)c;
		if (c != GDB_CH_RLE || prev < 0) {
			rx_put(r, (char)c, &overflow);
			prev = c;
			continue;
		}
		int n = rsp_getc(r);
		if (n < 0)
			return BODY_EOF;
		if (n == GDB_CH_START || n == GDB_CH_END || n < GDB_RLE_BIAS) {
			bad = true; /* not a run count; the checksum decides */
			if (n == GDB_CH_END)
				break;
			if (n == GDB_CH_START) {
				gdb_rsp_unget(r, n);
				return BODY_RESTART;
			}
		}
		sum += (uint8_t)n;
		for (int i = GDB_RLE_BIAS; !bad && i < n; i++)
			rx_put(r, (char)prev, &overflow);
		prev = -1; /* a run cannot itself be repeated */
	}
	int cs = read_checksum(r);
	if (cs == -2)
		return BODY_EOF;
	r->rx[r->rx_len < GDB_PACKET_SIZE ? r->rx_len : GDB_PACKET_SIZE] = '\0';
	if (cs != sum || bad)
		return BODY_BAD;
	return overflow ? BODY_TOOLONG : BODY_OK;
}

enum gdb_rx gdb_rsp_recv(struct gdb_rsp *r)
{
	for (;;) {
		int c = rsp_getc(r);
		if (c < 0)
			return GDB_RX_EOF;
		if (c == GDB_CH_INTERRUPT)
			return GDB_RX_INTERRUPT;
		if (c != GDB_CH_START)
			continue; /* stray acks, line noise */
		enum body b = read_body(r);
		if (b == BODY_EOF)
			return GDB_RX_EOF;
		if (b == BODY_RESTART)
			continue;
		/* A new GDB (the old one died in no-ack mode) starts with
		 * qSupported and expects acks until it asks otherwise. */
		if (b == BODY_OK && r->rx_len >= 10 &&
		    memcmp(r->rx, "qSupported", 10) == 0)
			r->no_ack = false;
		if (!r->no_ack)
			rsp_putc(r, b == BODY_BAD ? GDB_CH_NAK : GDB_CH_ACK);
		if (b == BODY_OK)
			return GDB_RX_PACKET;
		if (b == BODY_TOOLONG) {
			r->rx_len = 0;
			r->rx[0] = '\0';
			return GDB_RX_TOOLONG;
		}
	}
}

/* Run-length encoding of what we send (GDB manual, "Overview"): c followed
 * by n more c's goes out as c '*' (n + 29). n + 29 must be printable and
 * not '#' or '$' (n = 6, 7): those runs use n = 5. Shorter runs than
 * RLE_MIN are cheaper as they are. Every byte saved is a UART character
 * time (and, under QEMU, a write to the chardev). */
#define RLE_MIN 3
#define RLE_MAX (126 - GDB_RLE_BIAS)

/* How many copies of tx[i] follow it (at most RLE_MAX), RLE-sendable. */
static size_t run_after(const struct gdb_rsp *r, size_t i)
{
	size_t n = 0;
	while (i + 1 + n < r->tx_len && n < RLE_MAX &&
	       r->tx[i + 1 + n] == r->tx[i])
		n++;
	if (n + GDB_RLE_BIAS == GDB_CH_END || n + GDB_RLE_BIAS == GDB_CH_START)
		n = GDB_CH_END - 1 - GDB_RLE_BIAS;
	return n < RLE_MIN ? 0 : n;
}

static void put_sum(struct gdb_rsp *r, char c, uint8_t *sum)
{
	*sum += (uint8_t)c;
	rsp_putc(r, c);
}

/* Put the framed packet r->tx[0..tx_len) on the line, run-length encoded. */
static void transmit(struct gdb_rsp *r)
{
	uint8_t sum = 0;
	rsp_putc(r, GDB_CH_START);
	for (size_t i = 0; i < r->tx_len;) {
		size_t n = run_after(r, i);
		put_sum(r, r->tx[i], &sum);
		if (n) {
			put_sum(r, GDB_CH_RLE, &sum);
			put_sum(r, (char)(n + GDB_RLE_BIAS), &sum);
		}
		i += 1 + n;
	}
	rsp_putc(r, GDB_CH_END);
	rsp_putc(r, gdb_hex_digits[sum >> 4]);
	rsp_putc(r, gdb_hex_digits[sum & 0xf]);
}

/* Wait for the peer's verdict on what we sent: 1 = acked, 0 = nak'd,
 * -1 = input ended. A new packet or an interrupt counts as an ack (the
 * peer has moved on) and is left for gdb_rsp_recv. */
static int wait_ack(struct gdb_rsp *r)
{
	for (;;) {
		int c = rsp_getc(r);
		if (c < 0)
			return -1;
		if (c == GDB_CH_ACK)
			return 1;
		if (c == GDB_CH_NAK)
			return 0;
		if (c == GDB_CH_START || c == GDB_CH_INTERRUPT) {
			gdb_rsp_unget(r, c);
			return 1;
		}
	}
}

int gdb_rsp_send(struct gdb_rsp *r, size_t len)
{
	r->tx_len = len < GDB_PACKET_SIZE ? len : GDB_PACKET_SIZE;
	for (int attempt = 0; attempt <= GDB_MAX_RETRANSMIT; attempt++) {
		transmit(r);
		if (r->no_ack)
			return 0;
		int v = wait_ack(r);
		if (v != 0)
			return v > 0 ? 0 : -1;
	}
	return -1;
}

int gdb_rsp_send_str(struct gdb_rsp *r, const char *payload, size_t len)
{
	if (len > GDB_PACKET_SIZE)
		len = GDB_PACKET_SIZE;
	memcpy(r->tx, payload, len);
	return gdb_rsp_send(r, len);
}

void gdb_hex_encode(char *dst, const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = gdb_hex_digits[s[i] >> 4];
		dst[2 * i + 1] = gdb_hex_digits[s[i] & 0xf];
	}
}

int gdb_hex_decode(void *dst, const char *src, size_t n)
{
	uint8_t *d = dst;
	for (size_t i = 0; i < n; i++) {
		int hi = gdb_hex_val(src[2 * i]);
		if (hi < 0)
			return -1;
		int lo = gdb_hex_val(src[2 * i + 1]);
		if (lo < 0)
			return -1;
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int gdb_parse_hex(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0, d;
	while ((d = gdb_hex_val(*s)) >= 0) {
		if (++n > 16)
			return -1;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (n == 0)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

long gdb_unescape(char *buf, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == GDB_CH_ESCAPE) {
			if (++i == len)
				return -1;
			buf[o++] = (char)(buf[i] ^ GDB_ESCAPE_XOR);
		} else {
			buf[o++] = buf[i];
		}
	}
	return (long)o;
}

bool gdb_needs_escape(char c)
{
	return c == GDB_CH_START || c == GDB_CH_END || c == GDB_CH_ESCAPE ||
	       c == GDB_CH_RLE;
}
