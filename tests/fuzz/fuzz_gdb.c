/* fuzz_gdb.c — libFuzzer: arbitrary bytes through RSP framing + handlers. */
#include <stddef.h>
#include <stdint.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct fake_target ft;
	static struct gdb_stub stub;
	struct feed f = {data, len, 0, 0};
	struct char_io io = {feed_getc, feed_putc, &f};

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
