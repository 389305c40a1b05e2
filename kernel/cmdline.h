/* cmdline.h — kernel command line parsing into one typed option table. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cmdline_type {
	OPT_BOOL,   /* "name" or "name=0/1/on/off/yes/no" -> bool */
	OPT_UINT,   /* decimal or 0x hex -> uint64_t */
	OPT_STRING, /* copied into a char[size] */
	OPT_ENUM,   /* one of choices[] -> int index */
};

struct cmdline_opt {
	const char *name;
	enum cmdline_type type;
	void *value;                 /* bool*, uint64_t*, char[size], int* */
	size_t size;                 /* OPT_STRING buffer size */
	const char *const *choices;  /* OPT_ENUM: NULL-terminated */
	const char *help;
};

/* Parse a space-separated "name=value name …" line against opts.
 * Unknown names and bad values are reported through warn (one message
 * each, naming the option) and skipped; the rest still apply.
 * Returns the number of warnings. */
int cmdline_parse(const char *line, const struct cmdline_opt *opts, size_t n,
		  void (*warn)(const char *msg));

/* Parse a number: decimal, or hex with 0x. False on junk. */
bool cmdline_parse_uint(const char *s, size_t len, uint64_t *out);

/* Parse a UART spec: "ttyS0".."ttyS3" or "io:0xPORT", optionally followed
 * by ",baud". *port and *baud keep their values for parts not given.
 * Returns NULL on success or a message saying what is wrong. */
const char *cmdline_parse_uart(const char *spec, uint16_t *port,
			       uint32_t *baud);

#endif
