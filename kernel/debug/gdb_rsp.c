/* gdb_rsp.c — GDB remote serial protocol framing: packets, acks, hex codecs. */
#include "kernel/debug/gdb_rsp.h"
#include "kernel/lib/string.h"

const char gdb_hex_digits[16] = "0123456789abcdef";

void gdb_rsp_init(struct gdb_rsp *r, const struct char_io *io)
{
	r->io = io;
	r->no_ack = false;
	r->pushback = -1;
	r->tx_len = 0;
	gdb_framer_reset(&r->in);
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

/* --- the framer ------------------------------------------------------ */

/* Where the next byte goes: "$" BODY... ['*' RUN] ... "#" CSUM_HI CSUM_LO */
enum { F_IDLE, F_BODY, F_RUN, F_CSUM_HI, F_CSUM_LO };

void gdb_framer_reset(struct gdb_framer *f)
{
	f->state = F_IDLE;
	f->len = 0;
	f->buf[0] = '\0';
}

bool gdb_framer_in_packet(const struct gdb_framer *f)
{
	return f->state != F_IDLE;
}

static void framer_start(struct gdb_framer *f)
{
	f->state = F_BODY;
	f->sum = 0;
	f->overflow = false;
	f->bad = false;
	f->prev = -1;
	f->len = 0;
}

/* Append c to the payload, noting overflow instead of writing past it. */
static void framer_put(struct gdb_framer *f, char c)
{
	if (f->len < GDB_PACKET_SIZE)
		f->buf[f->len++] = c;
	else
		f->overflow = true;
}

/* A byte outside any packet. */
static enum gdb_frame framer_idle(struct gdb_framer *f, uint8_t c)
{
	switch (c) {
	case GDB_CH_START:
		framer_start(f);
		return GDB_FRAME_MORE;
	case GDB_CH_INTERRUPT:
		return GDB_FRAME_INTERRUPT;
	case GDB_CH_ACK:
		return GDB_FRAME_ACK;
	case GDB_CH_NAK:
		return GDB_FRAME_NAK;
	default:
		return GDB_FRAME_NOISE;
	}
}

/* The count after "c*": c repeated (count - 29) more times. A count that
 * cannot be one ('#', or below the bias) marks the packet bad; the
 * checksum still decides when it ends. */
static enum gdb_frame framer_run(struct gdb_framer *f, uint8_t n)
{
	f->state = F_BODY;
	if (n == GDB_CH_END) {
		f->bad = true;
		f->state = F_CSUM_HI;
		return GDB_FRAME_MORE;
	}
	f->sum += n;
	if (n < GDB_RLE_BIAS)
		f->bad = true;
	for (int i = GDB_RLE_BIAS; !f->bad && i < n; i++)
		framer_put(f, (char)f->prev);
	f->prev = -1; /* a run cannot itself be repeated */
	return GDB_FRAME_MORE;
}

/* The second checksum digit: the packet is complete. */
static enum gdb_frame framer_end(struct gdb_framer *f, uint8_t c)
{
	int lo = gdb_hex_val((char)c);
	f->state = F_IDLE;
	f->buf[f->len] = '\0';
	if (f->cs_hi < 0 || lo < 0 || (f->cs_hi << 4 | lo) != f->sum || f->bad)
		return GDB_FRAME_BAD;
	if (f->overflow) {
		f->len = 0;
		f->buf[0] = '\0';
		return GDB_FRAME_TOOLONG;
	}
	return GDB_FRAME_PACKET;
}

enum gdb_frame gdb_framer_feed(struct gdb_framer *f, uint8_t c)
{
	if (f->state == F_IDLE)
		return framer_idle(f, c);
	if (c == GDB_CH_START && f->state != F_CSUM_LO &&
	    f->state != F_CSUM_HI) {
		framer_start(f); /* the sender gave up on the last one */
		return GDB_FRAME_RESTART;
	}
	switch (f->state) {
	case F_RUN:
		return framer_run(f, c);
	case F_CSUM_HI:
		f->cs_hi = gdb_hex_val((char)c);
		f->state = F_CSUM_LO;
		return GDB_FRAME_MORE;
	case F_CSUM_LO:
		return framer_end(f, c);
	default:
		break;
	}
	if (c == GDB_CH_END) {
		f->state = F_CSUM_HI;
		return GDB_FRAME_MORE;
	}
	f->sum += c;
	if (c == GDB_CH_RLE && f->prev >= 0) {
		f->state = F_RUN;
		return GDB_FRAME_MORE;
	}
	framer_put(f, (char)c);
	f->prev = c;
	return GDB_FRAME_MORE;
}

/* --- the connection --------------------------------------------------- */

enum gdb_rx gdb_rsp_recv(struct gdb_rsp *r)
{
	for (;;) {
		int c = rsp_getc(r);
		if (c < 0)
			return GDB_RX_EOF;
		switch (gdb_framer_feed(&r->in, (uint8_t)c)) {
		case GDB_FRAME_PACKET:
			return GDB_RX_PACKET;
		case GDB_FRAME_TOOLONG:
			return GDB_RX_TOOLONG;
		case GDB_FRAME_INTERRUPT:
			return GDB_RX_INTERRUPT;
		case GDB_FRAME_BAD:
			if (!r->no_ack)
				rsp_putc(r, GDB_CH_NAK);
			break;
		default:
			break; /* inside a packet, stray acks, line noise */
		}
	}
}

void gdb_rsp_ack(struct gdb_rsp *r)
{
	if (!r->no_ack)
		rsp_putc(r, GDB_CH_ACK);
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

/* A byte for an ack wait: bounded when the io can time out. */
static int ack_getc(struct gdb_rsp *r)
{
	if (r->pushback >= 0 || !r->io->getc_timeout)
		return rsp_getc(r);
	int c = r->io->getc_timeout(r->io->ctx, GDB_ACK_TIMEOUT_MS);
	return c < 0 ? -1 : (c & 0xff);
}

/* Wait for the peer's verdict on what we sent: 1 = acked, 0 = nak'd,
 * -1 = input ended or no ack came in time. A new packet or an interrupt
 * counts as an ack (the peer has moved on): the framer keeps the packet's
 * start, the interrupt is put back for gdb_rsp_recv. */
static int wait_ack(struct gdb_rsp *r)
{
	for (;;) {
		int c = ack_getc(r);
		if (c < 0)
			return -1;
		switch (gdb_framer_feed(&r->in, (uint8_t)c)) {
		case GDB_FRAME_ACK:
			return 1;
		case GDB_FRAME_NAK:
			return 0;
		case GDB_FRAME_INTERRUPT:
			gdb_rsp_unget(r, c);
			return 1;
		case GDB_FRAME_NOISE:
			break;
		default: /* a packet began (it cannot end on its first byte) */
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
