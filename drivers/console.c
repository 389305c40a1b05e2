/* console.c — fans kernel output out to serial, VGA and framebuffer; queues typed input. */
#include "drivers/console.h"
#include "kernel/ring.h"
#include "kernel/x86.h"

static struct console_backend *backends;
static struct ring input;
static uint64_t lines;

void console_register(struct console_backend *b)
{
	b->next = backends;
	backends = b;
}

void console_putc(char c)
{
	if (c == '\n')
		lines++;
	for (struct console_backend *b = backends; b; b = b->next)
		b->putc(c);
}

void console_write(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_input_push(uint8_t c)
{
	ring_put(&input, c);
}

int console_getc(void)
{
	uint8_t c;
	uint64_t f = irq_save();
	bool ok = ring_get(&input, &c);
	irq_restore(f);
	return ok ? c : -1;
}

uint64_t console_lines(void)
{
	return lines;
}
