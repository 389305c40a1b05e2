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
	void *value;		    /* bool*, uint64_t*, char[size], int* */
	size_t size;		    /* OPT_STRING buffer size */
	const char *const *choices; /* OPT_ENUM: NULL-terminated */
	const char *help;
};

/* Parse a space-separated "name=value name …" line against opts.
 * Unknown names and bad values are reported through warn (one message
 * each, naming the option) and skipped; the rest still apply.
 * Returns the number of warnings. */
int cmdline_parse(const char *line, const struct cmdline_opt *opts, size_t n,
		  void (*warn)(const char *msg));

/* Parse a number: decimal, or hex with 0x. False on junk and on a value
 * too big for 64 bits (never wrapped). */
bool cmdline_parse_uint(const char *s, size_t len, uint64_t *out);

/* Baud rates a UART spec may ask for; whether the UART's clock can make
 * one is for serial_init to say. */
#define CMDLINE_BAUD_MIN 50
#define CMDLINE_BAUD_MAX 4000000 /* 16C950-class UARTs go this far */

/* Parse a UART spec: "ttyS0".."ttyS3" or "io:0xPORT", optionally followed
 * by ",baud". *port and *baud keep their values for parts not given.
 * Returns NULL on success or a message saying what is wrong. */
const char *cmdline_parse_uart(const char *spec, uint16_t *port,
			       uint32_t *baud);

/* A console= value: where the console UART is, or how to find it. */
enum uart_spec_kind {
	UART_SPEC_AUTO,	  /* "auto" (or empty): SPCR, legacy COM1-4, PCI */
	UART_SPEC_NONE,	  /* "none": no serial console */
	UART_SPEC_IO,	  /* "ttyS0".."ttyS3" or "io:0xPORT" */
	UART_SPEC_MMIO,	  /* "mmio:0xADDR" (8-bit registers) */
	UART_SPEC_MMIO32, /* "mmio32:0xADDR" (32-bit registers, stride 4) */
	UART_SPEC_PCI,	  /* "pci": the first PCI 16550-compatible device */
};

struct uart_spec {
	enum uart_spec_kind kind;
	uint64_t addr;	  /* port or physical address */
	uint32_t baud;	  /* 0 when not given */
	const char *text; /* the console= value as given, for messages */
};

/* Parse any console= form above, each with an optional ",baud". On an
 * error *out is auto (keeping a valid baud) and the message says why:
 * numbers too big for 64 bits, an MMIO address of 0, one whose registers
 * would run past 2^64, mmio32: not 4-byte aligned. out->text = spec. */
const char *cmdline_parse_uart_spec(const char *spec, struct uart_spec *out);

#endif
