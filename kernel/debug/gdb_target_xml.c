/* gdb_target_xml.c — target.xml generated from the register table. */
#include "kernel/debug/gdb_regs.h"
#include "kernel/lib/string.h"

/* A bounded string builder: appends stop at cap and set overflow. */
struct xbuf {
	char *p;
	size_t len, cap;
	int overflow;
};

static void put(struct xbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n >= b->cap) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put_uint(struct xbuf *b, unsigned v)
{
	char tmp[12];
	int i = sizeof tmp - 1;
	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	put(b, tmp + i);
}

static void put_reg(struct xbuf *b, const struct gdb_reg_def *r)
{
	put(b, "<reg name=\"");
	put(b, r->name);
	put(b, "\" bitsize=\"");
	put_uint(b, r->bitsize);
	put(b, "\" type=\"");
	put(b, r->type);
	if (r->group) {
		put(b, "\" group=\"");
		put(b, r->group);
	}
	put(b, "\"/>\n");
}

/* Features are emitted in table order; a feature's registers must be
 * contiguous in gdb_reg_defs so numbering follows document order. */
size_t gdb_target_xml(char *buf, size_t cap)
{
	struct xbuf b = {buf, 0, cap, 0};
	if (cap == 0)
		return 0;
	buf[0] = '\0';
	put(&b, "<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n"
		"<architecture>i386:x86-64</architecture>\n");
	size_t i = 0;
	while (i < gdb_num_regs) {
		const struct gdb_feature *f =
		    &gdb_features[gdb_reg_defs[i].feature];
		put(&b, "<feature name=\"");
		put(&b, f->name);
		put(&b, "\">\n");
		put(&b, f->types);
		unsigned feat = gdb_reg_defs[i].feature;
		for (; i < gdb_num_regs && gdb_reg_defs[i].feature == feat; i++)
			put_reg(&b, &gdb_reg_defs[i]);
		put(&b, "</feature>\n");
	}
	put(&b, "</target>\n");
	return b.overflow ? 0 : b.len;
}
