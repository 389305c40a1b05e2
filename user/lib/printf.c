/* printf.c — a small printf: %d %i %u %x %p %s %c %%, l/z, width. */
#include "user/lib/ulib.h"

#define PRINTF_BUF 512

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t len, int width,
		       char pad, int left)
{
	int fill = width > (int)len ? width - (int)len : 0;
	for (; !left && fill > 0; fill--)
		put(o, pad);
	while (len--)
		put(o, *s++);
	for (; left && fill > 0; fill--)
		put(o, ' ');
}

static void put_num(struct out *o, unsigned long v, int base, int neg,
		    int width, char pad, int left)
{
	char tmp[24];
	int i = sizeof tmp;
	do {
		tmp[--i] = "0123456789abcdef"[v % (unsigned)base];
		v /= (unsigned)base;
	} while (v);
	if (neg && pad == '0') {
		put(o, '-');
		width--;
	} else if (neg) {
		tmp[--i] = '-';
	}
	put_padded(o, tmp + i, sizeof tmp - (size_t)i, width, pad, left);
}

static void conversion(struct out *o, char c, int lng, int width, char pad,
		       int left, va_list *ap)
{
	long sv;
	unsigned long uv;
	const char *s;
	char ch;
	switch (c) {
	case 'd':
	case 'i':
		sv = lng ? va_arg(*ap, long) : va_arg(*ap, int);
		put_num(o, sv < 0 ? -(unsigned long)sv : (unsigned long)sv, 10,
			sv < 0, width, pad, left);
		break;
	case 'u':
	case 'x':
		uv = lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
		put_num(o, uv, c == 'x' ? 16 : 10, 0, width, pad, left);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (unsigned long)va_arg(*ap, void *), 16, 0, width,
			pad, left);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put_padded(o, s, strlen(s), width, ' ', left);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, &ch, 1, width, ' ', left);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		put(o, c);
	}
}

int vsnprintf(char *buf, size_t n, const char *f, va_list ap)
{
	struct out o = {buf, n, 0};
	va_list aq;
	va_copy(aq, ap);
	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		if (*++f == '-')
			left = 1, f++;
		if (*f == '0')
			pad = '0', f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		while (*f == 'l' || *f == 'z')
			lng = 1, f++;
		if (!*f)
			break;
		conversion(&o, *f, lng, width, pad, left, &aq);
	}
	va_end(aq);
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *fmt, ...)
{
	char buf[PRINTF_BUF];
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t len = (size_t)r < sizeof buf ? (size_t)r : sizeof buf - 1;
	write(FD_STDOUT, buf, len);
	return r;
}

int puts(const char *s)
{
	write(FD_STDOUT, s, strlen(s));
	return (int)write(FD_STDOUT, "\n", 1);
}
