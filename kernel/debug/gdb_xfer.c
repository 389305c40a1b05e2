/* gdb_xfer.c — GDB stub queries over memory and objects: qXfer memory-map and
 * threads, qSearch:memory, qCRC, and LLDB's qHostInfo/qProcessInfo. */
#include <stdarg.h>

#include "kernel/debug/gdb_priv.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

/* --- qXfer objects generated on the fly ------------------------------- */

/* A window [off, off + len) of a generated document, copied into the
 * reply (binary-escaped) as the generator writes it: no buffer for the
 * whole document, whatever its size. */
struct window {
	struct gdb_stub *s;
	uint64_t off, len;
	uint64_t pos;  /* bytes the generator produced so far */
	uint64_t sent; /* of them, in the reply */
};

static void window_putc(void *ctx, char c)
{
	struct window *w = ctx;
	uint64_t at = w->pos++;
	if (at != w->off + w->sent || w->sent == w->len)
		return; /* before the window, after it, or no room left */
	if (gdb_reply_room(w->s) < 2)
		return;
	if (gdb_needs_escape(c)) {
		gdb_reply_char(w->s, GDB_CH_ESCAPE);
		c ^= GDB_ESCAPE_XOR;
	}
	gdb_reply_char(w->s, c);
	w->sent++;
}

static void window_printf(struct window *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvformat(window_putc, w, fmt, ap);
	va_end(ap);
}

/* <threads>: every thread, with the target's line about it as text. */
static void gen_threads(struct gdb_stub *s, struct window *w)
{
	char *text = (char *)s->scratch;
	size_t n = gdb_thread_list(s);
	window_printf(w,
		      "<threads>"); /* terse: GDB reads it after every stop */
	for (size_t i = 0; i < n; i++) {
		text[0] = '\0';
		if (s->target->thread_info)
			s->target->thread_info(s->target->ctx, s->thread_ids[i],
					       text, 128);
		text[127] = '\0';
		for (char *p = text; *p; p++)
			if (*p == '<' || *p == '>' || *p == '&')
				*p = ' '; /* keep the XML well-formed */
		window_printf(w, "<thread id=\"%lx\">%s</thread>",
			      s->thread_ids[i], text);
	}
	window_printf(w, "</threads>");
}

static void map_region(void *fctx, uint64_t start, uint64_t len)
{
	window_printf(fctx,
		      "  <memory type=\"ram\" start=\"0x%lx\" "
		      "length=\"0x%lx\"/>\n",
		      start, len);
}

/* <memory-map>: the target's RAM regions; GDB treats the rest as memory
 * it must not access. */
static void gen_memory_map(struct gdb_stub *s, struct window *w)
{
	window_printf(w, "<?xml version=\"1.0\"?>\n<!DOCTYPE memory-map PUBLIC "
			 "\"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
			 "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">\n"
			 "<memory-map>\n");
	s->target->memory_regions(s->target->ctx, map_region, w);
	window_printf(w, "</memory-map>\n");
}

/* qXfer:<object>:read:<annex>:off,len for objects made on the fly:
 * 'm' + data when more follows, 'l' + data for the last part. */
static void xfer_read(struct gdb_stub *s, const char *p,
		      void (*gen)(struct gdb_stub *, struct window *))
{
	struct window w = {s, 0, 0, 0, 0};
	if (*p++ != ':' || gdb_parse_hex(&p, &w.off) || *p++ != ',' ||
	    gdb_parse_hex(&p, &w.len) || *p) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	gdb_reply_reset(s);
	gdb_reply_char(s, 'm');
	gen(s, &w);
	if (w.off > w.pos) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	if (w.off + w.sent == w.pos)
		s->rsp.tx[0] = 'l';
}

void gdb_handle_xfer(struct gdb_stub *s, const char *p)
{
	static const char threads[] = "threads:read:";
	static const char memmap[] = "memory-map:read:";
	if (strncmp(p, threads, sizeof threads - 1) == 0)
		xfer_read(s, p + sizeof threads - 1, gen_threads);
	else if (strncmp(p, memmap, sizeof memmap - 1) == 0 &&
		 s->target->memory_regions)
		xfer_read(s, p + sizeof memmap - 1, gen_memory_map);
	else
		gdb_reply_reset(s); /* not supported */
}

/* --- qMemoryRegionInfo (LLDB) ------------------------------------------ */

/* The region holding addr, or the gap around it between two regions. */
struct region_query {
	uint64_t addr;
	uint64_t gap_lo, gap_hi; /* the gap so far: [lo, hi) */
	bool found;
	uint64_t start, len;
};

static void region_check(void *fctx, uint64_t start, uint64_t len)
{
	struct region_query *r = fctx;
	if (r->found)
		return;
	if (r->addr >= start && r->addr - start < len) {
		r->found = true;
		r->start = start;
		r->len = len;
	} else if (start + len <= r->addr) {
		r->gap_lo = start + len;
	} else if (start > r->addr && start < r->gap_hi) {
		r->gap_hi = start;
	}
}

/* qMemoryRegionInfo:addr — "start:..;size:..;permissions:rwx;" for RAM; for
 * memory outside it, the gap between regions with no permissions (LLDB
 * expects an answer for every address). */
void gdb_handle_region_info(struct gdb_stub *s, const char *p)
{
	struct region_query r = {0, 0, 0, false, 0, 0};
	if (gdb_parse_hex(&p, &r.addr) || *p) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	r.gap_hi = ~0ull;
	s->target->memory_regions(s->target->ctx, region_check, &r);
	gdb_reply_reset(s);
	gdb_reply_str(s, "start:");
	gdb_reply_num(s, r.found ? r.start : r.gap_lo);
	gdb_reply_str(s, ";size:");
	gdb_reply_num(s, r.found ? r.len : r.gap_hi - r.gap_lo);
	gdb_reply_str(s, r.found ? ";permissions:rwx;" : ";");
}

/* --- qSearch:memory ---------------------------------------------------- */

/* qSearch:memory:addr;len;pattern (binary, escaped) — GDB's `find`: "1,addr"
 * for the first match, "0" for none, an error when memory in the range
 * cannot be read. Memory is read in windows that overlap by the pattern's
 * length minus one, so a match across two windows is seen. */
void gdb_handle_search(struct gdb_stub *s, const char *p, size_t len)
{
	const char *end = p + len;
	uint64_t addr, n;
	if (gdb_parse_hex(&p, &addr) || *p++ != ';' || gdb_parse_hex(&p, &n) ||
	    *p++ != ';' || p > end) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	char *pat = s->mon_buf; /* free outside qRcmd */
	size_t raw = (size_t)(end - p);
	long plen = -1;
	if (raw <= sizeof s->mon_buf) {
		memcpy(pat, p, raw);
		plen = gdb_unescape(pat, raw);
	}
	if (plen <= 0 || (uint64_t)plen > sizeof s->scratch / 2) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	for (uint64_t done = 0; done + (uint64_t)plen <= n;) {
		uint64_t want = n - done;
		if (want > sizeof s->scratch)
			want = sizeof s->scratch;
		long got = s->target->read_mem(s->target->ctx, addr + done,
					       s->scratch, (size_t)want);
		if (got < plen) {
			gdb_reply_error(s, -GDB_EFAULT);
			return;
		}
		for (long i = 0; i + plen <= got; i++)
			if (memcmp(s->scratch + i, pat, (size_t)plen) == 0) {
				gdb_reply_str(s, "1,");
				gdb_reply_num(s, addr + done + (uint64_t)i);
				return;
			}
		done += (uint64_t)(got - plen + 1);
	}
	gdb_reply_str(s, "0");
}

/* --- qCRC ------------------------------------------------------------- */

/* The CRC GDB computes to compare (libiberty's xcrc32: polynomial
 * 0x04c11db7, most significant bit first, no final inversion). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint32_t)p[i] << 24;
		for (int b = 0; b < 8; b++)
			crc = crc & 0x80000000u ? crc << 1 ^ 0x04c11db7u
						: crc << 1;
	}
	return crc;
}

/* qCRC:addr,len — "C<crc32>" of memory, as GDB's compare-sections wants.
 * GDB sends a section's load address (LMA): the target may say where the
 * image loaded there is mapped now. */
void gdb_handle_crc(struct gdb_stub *s, const char *p)
{
	uint64_t addr, n;
	if (gdb_parse_hex(&p, &addr) || *p++ != ',' || gdb_parse_hex(&p, &n) ||
	    *p) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	if (s->target->load_to_virt)
		addr = s->target->load_to_virt(s->target->ctx, addr);
	uint32_t crc = 0xffffffffu;
	for (uint64_t done = 0; done < n;) {
		uint64_t want = n - done;
		if (want > sizeof s->scratch)
			want = sizeof s->scratch;
		long got = s->target->read_mem(s->target->ctx, addr + done,
					       s->scratch, (size_t)want);
		if (got <= 0) {
			gdb_reply_error(s, -GDB_EFAULT);
			return;
		}
		crc = crc32_update(crc, s->scratch, (size_t)got);
		done += (uint64_t)got;
	}
	gdb_reply_char(s, 'C');
	gdb_reply_num(s, crc);
}

/* --- LLDB's host and process queries ----------------------------------- */

/* "x86_64-unknown-unknown", hex-encoded as LLDB wants it. */
static void reply_triple(struct gdb_stub *s)
{
	static const char triple[] = "x86_64-unknown-unknown";
	gdb_reply_str(s, "triple:");
	gdb_reply_hex(s, triple, sizeof triple - 1);
	gdb_reply_str(s, ";ptrsize:8;endian:little;");
}

void gdb_handle_host_info(struct gdb_stub *s)
{
	reply_triple(s);
}

/* One "process": the kernel (pid 1, like QEMU's stub). */
void gdb_handle_process_info(struct gdb_stub *s)
{
	gdb_reply_str(s, "pid:1;");
	reply_triple(s);
}
