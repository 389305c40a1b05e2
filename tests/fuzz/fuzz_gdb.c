/* fuzz_gdb.c — libFuzzer: arbitrary bytes through RSP framing + handlers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/gdb_fake_target.h"

struct feed {
	const uint8_t *data;
	size_t len, pos;
	size_t out;
};

static int feed_getc(void *ctx)
{
	struct feed *f = ctx;
	return f->pos < f->len ? f->data[f->pos++] : -1;
}

static void feed_putc(void *ctx, char c)
{
	struct feed *f = ctx;
	(void)c;
	f->out++;
}

/* The byte-fed framer alone (the serial interrupt's detector uses it so):
 * whatever comes in, it stays inside its buffer, says truthfully whether
 * it is inside a packet, and a packet it reports is NUL-terminated. */
static void fuzz_framer(const uint8_t *data, size_t len)
{
	static struct gdb_framer fr;
	gdb_framer_reset(&fr);
	for (size_t i = 0; i < len; i++) {
		enum gdb_frame e = gdb_framer_feed(&fr, data[i]);
		bool inside = e == GDB_FRAME_MORE || e == GDB_FRAME_RESTART;
		if (inside != gdb_framer_in_packet(&fr))
			abort();
		if (e == GDB_FRAME_PACKET &&
		    (fr.len > GDB_PACKET_SIZE || fr.buf[fr.len] != '\0'))
			abort();
		if (e == GDB_FRAME_RESTART && data[i] != GDB_CH_START)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_framer(data, len);
	static struct fake_target ft;
	static struct gdb_stub stub;
	struct feed f = {data, len, 0, 0};
	struct char_io io = {.getc = feed_getc, .putc = feed_putc, .ctx = &f};

	fake_target_init(&ft);
	gdb_stub_init(&stub, &io, &ft.ops);
	for (;;) {
		enum gdb_action act = gdb_session(&stub);
		if (act == GDB_ACT_DISCONNECT)
			break;
		if (act == GDB_ACT_CONTINUE || act == GDB_ACT_STEP)
			fake_target_run(&ft, act == GDB_ACT_STEP);
	}
	return 0;
}
