/* format.c — printf-style formatting into a character sink (no I/O of its own).
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/lib/format.h"

struct spec {
	bool left; /* '-': pad on the right */
	bool zero; /* '0': pad with zeros */
	int width;
	int precision; /* %.Ns / %.*s: at most N characters; -1 = none */
	int longness;  /* 0 int, 1 long, 2 long long / size_t */
};

struct out {
	fmt_putc_fn putc;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->putc(o->ctx, c);
	o->count++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		emit(o, c);
}

/* Emit body (len chars) with an optional sign, padded to the spec's width. */
static void emit_padded(struct out *o, const struct spec *sp, const char *sign,
			const char *body, int len)
{
	int slen = sign ? 1 : 0;
	int fill = sp->width - len - slen;
	if (!sp->left && !sp->zero)
		pad(o, fill, ' ');
	if (sign)
		emit(o, *sign);
	if (!sp->left && sp->zero)
		pad(o, fill, '0');
	for (int i = 0; i < len; i++)
		emit(o, body[i]);
	if (sp->left)
		pad(o, fill, ' ');
}

static void emit_number(struct out *o, const struct spec *sp, uint64_t v,
			unsigned base, bool upper, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	char rev[24];
	for (int i = 0; i < n; i++)
		rev[i] = buf[n - 1 - i];
	emit_padded(o, sp, negative ? "-" : 0, rev, n);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){0};
	sp->precision = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->precision = 0;
		if (*++f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	for (; *f == 'l' || *f == 'z'; f++)
		sp->longness = *f == 'z' ? 2 : sp->longness + 1;
	return f;
}

static int64_t signed_arg(const struct spec *sp, va_list *ap)
{
	if (sp->longness >= 2)
		return va_arg(*ap, long long);
	if (sp->longness == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static uint64_t unsigned_arg(const struct spec *sp, va_list *ap)
{
	if (sp->longness >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->longness == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static void emit_conversion(struct out *o, char c, struct spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = signed_arg(sp, ap);
		emit_number(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
			    false, v < 0);
		break;
	}
	case 'u':
		emit_number(o, sp, unsigned_arg(sp, ap), 10, false, false);
		break;
	case 'x':
	case 'X':
		emit_number(o, sp, unsigned_arg(sp, ap), 16, c == 'X', false);
		break;
	case 'p':
		emit(o, '0');
		emit(o, 'x');
		sp->zero = true;
		sp->width = 16;
		emit_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, false,
			    false);
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		int len = 0;
		while (s[len] && (sp->precision < 0 || len < sp->precision))
			len++;
		sp->zero = false;
		emit_padded(o, sp, 0, s, len);
		break;
	}
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		sp->zero = false;
		emit_padded(o, sp, 0, &ch, 1);
		break;
	}
	case '%':
		emit(o, '%');
		break;
	default: /* unknown conversion: show it verbatim */
		emit(o, '%');
		emit(o, c);
	}
}

int kvformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
	struct out o = {putc, ctx, 0};
	va_list args;
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		struct spec sp;
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (!*fmt)
			break;
		emit_conversion(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	return o.count;
}

struct bufsink {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_putc(void *ctx, char c)
{
	struct bufsink *b = ctx;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct bufsink b = {buf, n, 0};
	int count = kvformat(buf_putc, &b, fmt, ap);
	if (n)
		buf[b.len < n ? b.len : n - 1] = '\0';
	return count;
}

int pr_vprintf(const struct printer *pr, const char *fmt, va_list ap)
{
	return kvformat(pr->putc, pr->ctx, fmt, ap);
}

int pr_printf(const struct printer *pr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = pr_vprintf(pr, fmt, ap);
	va_end(ap);
	return n;
}

void pr_putc(const struct printer *pr, char c)
{
	pr->putc(pr->ctx, c);
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int count = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return count;
}
