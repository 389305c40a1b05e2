/* test_gdbstub.c — kgdbts-style stub tests: scripted packets, exact replies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/gdbstub.h"
#include "tests/unit/gdb_fake_target.h"
#include "tests/unit/harness.h"

/* --- scripted I/O ---------------------------------------------------- */

static char in_buf[65536];
static size_t in_len, in_pos;
static char out_buf[1 << 20];
static size_t out_len;

static int script_getc(void *ctx)
{
	(void)ctx;
	return in_pos < in_len ? (unsigned char)in_buf[in_pos++] : -1;
}

static void script_putc(void *ctx, char c)
{
	(void)ctx;
	assert_true(out_len < sizeof out_buf - 1);
	out_buf[out_len++] = c;
	out_buf[out_len] = '\0';
}

static const struct char_io script_io = {.getc = script_getc,
					 .putc = script_putc};
static struct fake_target ft;
static struct gdb_stub stub;

static int setup(void **state)
{
	(void)state;
	in_len = in_pos = out_len = 0;
	out_buf[0] = '\0';
	fake_target_init(&ft);
	gdb_stub_init(&stub, &script_io, &ft.ops);
	return 0;
}

static void feed_raw(const char *s, size_t n)
{
	assert_true(in_len + n <= sizeof in_buf);
	memcpy(in_buf + in_len, s, n);
	in_len += n;
}

static uint8_t checksum(const char *p, size_t n)
{
	uint8_t sum = 0;
	while (n--)
		sum += (uint8_t)*p++;
	return sum;
}

/* Frame payload (n bytes) as "$payload#cc" into dst; returns length. */
static size_t frame(char *dst, const char *payload, size_t n)
{
	dst[0] = '$';
	memcpy(dst + 1, payload, n);
	sprintf(dst + 1 + n, "#%02x", checksum(payload, n));
	return n + 4;
}

static void feed_bin(const char *payload, size_t n)
{
	static char tmp[65536];
	feed_raw(tmp, frame(tmp, payload, n));
}

static void feed(const char *payload)
{
	feed_bin(payload, strlen(payload));
}

/* "+$payload#cc" as a freshly allocated string (test-lifetime leak is
 * avoided by a small ring). */
static const char *acked(const char *payload)
{
	static char ring[8][8192];
	static int i;
	char *d = ring[i++ % 8];
	d[0] = '+';
	d[1 + frame(d + 1, payload, strlen(payload))] = '\0';
	return d;
}

static enum gdb_action run(void)
{
	return gdb_session(&stub);
}

/* Undo the stub's run-length encoding ("c*N": N - 29 more c's). */
static const char *rle_expand(const char *p)
{
	static char out[GDB_PACKET_SIZE + 1];
	size_t o = 0;
	for (size_t i = 0; p[i]; i++) {
		if (p[i] == '*' && i > 0) {
			char c = p[i - 1], n = p[++i];
			assert_true(n >= 29 + 3 && n <= 126 && n != '#' &&
				    n != '$');
			for (int k = 0; k < n - 29; k++)
				out[o++] = c;
			continue;
		}
		out[o++] = p[i];
	}
	out[o] = '\0';
	return out;
}

/* Next packet payload in out_buf at *pos (skipping acks); checks the
 * checksum. Returns a NUL-terminated copy in a static buffer. */
static const char *next_reply(size_t *pos)
{
	static char payload[GDB_PACKET_SIZE + 1];
	while (*pos < out_len && out_buf[*pos] != '$')
		(*pos)++;
	assert_true(*pos < out_len);
	char *end = memchr(out_buf + *pos, '#', out_len - *pos);
	assert_non_null(end);
	size_t n = (size_t)(end - out_buf - *pos - 1);
	assert_true(n <= GDB_PACKET_SIZE);
	memcpy(payload, out_buf + *pos + 1, n);
	payload[n] = '\0';
	unsigned cs;
	assert_int_equal(sscanf(end + 1, "%2x", &cs), 1);
	assert_int_equal(cs, checksum(payload, n));
	*pos = (size_t)(end - out_buf) + 3;
	return rle_expand(payload);
}

/* Run one packet, return the single reply payload. */
static const char *ask(const char *payload)
{
	if (in_pos == in_len) /* all consumed: reuse the buffers */
		in_pos = in_len = out_len = 0;
	size_t pos = out_len;
	feed(payload);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	return next_reply(&pos);
}

static void hex64(char *dst, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		sprintf(dst + 2 * i, "%02x", (unsigned)(v >> (8 * i)) & 0xff);
}

/* --- framing ---------------------------------------------------------- */

static void test_ack_and_reply(void **state)
{
	(void)state;
	feed("qOffsets");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("Text=0;Data=0;Bss=0"));
}

static void test_bad_checksum_naks_and_does_nothing(void **state)
{
	(void)state;
	char pkt[64];
	size_t n = frame(pkt,
			 "M"
			 "ffffffff80100000"
			 ",1:ee",
			 23);
	pkt[n - 1] ^= 1; /* corrupt the checksum */
	feed_raw(pkt, n);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, "-");
	assert_int_equal(ft.mem[0], 0);
}

static void test_bad_checksum_digit(void **state)
{
	(void)state;
	feed_raw("$g#zz", 5);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, "-");
}

static void test_retransmit_on_nak(void **state)
{
	(void)state;
	feed("qAttached");
	feed_raw("--+", 3);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	char want[64];
	size_t n = frame(want, "1", 1);
	want[n] = '\0';
	char all[256];
	snprintf(all, sizeof all, "+%s%s%s", want, want, want);
	assert_string_equal(out_buf, all);
}

static void test_retransmit_is_bounded(void **state)
{
	(void)state;
	feed("qAttached");
	for (int i = 0; i < 50; i++)
		feed_raw("-", 1);
	feed("qAttached");
	feed_raw("+", 1);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	/* 1 + GDB_MAX_RETRANSMIT sends, then the stub moves on, skipping
	 * the remaining '-' as noise, and answers the next packet. */
	size_t pos = 0, count = 0;
	while (pos < out_len && memchr(out_buf + pos, '$', out_len - pos)) {
		assert_string_equal(next_reply(&pos), "1");
		count++;
	}
	assert_int_equal(count, 1 + GDB_MAX_RETRANSMIT + 1);
}

static void test_no_ack_mode(void **state)
{
	(void)state;
	feed("QStartNoAckMode");
	feed_raw("+", 1);
	feed("qAttached");
	char bad[16];
	size_t n = frame(bad, "qC", 2);
	bad[n - 1] ^= 1;
	feed_raw(bad, n); /* dropped silently in no-ack mode */
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	char want[128];
	char tmp[32];
	size_t m = frame(tmp, "1", 1);
	tmp[m] = '\0';
	snprintf(want, sizeof want, "%s%s", acked("OK"), tmp);
	assert_string_equal(out_buf, want);
}

static void test_garbage_before_packet(void **state)
{
	(void)state;
	feed_raw("\r\nhello++-}#*", 13);
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("1"));
}

/* A bare Ctrl-C while already stopped: the client missed (or never got)
 * the stop reply, so it gets it again. */
static void test_interrupt_while_stopped_repeats_stop_reply(void **state)
{
	(void)state;
	feed_raw("\x03", 1);
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	size_t pos = 0;
	assert_memory_equal(next_reply(&pos), "T05thread:1;", 12);
	assert_string_equal(next_reply(&pos), "1");
}

/* --- clients: each starts afresh ---------------------------------------- */

/* "$payload#cc" as a string (what a client in no-ack mode sends and what
 * the stub sends there: no '+' around it). */
static const char *framed(const char *payload)
{
	static char ring[8][512];
	static int i;
	char *d = ring[i++ % 8];
	d[frame(d, payload, strlen(payload))] = '\0';
	return d;
}

static const char supported_reply[] =
    "PacketSize=1000;qXfer:features:read+;qXfer:threads:read+;"
    "qXfer:memory-map:read+;swbreak+;hwbreak+;QStartNoAckMode+;"
    "vContSupported+";

/* LLDB's order: QStartNoAckMode first, then qSupported. The qSupported is
 * the same client, still in no-ack mode: nothing acked, nothing awaited,
 * and its detach is final. */
static void test_lldb_handshake_keeps_no_ack(void **state)
{
	(void)state;
	feed_raw("+", 1);
	feed("QStartNoAckMode");
	feed_raw("+", 1); /* acks our OK, then never again */
	feed("qSupported:xmlRegisters=i386");
	feed("D");
	assert_int_equal(run(), GDB_ACT_DETACH);
	char want[512];
	snprintf(want, sizeof want, "%s%s%s", acked("OK"),
		 framed(supported_reply), framed("OK"));
	assert_string_equal(out_buf, want);
}

/* D and k end a client: the next one starts in ack mode. */
static void test_detach_and_kill_end_the_client(void **state)
{
	(void)state;
	feed("QStartNoAckMode");
	feed_raw("+", 1);
	feed("D");
	assert_int_equal(run(), GDB_ACT_DETACH);
	size_t pos = out_len;
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf + pos, acked("1"));
	feed("QStartNoAckMode");
	feed_raw("+", 1);
	feed("k");
	assert_int_equal(run(), GDB_ACT_KILL);
	pos = out_len;
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf + pos, acked("1"));
}

/* A client that died in no-ack mode, then a new one whose first packet is
 * QStartNoAckMode (LLDB) or qSupported (GDB): acked, as a new client in
 * ack mode expects. */
static void test_new_client_mid_session_gets_acks(void **state)
{
	(void)state;
	feed("QStartNoAckMode");
	feed_raw("+", 1);
	feed("qAttached");
	feed("QStartNoAckMode"); /* LLDB: a new client */
	feed_raw("+", 1);
	feed("qAttached");
	feed("qSupported"); /* GDB: a new client */
	feed_raw("+", 1);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	char want[1024];
	snprintf(want, sizeof want, "%s%s%s%s%s", acked("OK"), framed("1"),
		 acked("OK"), framed("1"), acked(supported_reply));
	assert_string_equal(out_buf, want);
}

/* The kernel saw a new client's first packet while running (after the old
 * client had resumed it): no stale stop reply, no stale no-ack mode. */
static void test_new_client_gets_no_stale_stop_reply(void **state)
{
	(void)state;
	feed("QStartNoAckMode");
	feed_raw("+", 1);
	feed("c");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	assert_true(stub.gdb_waiting);
	gdb_stub_new_client(&stub);
	size_t pos = out_len;
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf + pos, acked("1"));
}

static void test_dollar_restarts_packet(void **state)
{
	(void)state;
	feed_raw("$g$", 3); /* a truncated packet, then a new one */
	feed("qAttached");
	in_pos = 0;
	/* the second '$' of "$g$" begins "$$qAttached..." - a fresh start */
	memmove(in_buf + 2, in_buf + 3, in_len - 3);
	in_len -= 1;
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("1"));
}

static void test_rle_input(void **state)
{
	(void)state;
	/* "a*" + chr(29 + 5) expands to six 'a's: M ...,3:aaaaaa */
	feed("Mffffffff80100010,3:a*\"");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("OK"));
	assert_memory_equal(ft.mem + 0x10, "\xaa\xaa\xaa", 3);
	assert_int_equal(ft.mem[0x13], 0x13);
}

/* Replies are run-length encoded: 8 zero bytes of memory are 16 '0's,
 * sent as "0*" + chr(29 + 15); runs of 7 and 8 avoid '#' and '$'. */
static void test_rle_output(void **state)
{
	(void)state;
	memset(ft.mem + 0x20, 0, 8);
	assert_string_equal(ask("mffffffff80100020,8"), "0000000000000000");
	assert_non_null(strstr(out_buf, "$0*,#")); /* out_buf: this exchange */
	memset(ft.mem + 0x20, 0x11, 4); /* "11111111": '1' + 7 more */
	assert_string_equal(ask("mffffffff80100020,4"), "11111111");
	assert_non_null(strstr(out_buf, "$1*\"11#"));
}

static void test_overlong_packet_rejected(void **state)
{
	(void)state;
	static char big[GDB_PACKET_SIZE + 100];
	memset(big, 'a', sizeof big);
	big[0] = 'M';
	feed_bin(big, sizeof big);
	feed("qAttached");
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	size_t pos = 0;
	assert_string_equal(next_reply(&pos), "E22");
	assert_string_equal(next_reply(&pos), "1");
}

static void test_empty_and_unknown_packets(void **state)
{
	(void)state;
	assert_string_equal(ask(""), "");
	assert_string_equal(ask("qFooBar"), "");
	assert_string_equal(ask("!"), "");
	assert_string_equal(ask("vMustReplyEmpty"), "");
	assert_string_equal(ask("\x80\xff"), "");
	assert_string_equal(ask("QFoo"), "");
}

/* --- the byte-fed framer ---------------------------------------------- */

static struct gdb_framer fr;

/* Feed s[0..n) to fr; return the event of the last byte, and check that
 * every byte before it only took the packet further (MORE). */
static enum gdb_frame fr_feed(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(gdb_framer_feed(&fr, (uint8_t)s[i]),
				 GDB_FRAME_MORE);
	return gdb_framer_feed(&fr, (uint8_t)s[n - 1]);
}

static void test_framer_events(void **state)
{
	(void)state;
	gdb_framer_reset(&fr);
	assert_false(gdb_framer_in_packet(&fr));
	assert_int_equal(gdb_framer_feed(&fr, 0x03), GDB_FRAME_INTERRUPT);
	assert_int_equal(gdb_framer_feed(&fr, '+'), GDB_FRAME_ACK);
	assert_int_equal(gdb_framer_feed(&fr, '-'), GDB_FRAME_NAK);
	assert_int_equal(gdb_framer_feed(&fr, 'x'), GDB_FRAME_NOISE);
	assert_int_equal(gdb_framer_feed(&fr, '#'), GDB_FRAME_NOISE);
	assert_int_equal(fr_feed("$qC#b4", 6), GDB_FRAME_PACKET);
	assert_false(gdb_framer_in_packet(&fr));
	assert_int_equal(fr.len, 2);
	assert_string_equal(fr.buf, "qC");
	/* inside a packet the special bytes are payload */
	char pkt[16];
	size_t n = frame(pkt, "+-\x03x", 4);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_PACKET);
	assert_memory_equal(fr.buf, "+-\x03x", 4);
	/* wrong checksum, bad digit, '$' in the checksum: all BAD */
	assert_int_equal(fr_feed("$qC#b5", 6), GDB_FRAME_BAD);
	assert_int_equal(fr_feed("$qC#zz", 6), GDB_FRAME_BAD);
	assert_int_equal(fr_feed("$qC#$4", 6), GDB_FRAME_BAD);
	assert_false(gdb_framer_in_packet(&fr));
	/* '$' mid-packet: the partial one is dropped, a new one begins */
	assert_int_equal(fr_feed("$g", 2), GDB_FRAME_MORE);
	assert_true(gdb_framer_in_packet(&fr));
	assert_int_equal(gdb_framer_feed(&fr, '$'), GDB_FRAME_RESTART);
	assert_int_equal(fr_feed("?#3f", 4), GDB_FRAME_PACKET);
	assert_string_equal(fr.buf, "?");
	/* a reset forgets a partial packet */
	fr_feed("$qSupp", 6);
	gdb_framer_reset(&fr);
	assert_int_equal(gdb_framer_feed(&fr, '#'), GDB_FRAME_NOISE);
}

static void test_framer_run_length(void **state)
{
	(void)state;
	char pkt[32];
	gdb_framer_reset(&fr);
	/* "0*" + chr(29 + 5): six '0's; the checksum covers what was sent */
	size_t n = frame(pkt, "X0*\"y", 5);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_PACKET);
	assert_string_equal(fr.buf, "X000000y");
	/* '*' first repeats nothing: it is payload */
	n = frame(pkt, "*a", 2);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_PACKET);
	assert_string_equal(fr.buf, "*a");
	/* a count below the bias, or '#' as the count: BAD */
	n = frame(pkt, "a*\x10", 3);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_BAD);
	n = frame(pkt, "a*", 2);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_BAD); /* "a*#cc" */
}

static void test_framer_too_long(void **state)
{
	(void)state;
	static char big[GDB_PACKET_SIZE + 8], pkt[GDB_PACKET_SIZE + 16];
	gdb_framer_reset(&fr);
	memset(big, 'a', sizeof big);
	size_t n = frame(pkt, big, GDB_PACKET_SIZE);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_PACKET);
	assert_int_equal(fr.len, GDB_PACKET_SIZE);
	n = frame(pkt, big, GDB_PACKET_SIZE + 1);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_TOOLONG);
	assert_int_equal(fr.len, 0);
	/* a run past the end overflows too, without writing past buf */
	memcpy(big, "a*~", 3);
	n = frame(pkt, big, GDB_PACKET_SIZE - 50);
	assert_int_equal(fr_feed(pkt, n), GDB_FRAME_TOOLONG);
}

/* Random packets with noise between them, against a model: every packet
 * comes out once, in order, with its payload; nothing else does. */
static void test_framer_against_model(void **state)
{
	(void)state;
	static char stream[1 << 16], payloads[64][64];
	size_t n = 0, want = 0;
	srand(12345);
	for (int k = 0; k < 64; k++) {
		size_t len = (size_t)(rand() % 40);
		for (size_t i = 0; i < len; i++) {
			char c;
			do
				c = (char)(0x20 + rand() % 0x5f);
			while (c == '$' || c == '#' || c == '*' || c == '}');
			payloads[k][i] = c;
		}
		payloads[k][len] = '\0';
		for (int j = rand() % 4; j > 0; j--) /* noise: no '$' */
			stream[n++] = "+-x\r\n#a0"[rand() % 8];
		n += frame(stream + n, payloads[k], len);
	}
	gdb_framer_reset(&fr);
	for (size_t i = 0; i < n; i++) {
		enum gdb_frame e = gdb_framer_feed(&fr, (uint8_t)stream[i]);
		assert_true(e != GDB_FRAME_BAD && e != GDB_FRAME_RESTART);
		if (e == GDB_FRAME_PACKET)
			assert_string_equal(fr.buf, payloads[want++]);
	}
	assert_int_equal(want, 64);
}

/* --- queries ---------------------------------------------------------- */

static void test_qsupported(void **state)
{
	(void)state;
	assert_string_equal(
	    ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+"),
	    supported_reply);
	ft.ops.memory_regions = NULL; /* no map: not offered */
	assert_null(strstr(ask("qSupported"), "memory-map"));
}

static void test_simple_queries(void **state)
{
	(void)state;
	assert_string_equal(ask("qAttached"), "1");
	assert_string_equal(ask("qAttached:1"), "1");
	assert_string_equal(ask("qC"), "QC1");
	assert_string_equal(ask("qOffsets"), "Text=0;Data=0;Bss=0");
	assert_string_equal(ask("qfThreadInfo"), "m1");
	assert_string_equal(ask("qsThreadInfo"), "l");
	assert_string_equal(ask("Hg0"), "OK");
	assert_string_equal(ask("Hc-1"), "OK");
	assert_string_equal(ask("Hg1"), "OK");
	assert_string_equal(ask("Hg9"), "E22");
	assert_string_equal(ask("Hx1"), "E22");
	assert_string_equal(ask("H"), "E22");
	assert_string_equal(ask("T1"), "OK");
	assert_string_equal(ask("T2"), "E22");
	assert_string_equal(ask("vCont?"), "vCont;c;C;s;S;r");
}

static void test_threads_from_target(void **state)
{
	(void)state;
	ft.threads[0] = 1, ft.threads[1] = 2, ft.threads[2] = 0x1f;
	ft.nthreads = 3;
	ft.stop.thread = 2;
	assert_string_equal(ask("qfThreadInfo"), "m1,2,1f");
	assert_string_equal(ask("qsThreadInfo"), "l");
	assert_string_equal(ask("qC"), "QC2");
	assert_string_equal(ask("Hg1f"), "OK");
	assert_int_equal(ft.selected, 0x1f);
	assert_string_equal(ask("T1f"), "OK");
	assert_string_equal(ask("T3"), "E22");
	/* "any" and qC select the stopped thread (GDB's general thread
	 * after a stop report or qC). */
	assert_string_equal(ask("Hg0"), "OK");
	assert_int_equal(ft.selected, 2);
	assert_string_equal(ask("Hg1f"), "OK");
	assert_string_equal(ask("qC"), "QC2");
	assert_int_equal(ft.selected, 2);
	/* No thread_info callback: an empty description, in hex. */
	assert_string_equal(ask("qThreadExtraInfo,2"), "");
	assert_string_equal(ask("qThreadExtraInfo,zz"), "E22");
}

/* --- stop replies ----------------------------------------------------- */

static void stop_regs(char *dst)
{
	char rbp[17], rsp[17], rip[17];
	hex64(rbp, ft.regs[GDB_REG_RBP]);
	hex64(rsp, ft.regs[GDB_REG_RSP]);
	hex64(rip, ft.regs[GDB_REG_RIP]);
	sprintf(dst, "6:%s;7:%s;10:%s;", rbp, rsp, rip);
}

static void test_stop_replies(void **state)
{
	(void)state;
	char regs[128], want[256];
	stop_regs(regs);
	snprintf(want, sizeof want, "T05thread:1;%s", regs);
	assert_string_equal(ask("?"), want);

	ft.stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_SWBREAK, 0, 0};
	snprintf(want, sizeof want, "T05thread:1;%sswbreak:;", regs);
	assert_string_equal(ask("?"), want);

	ft.stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_HWBREAK, 0, 3};
	snprintf(want, sizeof want, "T05thread:3;%shwbreak:;", regs);
	assert_string_equal(ask("?"), want);

	ft.stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_WATCH,
				    FAKE_MEM_BASE + 8, 0};
	snprintf(want, sizeof want, "T05thread:1;%swatch:ffffffff80100008;",
		 regs);
	assert_string_equal(ask("?"), want);

	ft.stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_AWATCH, 0x10, 0};
	snprintf(want, sizeof want, "T05thread:1;%sawatch:10;", regs);
	assert_string_equal(ask("?"), want);

	ft.stop = (struct gdb_stop){GDB_SIGSEGV, GDB_STOP_SIGNAL, 0, 0};
	snprintf(want, sizeof want, "T0bthread:1;%s", regs);
	assert_string_equal(ask("?"), want);
}

/* In a new frame the stop reply carries rax..r15, rip and eflags (GDB
 * then shows the arguments without a 'g'), each as 'p' reads it. */
static void test_stop_reply_in_new_frame(void **state)
{
	(void)state;
	ft.new_frame = true;
	char want[1024], *w = want;
	w += sprintf(w, "T05thread:1;");
	for (unsigned n = 0; n <= 0x11; n++) {
		char pkt[8];
		sprintf(pkt, "p%x", n);
		w += sprintf(w, "%x:%s;", n, ask(pkt));
	}
	assert_string_equal(ask("?"), want);
}

static void test_signal_table(void **state)
{
	(void)state;
	assert_int_equal(gdb_signal_for_vector(0), GDB_SIGFPE);
	assert_int_equal(gdb_signal_for_vector(1), GDB_SIGTRAP);
	assert_int_equal(gdb_signal_for_vector(3), GDB_SIGTRAP);
	assert_int_equal(gdb_signal_for_vector(6), GDB_SIGILL);
	assert_int_equal(gdb_signal_for_vector(13), GDB_SIGSEGV);
	assert_int_equal(gdb_signal_for_vector(14), GDB_SIGSEGV);
	assert_int_equal(gdb_signal_for_vector(14), 11);
	assert_int_equal(gdb_signal_for_vector(31), GDB_SIGSEGV);
	assert_int_equal(gdb_signal_for_vector(33), GDB_SIGINT);
}

/* --- registers -------------------------------------------------------- */

static void test_register_table(void **state)
{
	(void)state;
	assert_int_equal(gdb_num_regs, GDB_REG_ID_COUNT);
	assert_int_equal(gdb_regs_size(), 16 * 8 + 8 + 4 + 6 * 4 + 8 * 10 +
					      8 * 4 + 16 * 16 + 4 + 3 * 8 +
					      6 * 8);
	/* GDB's amd64 numbers (amd64-tdep.h) up to mxcsr (56); the bases
	 * after it are numbered by the description's order */
	assert_string_equal(gdb_reg_defs[16].name, "rip");
	assert_string_equal(gdb_reg_defs[17].name, "eflags");
	assert_string_equal(gdb_reg_defs[24].name, "st0");
	assert_string_equal(gdb_reg_defs[32].name, "fctrl");
	assert_string_equal(gdb_reg_defs[40].name, "xmm0");
	assert_string_equal(gdb_reg_defs[56].name, "mxcsr");
	assert_string_equal(gdb_reg_defs[57].name, "fs_base");
	assert_string_equal(gdb_reg_defs[59].name, "k_gs_base");
	for (size_t i = 0; i < gdb_num_regs; i++) {
		assert_int_equal(gdb_reg_defs[i].bitsize % 8, 0);
		assert_true(gdb_reg_size(i) <= GDB_REG_MAX_BYTES);
		assert_true(gdb_reg_defs[i].feature < gdb_num_features);
		if (i > 0) /* features contiguous, in order */
			assert_true(gdb_reg_defs[i].feature >=
				    gdb_reg_defs[i - 1].feature);
	}
	assert_true(2 * gdb_regs_size() < GDB_PACKET_SIZE);
}

static void test_g_matches_p(void **state)
{
	(void)state;
	static char g[GDB_PACKET_SIZE + 1];
	strcpy(g, ask("g"));
	assert_int_equal(strlen(g), 2 * gdb_regs_size());
	for (size_t i = 0; i < gdb_num_regs; i++) {
		char cmd[24];
		snprintf(cmd, sizeof cmd, "p%zx", i);
		const char *p = ask(cmd);
		assert_int_equal(strlen(p), 2 * gdb_reg_size(i));
		assert_memory_equal(g + 2 * gdb_reg_offset(i), p, strlen(p));
	}
	char rax[17];
	hex64(rax, ft.regs[GDB_REG_RAX]);
	assert_memory_equal(g, rax, 16);
	assert_string_equal(ask("p11"), "46000000");	     /* eflags */
	assert_string_equal(ask("p3e"), "0010000000000000"); /* cr3 */
	assert_string_equal(ask("p42"), "E22");
	assert_string_equal(ask("p"), "E22");
	assert_string_equal(ask("p1z"), "E22");
}

static void test_P_writes_register(void **state)
{
	(void)state;
	assert_string_equal(ask("P10=efbeadde00000000"), "OK");
	assert_int_equal(ft.regs[GDB_REG_RIP], 0xdeadbeef);
	assert_string_equal(ask("P11=02020000"), "OK");
	assert_int_equal(ft.regs[GDB_REG_EFLAGS], 0x202);
	assert_string_equal(ask("P10=efbe"), "E22");
	assert_string_equal(ask("P10=zzbeadde00000000"), "E22");
	assert_string_equal(ask("P99=00"), "E22");
	assert_string_equal(ask("P10"), "E22");
}

static void test_G_writes_registers(void **state)
{
	(void)state;
	static char g[GDB_PACKET_SIZE + 2];
	g[0] = 'G';
	strcpy(g + 1, ask("g"));
	memcpy(g + 1, "0100000000000000", 16);		   /* rax = 1 */
	memcpy(g + 1 + 2 * gdb_reg_offset(62), "0020", 4); /* cr3 */
	assert_string_equal(ask(g), "OK");
	assert_int_equal(ft.regs[GDB_REG_RAX], 1);
	assert_int_equal(ft.regs[GDB_REG_CR3], 0x2000);
	assert_int_equal(ft.regs[GDB_REG_RBX], 0x2222222222222222ull);
	assert_string_equal(ask("G0"), "E22");
	assert_string_equal(ask("G0200000000000000"), "OK"); /* prefix only */
	assert_int_equal(ft.regs[GDB_REG_RAX], 2);
}

/* --- x87 and SSE, from the fake's FXSAVE image ------------------------ */

static void test_fpu_registers_read(void **state)
{
	(void)state;
	assert_string_equal(ask("p18"), "00000000000000000000"); /* st0 = 0 */
	assert_string_equal(ask("p19"), "35c26821a2da0fc90040"); /* st1 = pi */
	assert_string_equal(ask("p1a"), "0000000000000080ff3f"); /* st2 = 1 */
	assert_string_equal(ask("p20"), "7f030000");		 /* fctrl */
	assert_string_equal(ask("p21"), "00280000"); /* fstat, TOP = 5 */
	/* R0-R4 empty (11), R5 = ST0 zero (01), R6 and R7 valid (00) */
	assert_string_equal(ask("p22"), "ff070000");
	assert_string_equal(ask("p23"), "ff7f0000"); /* fiseg: FIP 63:32 */
	assert_string_equal(ask("p24"), "34124000"); /* fioff: FIP 31:0 */
	assert_string_equal(ask("p25"), "efcdab89"); /* foseg: FDP 63:32 */
	assert_string_equal(ask("p26"), "67452301"); /* fooff: FDP 31:0 */
	assert_string_equal(ask("p27"), "ee010000"); /* fop */
	assert_string_equal(ask("p29"), "101112131415161718191a1b1c1d1e1f");
	assert_string_equal(ask("p37"), "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	assert_string_equal(ask("p38"), "801f0000"); /* mxcsr */
}

/* The full tag word GDB gets for ST0 (R5) holding raw80 (hex, LE). */
static const char *tag_with_st0(const char *raw80)
{
	char pkt[40];
	snprintf(pkt, sizeof pkt, "P18=%s", raw80);
	assert_string_equal(ask(pkt), "OK");
	return ask("p22");
}

static void test_fpu_tag_word(void **state)
{
	(void)state;
	/* infinity, a NaN, a denormal and an unnormal are "special" (10) */
	assert_string_equal(tag_with_st0("0000000000000080ff7f"), "ff0b0000");
	assert_string_equal(tag_with_st0("00000000000000c0ff7f"), "ff0b0000");
	assert_string_equal(tag_with_st0("01000000000000000000"), "ff0b0000");
	assert_string_equal(tag_with_st0("00000000000000000040"), "ff0b0000");
	assert_string_equal(tag_with_st0("0000000000000080ff3f"), "ff030000");
	assert_string_equal(tag_with_st0("00000000000000000000"), "ff070000");
	/* GDB's tag word goes back as FXSAVE's abridged bits */
	assert_string_equal(ask("P22=ffff0000"), "OK");
	assert_int_equal(ft.fx[4], 0);
	assert_string_equal(ask("p22"), "ffff0000");
	assert_string_equal(ask("P22=ff3f0000"), "OK"); /* R7 in use */
	assert_int_equal(ft.fx[4], 0x80);
	assert_string_equal(ask("P21=00380000"), "OK"); /* TOP = 7 */
	assert_string_equal(ask("p22"), "ff7f0000");	/* R7 = ST0: zero */
}

static void test_fpu_registers_write(void **state)
{
	(void)state;
	assert_string_equal(ask("P29=44332211000000000000000000000080"), "OK");
	assert_int_equal(ft.fx[160 + 16], 0x44);
	assert_int_equal(ft.fx[160 + 31], 0x80);
	assert_string_equal(ask("P1f=0000000000000080ff3f"), "OK"); /* st7 */
	assert_int_equal(ft.fx[32 + 16 * 7 + 9], 0x3f);
	assert_string_equal(ask("P38=c09f0000"), "OK"); /* DAZ, FZ */
	assert_string_equal(ask("p38"), "c09f0000");
	/* a reserved MXCSR bit would make FXRSTOR fault: refused */
	assert_string_equal(ask("P38=00000100"), "E22");
	assert_string_equal(ask("p38"), "c09f0000");
	assert_string_equal(ask("P27=ffff0000"), "OK"); /* fop is 11 bits */
	assert_string_equal(ask("p27"), "ff070000");
	assert_string_equal(ask("P29=0011"), "E22"); /* short */
}

/* --- memory ----------------------------------------------------------- */

static void test_m_reads_memory(void **state)
{
	(void)state;
	assert_string_equal(ask("mffffffff80100000,8"), "0001020304050607");
	assert_string_equal(ask("mffffffff80100ffe,2"), "feff");
	/* runs into the unmapped page: a short read */
	assert_string_equal(ask("mffffffff80101ffe,4"), "feff");
	assert_string_equal(ask("mffffffff80102000,4"), "E14");
	assert_string_equal(ask("m0,4"), "E14");
	assert_string_equal(ask("mffffffffffffffff,2"), "E14"); /* wraps */
	assert_string_equal(ask("mffffffff80100000"), "E22");
	assert_string_equal(ask("mffffffff80100000,"), "E22");
	assert_string_equal(ask("mffffffff80100000,1x"), "E22");
	assert_string_equal(ask("m11111111111111111,1"), "E22");
	/* more than fits in a reply: clamped */
	assert_int_equal(strlen(ask("mffffffff80100000,100000")),
			 GDB_PACKET_SIZE);
}

static void test_M_writes_memory(void **state)
{
	(void)state;
	assert_string_equal(ask("Mffffffff80100020,2:beef"), "OK");
	assert_int_equal(ft.mem[0x20], 0xbe);
	assert_int_equal(ft.mem[0x21], 0xef);
	assert_string_equal(ask("Mffffffff80102000,1:00"), "E14");
	assert_string_equal(ask("Mffffffff80101fff,2:0000"), "E14");
	assert_string_equal(ask("Mffffffff80100020,2:be"), "E22");
	assert_string_equal(ask("Mffffffff80100020,1:zz"), "E22");
	assert_string_equal(ask("Mffffffff80100020,1"), "E22");
	assert_string_equal(ask("Mffffffff80100020,0:"), "OK");
}

static void test_X_binary_with_escapes(void **state)
{
	(void)state;
	static const char data[] = {0x7d, 0x23, 0x24, 0x2a, 0x00, 0x41, 0x03};
	char pkt[64] = "Xffffffff80100040,7:";
	size_t n = strlen(pkt);
	for (size_t i = 0; i < sizeof data; i++) {
		char c = data[i];
		if (c == '}' || c == '#' || c == '$' || c == '*') {
			pkt[n++] = '}';
			c ^= 0x20;
		}
		pkt[n++] = c;
	}
	feed_bin(pkt, n);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("OK"));
	assert_memory_equal(ft.mem + 0x40, data, sizeof data);
	assert_string_equal(ask("Xffffffff80100040,0:"), "OK"); /* probe */
	assert_string_equal(ask("Xffffffff80100040,2:a"), "E22");
	assert_string_equal(ask("Xffffffff80102000,1:a"), "E14");
	feed_bin("Xffffffff80100040,1:}", 21); /* ends inside an escape */
	size_t pos = out_len;
	run();
	assert_string_equal(next_reply(&pos), "E22");
}

/* --- run control ------------------------------------------------------ */

static void test_continue_and_step(void **state)
{
	(void)state;
	feed("c");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	assert_string_equal(out_buf, "+"); /* no reply until we stop */
	assert_true(stub.gdb_waiting);
	/* next stop: the stop reply comes first */
	ft.stop = (struct gdb_stop){GDB_SIGTRAP, GDB_STOP_SWBREAK, 0, 0};
	size_t pos = out_len;
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_memory_equal(next_reply(&pos), "T05thread:1;", 12);
	assert_false(stub.gdb_waiting);

	feed("cffffffff80100123");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	assert_int_equal(ft.regs[GDB_REG_RIP], 0xffffffff80100123);
	feed("s");
	assert_int_equal(run(), GDB_ACT_STEP);
	feed("C0b");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	assert_int_equal(stub.resume_signal, 11);
	feed("S05;ffffffff80100200");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_int_equal(stub.resume_signal, 5);
	assert_int_equal(ft.regs[GDB_REG_RIP], 0xffffffff80100200);
	stub.gdb_waiting = false;
	assert_string_equal(ask("cxyz"), "E22");
	assert_string_equal(ask("Cq"), "E22");
}

static void test_vcont(void **state)
{
	(void)state;
	feed("vCont;c");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	feed("vCont;s:1");
	assert_int_equal(run(), GDB_ACT_STEP);
	/* One CPU: stepping a thread the CPU did not stop in is refused,
	 * not turned into a continue by the trailing default action. */
	stub.gdb_waiting = false;
	assert_string_equal(ask("vCont;s:2;c"), "E22");
	feed("vCont;c:2;s:1");
	assert_int_equal(run(), GDB_ACT_STEP);
	feed("vCont;C0b:-1");
	assert_int_equal(run(), GDB_ACT_CONTINUE);
	assert_int_equal(stub.resume_signal, 11);
	feed("vCont;S05");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_int_equal(stub.resume_signal, 5);
	stub.gdb_waiting = false;
	assert_string_equal(ask("vCont;x"), "E22");
	assert_string_equal(ask("vCont;s:2"), "E22");
	assert_string_equal(ask("vCont"), "E22");
	assert_string_equal(ask("vContX"), "");
}

/* vCont;r start,end: a step with the range for the caller to go on in;
 * a plain step after it has none. */
static void test_vcont_range(void **state)
{
	(void)state;
	feed("vCont;rffffffff80100010,ffffffff80100020:1;c");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_true(stub.range_start == 0xffffffff80100010);
	assert_true(stub.range_end == 0xffffffff80100020);
	feed("s");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_true(stub.range_end == 0 && stub.range_start == 0);
	feed("vCont;c:2;r10,20");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_true(stub.range_start == 0x10 && stub.range_end == 0x20);
	feed("vCont;s");
	assert_int_equal(run(), GDB_ACT_STEP);
	assert_true(stub.range_end == 0);
	stub.gdb_waiting = false;
	assert_string_equal(ask("vCont;r10"), "E22");
	assert_string_equal(ask("vCont;r10,"), "E22");
	assert_string_equal(ask("vCont;r10,20:2"), "E22"); /* not stopped */
}

/* Stopped in a process (thread 3) whose context the CPU thread (1) shares:
 * stepping thread 1 steps the stop, it is not refused. */
static void test_vcont_step_alias_of_stopped_thread(void **state)
{
	(void)state;
	ft.threads[0] = 1, ft.threads[1] = 3;
	ft.nthreads = 2;
	ft.stop.thread = 3;
	assert_string_equal(ask("vCont;s:1;c"), "E22");
	ft.alias3 = true;
	feed("vCont;s:1;c");
	assert_int_equal(run(), GDB_ACT_STEP);
}

/* --- breakpoints ------------------------------------------------------ */

static void test_breakpoints(void **state)
{
	(void)state;
	assert_string_equal(ask("Z0,ffffffff80100100,1"), "OK");
	assert_true(ft.sw[0].used);
	assert_int_equal(ft.sw[0].addr, 0xffffffff80100100);
	assert_string_equal(ask("z0,ffffffff80100100,1"), "OK");
	assert_false(ft.sw[0].used);
	assert_string_equal(ask("z0,ffffffff80100100,1"), "E22");
	assert_string_equal(ask("Z0,0,1"), "E14");
	assert_string_equal(ask("Z0,ffffffff80100100,1;X2,0a"), "OK");
	assert_string_equal(ask("Z1,ffffffff80100104,1"), "OK");
	assert_int_equal(ft.hw[0].type, GDB_BP_HW);
	assert_string_equal(ask("Z2,ffffffff80100200,8"), "OK");
	assert_string_equal(ask("Z3,ffffffff80100208,4"), "OK");
	assert_string_equal(ask("Z4,ffffffff80100210,2"), "OK");
	assert_int_equal(ft.hw[3].type, GDB_WP_ACCESS);
	assert_int_equal(ft.hw[3].len, 2);
	assert_string_equal(ask("Z2,ffffffff80100300,1"), "E28"); /* DRs full */
	assert_string_equal(ask("z3,ffffffff80100208,4"), "OK");
	assert_string_equal(ask("Z2,ffffffff80100300,3"), "E22");
	assert_string_equal(ask("Z2,ffffffff80100300,1"), "OK");
	assert_string_equal(ask("Z5,0,1"), ""); /* unknown type */
	assert_string_equal(ask("Z0,1"), "E22");
	assert_string_equal(ask("Z0,1,1x"), "E22");
}

/* A target that can say why a breakpoint failed: "E.nn.words". */
static void test_breakpoint_error_words(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		char cmd[40];
		snprintf(cmd, sizeof cmd, "Z1,ffffffff8010010%d,1", i);
		assert_string_equal(ask(cmd), "OK");
	}
	ft.why = "DR0-DR3 are all in use";
	assert_string_equal(ask("Z1,ffffffff80100200,1"),
			    "E.28.DR0-DR3 are all in use");
	assert_string_equal(ask("z1,ffffffff80100200,1"), "E22"); /* only Z */
	ft.why = "";
	assert_string_equal(ask("Z1,ffffffff80100200,1"), "E28");
}

static void test_breakpoints_unsupported_by_target(void **state)
{
	(void)state;
	ft.ops.set_break = NULL;
	assert_string_equal(ask("Z0,ffffffff80100100,1"), "");
}

/* --- detach / kill ---------------------------------------------------- */

static void test_detach(void **state)
{
	(void)state;
	assert_string_equal(ask("Z0,ffffffff80100100,1"), "OK");
	feed("D");
	size_t pos = out_len;
	assert_int_equal(run(), GDB_ACT_DETACH);
	assert_string_equal(next_reply(&pos), "OK");
	assert_int_equal(ft.remove_all_calls, 1);
	assert_false(ft.sw[0].used);
	feed("D;1");
	assert_int_equal(run(), GDB_ACT_DETACH);
}

static void test_kill_is_detach_without_reply(void **state)
{
	(void)state;
	feed("k");
	assert_int_equal(run(), GDB_ACT_KILL);
	assert_string_equal(out_buf, "+");
	assert_int_equal(ft.remove_all_calls, 1);
	feed("vKill;1");
	size_t pos = out_len;
	assert_int_equal(run(), GDB_ACT_KILL);
	assert_string_equal(next_reply(&pos), "OK");
}

/* --- qRcmd ------------------------------------------------------------ */

static void to_hex(char *dst, const char *s)
{
	for (; *s; s++, dst += 2)
		sprintf(dst, "%02x", (unsigned char)*s);
	*dst = '\0';
}

static void test_rcmd_echo(void **state)
{
	(void)state;
	char pkt[128] = "qRcmd,";
	to_hex(pkt + 6, "echo hi");
	feed(pkt);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	char want[128];
	snprintf(want, sizeof want, "%s%s", acked("O68690a"), "$OK#9a");
	assert_string_equal(out_buf, want);
	assert_string_equal(ft.last_cmd, "echo hi");
}

static void test_rcmd_long_output_is_split(void **state)
{
	(void)state;
	char pkt[128] = "qRcmd,";
	to_hex(pkt + 6, "fill 5000");
	feed(pkt);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	size_t pos = 0, total = 0;
	const char *r;
	while (strcmp(r = next_reply(&pos), "OK") != 0) {
		assert_int_equal(r[0], 'O');
		assert_true(strlen(r) <= GDB_PACKET_SIZE);
		for (size_t i = 1; r[i]; i += 2)
			assert_memory_equal(r + i, "7a", 2);
		total += (strlen(r) - 1) / 2;
	}
	assert_int_equal(total, 5000);
}

static void test_rcmd_errors(void **state)
{
	(void)state;
	char pkt[128] = "qRcmd,";
	to_hex(pkt + 6, "fail");
	assert_string_equal(ask(pkt), "E22");
	assert_string_equal(ask("qRcmd,6"), "E22");
	assert_string_equal(ask("qRcmd,zz"), "E22");
	ft.ops.monitor_cmd = NULL;
	assert_string_equal(ask("qRcmd,6869"), "");
}

/* --- target description ----------------------------------------------- */

/* Read qXfer object obj (annex) through chunks of `chunk` bytes,
 * unescaped, into dst; returns its length. */
static size_t fetch_object(const char *obj, const char *annex, char *dst,
			   size_t cap, unsigned chunk)
{
	size_t len = 0;
	for (;;) {
		char cmd[96];
		snprintf(cmd, sizeof cmd, "qXfer:%s:read:%s:%zx,%x", obj, annex,
			 len, chunk);
		static char r[GDB_PACKET_SIZE + 1];
		strcpy(r, ask(cmd));
		assert_true(r[0] == 'm' || r[0] == 'l');
		long n = gdb_unescape(r + 1, strlen(r + 1));
		assert_true(n >= 0 && (size_t)n <= chunk && len + n < cap);
		memcpy(dst + len, r + 1, (size_t)n);
		len += (size_t)n;
		if (r[0] == 'l')
			break;
		assert_int_equal(n, chunk);
	}
	dst[len] = '\0';
	return len;
}

/* Fetch target.xml through qXfer in chunks of `chunk` bytes. */
static size_t fetch_xml(char *dst, size_t cap, unsigned chunk)
{
	size_t len = fetch_object("features", "target.xml", dst, cap, chunk);
	assert_null(strchr(dst, '}')); /* our XML has no escapable bytes */
	return len;
}

/* Crude well-formedness: every <x ...> is closed, in LIFO order. */
static void assert_balanced(const char *xml)
{
	char stack[32][32];
	int depth = 0;
	for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
		if (p[1] == '?' || p[1] == '!')
			continue;
		const char *end = strchr(p, '>');
		assert_non_null(end);
		if (end[-1] == '/')
			continue;
		char name[32];
		size_t n = strcspn(p + 1 + (p[1] == '/'), " >");
		assert_true(n < sizeof name);
		memcpy(name, p + 1 + (p[1] == '/'), n);
		name[n] = '\0';
		if (p[1] == '/') {
			assert_true(depth > 0);
			assert_string_equal(stack[--depth], name);
		} else {
			assert_true(depth < 32);
			strcpy(stack[depth++], name);
		}
	}
	assert_int_equal(depth, 0);
}

static void test_target_xml_chunks(void **state)
{
	(void)state;
	static char whole[GDB_TARGET_XML_MAX], got[GDB_TARGET_XML_MAX];
	size_t n = gdb_target_xml(whole, sizeof whole);
	assert_true(n > 0);
	static const unsigned chunks[] = {1, 7, 100, 1000, 0xffb};
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		assert_int_equal(fetch_xml(got, sizeof got, chunks[i]), n);
		assert_string_equal(got, whole);
	}
	assert_balanced(whole);
	assert_non_null(
	    strstr(whole, "<architecture>i386:x86-64</architecture>"));
	assert_non_null(
	    strstr(whole, "<feature name=\"org.gnu.gdb.i386.core\">"));
	assert_non_null(strstr(whole, "<flags id=\"i386_eflags\" size=\"4\">"));
	assert_non_null(strstr(whole, "<reg name=\"cr3\" bitsize=\"64\""));
	/* registers appear in table (= GDB number) order */
	const char *p = whole;
	for (size_t i = 0; i < gdb_num_regs; i++) {
		char needle[64];
		snprintf(needle, sizeof needle,
			 "<reg name=\"%s\" bitsize=\"%u\"",
			 gdb_reg_defs[i].name, gdb_reg_defs[i].bitsize);
		p = strstr(p, needle);
		assert_non_null(p);
	}
	assert_null(gdb_target_xml(whole, 100) ? "fits" : NULL);
}

static void test_target_xml_errors(void **state)
{
	(void)state;
	assert_string_equal(ask("qXfer:features:read:other.xml:0,10"), "E00");
	assert_string_equal(ask("qXfer:features:read:target.xml:0"), "E22");
	assert_string_equal(ask("qXfer:features:read:target.xml:fffff,10"),
			    "E22");
	char cmd[80];
	snprintf(cmd, sizeof cmd, "qXfer:features:read:target.xml:%zx,10",
		 stub.xml_len);
	assert_string_equal(ask(cmd), "l");
	assert_string_equal(ask("qXfer:features:read:target.xml:0,0"), "m");
	assert_string_equal(ask("qXfer:other:read::0,10"), "");
}

/* --- generated objects, search, CRC, host info ---------------------------- */

static void test_xfer_threads(void **state)
{
	(void)state;
	static char a[8192], b[8192];
	ft.threads[0] = 1, ft.threads[1] = 2, ft.threads[2] = 0x1f;
	ft.nthreads = 3;
	size_t n = fetch_object("threads", "", a, sizeof a, 4000);
	assert_non_null(strstr(a, "<threads>"));
	assert_non_null(strstr(a, "<thread id=\"1\">"));
	assert_non_null(strstr(a, "<thread id=\"1f\">"));
	assert_non_null(strstr(a, "</threads>"));
	/* any chunk size gives the same document */
	assert_int_equal(fetch_object("threads", "", b, sizeof b, 7), n);
	assert_string_equal(a, b);
	assert_string_equal(ask("qXfer:threads:read::fffff,10"), "E22");
	assert_string_equal(ask("qXfer:threads:read:x:0"), "E22");
}

static void test_xfer_memory_map(void **state)
{
	(void)state;
	static char map[4096];
	fetch_object("memory-map", "", map, sizeof map, 13);
	assert_non_null(strstr(map, "<memory-map>"));
	assert_non_null(strstr(map, "<memory type=\"ram\" "
				    "start=\"0xffffffff80100000\" "
				    "length=\"0x4000\"/>"));
	assert_non_null(strstr(map, "start=\"0xffffffff80110000\" "
				    "length=\"0x1000\"/>"));
	assert_non_null(strstr(map, "</memory-map>"));
	ft.ops.memory_regions = NULL;
	assert_string_equal(ask("qXfer:memory-map:read::0,100"), "");
}

/* qSearch:memory:addr;len;pattern with pattern given as bytes. */
static const char *search(uint64_t addr, uint64_t len, const char *pat,
			  size_t n)
{
	static char pkt[256];
	int k = snprintf(pkt, sizeof pkt, "qSearch:memory:%llx;%llx;",
			 (unsigned long long)addr, (unsigned long long)len);
	for (size_t i = 0; i < n; i++) {
		char c = pat[i];
		if (c == '}' || c == '#' || c == '$' || c == '*') {
			pkt[k++] = '}';
			c ^= 0x20;
		}
		pkt[k++] = c;
	}
	if (in_pos == in_len)
		in_pos = in_len = out_len = 0;
	size_t pos = out_len;
	feed_bin(pkt, (size_t)k);
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	return next_reply(&pos);
}

static void test_search_memory(void **state)
{
	(void)state;
	memcpy(ft.mem + 0x1ffe, "\x7d\x23\xaa", 3); /* '}' '#' across pages */
	assert_string_equal(search(FAKE_MEM_BASE, 0x2000, "\x7d\x23", 2),
			    "1,ffffffff80101ffe");
	/* the first match wins; a window boundary (4096) does not hide one */
	memcpy(ft.mem + 0xfff, "QQ", 2);
	memcpy(ft.mem + 0x1800, "QQ", 2);
	assert_string_equal(search(FAKE_MEM_BASE, 0x2000, "QQ", 2),
			    "1,ffffffff80100fff");
	assert_string_equal(search(FAKE_MEM_BASE + 0x1000, 0x1000, "QQ", 2),
			    "1,ffffffff80101800");
	assert_string_equal(search(FAKE_MEM_BASE, 0x1000, "zzz", 3), "0");
	/* the range runs into the unmapped page before any match */
	assert_string_equal(search(FAKE_MEM_BASE + 0x1f00, 0x200, "zzz", 3),
			    "E14");
	assert_string_equal(ask("qSearch:memory:10;10"), "E22");
}

/* CRC-32/MPEG-2 (GDB's xcrc32 with seed 0xffffffff): check value of
 * "123456789" is 0x0376e6e7. */
static void test_crc(void **state)
{
	(void)state;
	memcpy(ft.mem + 0x200, "123456789", 9);
	assert_string_equal(ask("qCRC:ffffffff80100200,9"), "C376e6e7");
	/* compare-sections sends load addresses */
	assert_string_equal(ask("qCRC:100200,9"), "C376e6e7");
	assert_string_equal(ask("qCRC:ffffffff80101ff0,20"), "E14");
	assert_string_equal(ask("qCRC:0,0"), "Cffffffff");
	assert_string_equal(ask("qCRC:zz"), "E22");
}

/* LLDB asks for every address: RAM regions, and the gaps around them. */
static void test_memory_region_info(void **state)
{
	(void)state;
	assert_string_equal(
	    ask("qMemoryRegionInfo:ffffffff80100010"),
	    "start:ffffffff80100000;size:4000;permissions:rwx;");
	assert_string_equal(ask("qMemoryRegionInfo:ffffffff80104000"),
			    "start:ffffffff80104000;size:c000;");
	assert_string_equal(ask("qMemoryRegionInfo:0"),
			    "start:0;size:ffffffff80100000;");
	assert_string_equal(ask("qMemoryRegionInfo:ffffffff80111000"),
			    "start:ffffffff80111000;size:7feeefff;");
	assert_string_equal(ask("qMemoryRegionInfo:zz"), "E22");
}

static void test_host_and_process_info(void **state)
{
	(void)state;
	/* "x86_64-unknown-unknown" in hex */
	static const char triple[] = "triple:7838365f36342d756e6b6e6f776e2d"
				     "756e6b6e6f776e;ptrsize:8;endian:little;";
	assert_string_equal(ask("qHostInfo"), triple);
	char want[256];
	snprintf(want, sizeof want, "pid:1;%s", triple);
	assert_string_equal(ask("qProcessInfo"), want);
}

/* --- codec helpers ----------------------------------------------------- */

static void test_hex_helpers(void **state)
{
	(void)state;
	uint8_t b[4];
	char h[9] = {0};
	gdb_hex_encode(h, "\x00\x7f\xa5\xff", 4);
	assert_string_equal(h, "007fa5ff");
	assert_int_equal(gdb_hex_decode(b, "DEADbeef", 4), 0);
	assert_memory_equal(b, "\xde\xad\xbe\xef", 4);
	assert_int_equal(gdb_hex_decode(b, "12g4", 2), -1);
	const char *p = "ffffffffffffffff,";
	uint64_t v;
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(*p, ',');
	p = "10000000000000000";
	assert_int_equal(gdb_parse_hex(&p, &v), -1); /* 17 digits */
	p = ",";
	assert_int_equal(gdb_parse_hex(&p, &v), -1);
	char esc[] = "a}]}\x03}\x04}\x0a";
	assert_int_equal(gdb_unescape(esc, strlen(esc)), 5);
	assert_memory_equal(esc, "a}#$*", 5);
	assert_true(gdb_needs_escape('*') && gdb_needs_escape('}'));
	assert_false(gdb_needs_escape('a'));
}

static void test_unget_start_byte(void **state)
{
	(void)state;
	/* the serial interrupt handler consumed the '$' that woke us */
	feed("qAttached");
	in_pos = 1;
	gdb_stub_unget(&stub, '$');
	assert_int_equal(run(), GDB_ACT_DISCONNECT);
	assert_string_equal(out_buf, acked("1"));
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_hex_helpers),
	    T(test_unget_start_byte),
	    T(test_ack_and_reply),
	    T(test_bad_checksum_naks_and_does_nothing),
	    T(test_bad_checksum_digit),
	    T(test_retransmit_on_nak),
	    T(test_retransmit_is_bounded),
	    T(test_no_ack_mode),
	    T(test_garbage_before_packet),
	    T(test_interrupt_while_stopped_repeats_stop_reply),
	    T(test_lldb_handshake_keeps_no_ack),
	    T(test_detach_and_kill_end_the_client),
	    T(test_new_client_mid_session_gets_acks),
	    T(test_new_client_gets_no_stale_stop_reply),
	    T(test_dollar_restarts_packet),
	    T(test_framer_events),
	    T(test_framer_run_length),
	    T(test_framer_too_long),
	    T(test_framer_against_model),
	    T(test_rle_input),
	    T(test_rle_output),
	    T(test_overlong_packet_rejected),
	    T(test_empty_and_unknown_packets),
	    T(test_qsupported),
	    T(test_simple_queries),
	    T(test_threads_from_target),
	    T(test_stop_replies),
	    T(test_signal_table),
	    T(test_register_table),
	    T(test_g_matches_p),
	    T(test_P_writes_register),
	    T(test_G_writes_registers),
	    T(test_fpu_registers_read),
	    T(test_fpu_tag_word),
	    T(test_fpu_registers_write),
	    T(test_m_reads_memory),
	    T(test_M_writes_memory),
	    T(test_X_binary_with_escapes),
	    T(test_continue_and_step),
	    T(test_vcont),
	    T(test_vcont_range),
	    T(test_stop_reply_in_new_frame),
	    T(test_vcont_step_alias_of_stopped_thread),
	    T(test_breakpoints),
	    T(test_breakpoint_error_words),
	    T(test_breakpoints_unsupported_by_target),
	    T(test_detach),
	    T(test_kill_is_detach_without_reply),
	    T(test_rcmd_echo),
	    T(test_rcmd_long_output_is_split),
	    T(test_rcmd_errors),
	    T(test_target_xml_chunks),
	    T(test_target_xml_errors),
	    T(test_xfer_threads),
	    T(test_xfer_memory_map),
	    T(test_search_memory),
	    T(test_crc),
	    T(test_memory_region_info),
	    T(test_host_and_process_info),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
