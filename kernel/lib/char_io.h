/* char_io.h — a byte transport: the one interface the monitor and the GDB stub
 * talk through. */
#ifndef KERNEL_LIB_CHAR_IO_H
#define KERNEL_LIB_CHAR_IO_H

/* getc blocks and returns a byte 0..255, or a negative number on timeout
 * or when no more input will come (the monitor then returns, the stub
 * treats it as a lost line); putc sends one byte. In the kernel both work
 * with interrupts off (polled UART). */
struct char_io {
	int (*getc)(void *ctx);
	void (*putc)(void *ctx, char c);
	void *ctx;
	/* Optional: as getc, but a negative number once ms milliseconds pass
	 * without a byte (a bounded wait, e.g. for an ack that may never
	 * come). NULL: getc's own timeout, if any, applies. */
	int (*getc_timeout)(void *ctx, unsigned ms);
};

#endif
