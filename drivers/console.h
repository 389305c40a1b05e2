/* console.h — the console layer: output fans out to every back end; input is one queue. */
#ifndef DRIVERS_CONSOLE_H
#define DRIVERS_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

struct console_backend {
	const char *name;
	void (*putc)(char c);
	struct console_backend *next;
};

void console_register(struct console_backend *b);
/* Write to every registered back end; '\n' becomes "\r\n" on serial. */
void console_putc(char c);
void console_write(const char *s);
/* Input from the keyboard and serial receive interrupts. */
void console_input_push(uint8_t c);
/* The next input byte, or -1 when none (never blocks). */
int console_getc(void);
/* Lines printed so far (tests use it to see progress). */
uint64_t console_lines(void);

#endif
