/* cmdline.c — splits the kernel command line and fills the typed option table.
 */
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

#define CMDLINE_MSG_MAX 160
/* A 16550 has eight registers: 8 bytes apart from mmio:, 32 from mmio32:
 * (drivers/serial.c maps them). */
#define UART_REG_COUNT 8
#define MMIO32_STRIDE 4

bool cmdline_parse_uint(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false; /* too big for 64 bits: refused, not
					 wrapped */
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool token_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

static bool parse_bool(const char *v, size_t len, bool *out)
{
	if (len == 0 || token_is(v, len, "1") || token_is(v, len, "on") ||
	    token_is(v, len, "yes")) {
		*out = true;
		return true;
	}
	if (token_is(v, len, "0") || token_is(v, len, "off") ||
	    token_is(v, len, "no")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_enum(const struct cmdline_opt *o, const char *v, size_t len)
{
	for (int i = 0; o->choices[i]; i++) {
		if (token_is(v, len, o->choices[i])) {
			*(int *)o->value = i;
			return true;
		}
	}
	return false;
}

/* Store value v (len chars, has_value false for a bare name) into o. */
static bool apply(const struct cmdline_opt *o, const char *v, size_t len,
		  bool has_value)
{
	switch (o->type) {
	case OPT_BOOL:
		return parse_bool(v, has_value ? len : 0, (bool *)o->value);
	case OPT_UINT:
		return has_value && cmdline_parse_uint(v, len, o->value);
	case OPT_STRING:
		if (!has_value || len >= o->size)
			return false;
		memcpy(o->value, v, len);
		((char *)o->value)[len] = '\0';
		return true;
	case OPT_ENUM:
		return has_value && parse_enum(o, v, len);
	}
	return false;
}

static const char *type_word(const struct cmdline_opt *o)
{
	switch (o->type) {
	case OPT_BOOL:
		return "on/off";
	case OPT_UINT:
		return "a number";
	case OPT_STRING:
		return "a (short enough) string";
	default:
		return "one of its listed choices";
	}
}

static int parse_token(const char *tok, size_t len,
		       const struct cmdline_opt *opts, size_t n,
		       void (*warn)(const char *msg))
{
	char msg[CMDLINE_MSG_MAX];
	size_t nlen = 0;
	while (nlen < len && tok[nlen] != '=')
		nlen++;
	bool has_value = nlen < len;
	const char *v = tok + nlen + (has_value ? 1 : 0);
	size_t vlen = has_value ? len - nlen - 1 : 0;
	for (size_t i = 0; i < n; i++) {
		if (!token_is(tok, nlen, opts[i].name))
			continue;
		if (apply(&opts[i], v, vlen, has_value))
			return 0;
		ksnprintf(msg, sizeof msg,
			  "cmdline: option '%s' wants %s, got '%.*s'; ignored",
			  opts[i].name, type_word(&opts[i]), (int)vlen, v);
		warn(msg);
		return 1;
	}
	ksnprintf(msg, sizeof msg, "cmdline: unknown option '%.*s' ignored",
		  (int)nlen, tok);
	warn(msg);
	return 1;
}

int cmdline_parse(const char *line, const struct cmdline_opt *opts, size_t n,
		  void (*warn)(const char *msg))
{
	int warnings = 0;
	while (line && *line) {
		while (*line == ' ' || *line == '\t')
			line++;
		size_t len = 0;
		while (line[len] && line[len] != ' ' && line[len] != '\t')
			len++;
		if (len)
			warnings += parse_token(line, len, opts, n, warn);
		line += len;
	}
	return warnings;
}

static const uint16_t ttys_ports[4] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};

/* Whether the UART's clock can make the rate is the driver's to say
 * (serial_init): a PC's 1.8432 MHz UART goes to 115200, others further. */
static const char *parse_baud(const char *b, uint32_t *baud)
{
	uint64_t v;
	if (!cmdline_parse_uint(b, strlen(b), &v) || v < CMDLINE_BAUD_MIN ||
	    v > CMDLINE_BAUD_MAX)
		return "baud must be a number from 50 to 4000000 (e.g. 9600, "
		       "115200; above 115200 only on a UART with a faster "
		       "clock)";
	*baud = (uint32_t)v;
	return 0;
}

const char *cmdline_parse_uart(const char *spec, uint16_t *port, uint32_t *baud)
{
	size_t len = 0;
	uint64_t v;
	while (spec[len] && spec[len] != ',')
		len++;
	if (len == 5 && strncmp(spec, "ttyS", 4) == 0 && spec[4] >= '0' &&
	    spec[4] <= '3')
		*port = ttys_ports[spec[4] - '0'];
	else if (len > 3 && strncmp(spec, "io:", 3) == 0 &&
		 cmdline_parse_uint(spec + 3, len - 3, &v) && v && v < 0xfff8)
		*port = (uint16_t)v;
	else if (len)
		return "expected ttyS0..ttyS3 or io:0xPORT";
	if (!spec[len])
		return 0;
	return parse_baud(spec + len + 1, baud);
}

/* Why the registers of a UART at addr cannot be used, or NULL. */
static const char *mmio_addr_error(uint64_t addr, bool wide)
{
	uint64_t stride = wide ? MMIO32_STRIDE : 1;
	if (!addr)
		return "mmio: wants a non-zero address, e.g. mmio:0xfe030000";
	if (addr % stride)
		return "mmio32: the address must be 4-byte aligned (32-bit "
		       "registers)";
	if (addr > UINT64_MAX - (UART_REG_COUNT * stride - 1))
		return "mmio: the UART's registers would run past the top of "
		       "the address space";
	return 0;
}

/* "mmio:0x..." / "mmio32:0x..." of len chars; false when it is neither. */
static bool parse_mmio(const char *spec, size_t len, struct uart_spec *out,
		       const char **err)
{
	size_t plen;
	if (len > 7 && strncmp(spec, "mmio32:", 7) == 0) {
		out->kind = UART_SPEC_MMIO32;
		plen = 7;
	} else if (len > 5 && strncmp(spec, "mmio:", 5) == 0) {
		out->kind = UART_SPEC_MMIO;
		plen = 5;
	} else {
		return false;
	}
	if (!cmdline_parse_uint(spec + plen, len - plen, &out->addr))
		*err = "mmio: wants a number that fits 64 bits, e.g. "
		       "mmio:0xfe030000";
	else
		*err =
		    mmio_addr_error(out->addr, out->kind == UART_SPEC_MMIO32);
	if (*err)
		out->kind = UART_SPEC_AUTO;
	return true;
}

const char *cmdline_parse_uart_spec(const char *spec, struct uart_spec *out)
{
	size_t len = 0;
	const char *err = 0;
	*out = (struct uart_spec){.kind = UART_SPEC_AUTO, .text = spec};
	while (spec[len] && spec[len] != ',')
		len++;
	if (spec[len] && (err = parse_baud(spec + len + 1, &out->baud)))
		return err;
	if (len == 0 || token_is(spec, len, "auto"))
		return 0;
	if (token_is(spec, len, "none"))
		out->kind = UART_SPEC_NONE;
	else if (token_is(spec, len, "pci"))
		out->kind = UART_SPEC_PCI;
	else if (!parse_mmio(spec, len, out, &err)) {
		uint16_t port = 0;
		uint32_t unused = 0;
		char head[16];
		if (len >= sizeof head)
			return "expected ttyS0..ttyS3, io:0xPORT, "
			       "mmio:0xADDR, pci, auto or none";
		memcpy(head, spec, len);
		head[len] = '\0';
		if (cmdline_parse_uart(head, &port, &unused) || !port)
			return "expected ttyS0..ttyS3, io:0xPORT, "
			       "mmio:0xADDR, pci, auto or none";
		out->kind = UART_SPEC_IO;
		out->addr = port;
	}
	return err;
}
