/* debug_io.c — polled byte I/O for the monitor and GDB stub; break-in detection
 * on receive. */
#include "drivers/console.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/ps2kbd.h"
#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_io.h"
#include "kernel/debug/gdb_kernel.h"
#include "kernel/debug/monitor.h"
#include "kernel/lib/string.h"
#include "kernel/options.h"
#include "kernel/printk.h"

/* A UART status read and two PIT reads take well over a microsecond (ISA
 * bus timing), so this many polls last at least a millisecond. */
#define POLLS_PER_MS 1000

static struct uart gdb_uart_own;
static struct uart *gdb_uart = &serial_console;

/* The packet detector on the GDB line (the console's unless gdb=): the
 * stub's framer, and the raw bytes held back while a packet is checked.
 * A verified packet is replayed to the stub's getc; anything else is
 * given back as console input. One size limit: GDB_PACKET_SIZE. */
#define HELD_MAX (GDB_PACKET_SIZE + 4) /* '$' payload '#' c c */
static struct {
	struct gdb_framer fr;
	char held[HELD_MAX];
	unsigned held_len;
	char replay[HELD_MAX];
	unsigned replay_len, replay_pos;
} knock;

bool debug_gdb_owns_console(void)
{
	return gdb_uart == &serial_console && debug_gdb_attached();
}

struct uart *debug_gdb_uart(void)
{
	return gdb_uart;
}

/* The console turns "\n" into "\r\n" itself, so a CR the monitor sends
 * right before a newline is dropped; any other CR (a line editor redraw,
 * erasing --More--) goes out. */
static bool cr_held;

static void console_flush_cr(void)
{
	if (cr_held)
		console_putc('\r');
	cr_held = false;
}

/* Not a packet after all: the held bytes go to give_back (console input)
 * when a person may have typed them, else nowhere. */
static void knock_give_up(struct uart *u, void (*give_back)(uint8_t))
{
	if (u == &serial_console && give_back)
		for (unsigned i = 0; i < knock.held_len; i++)
			give_back((uint8_t)knock.held[i]);
	knock.held_len = 0;
	gdb_framer_reset(&knock.fr);
}

/* On the console's line a person types too: a space or a control key
 * (Enter, Backspace, arrows) never occurs in a client's text packet, so it
 * ends the hold at once instead of at the checksum. */
static bool typed_by_person(struct uart *u, uint8_t c)
{
	return u == &serial_console && (c <= ' ' || c == 0x7f);
}

/* What knock_byte made of a byte. */
enum knock {
	KNOCK_NOT_MINE, /* outside a packet: the caller's to use */
	KNOCK_HELD,	/* held back (or given back) while a packet forms */
	KNOCK_PACKET,	/* a packet with a valid checksum: ready to replay */
};

/* Feed byte c received on the GDB line u to the detector. */
static enum knock knock_byte(struct uart *u, uint8_t c,
			     void (*give_back)(uint8_t))
{
	if (!gdb_framer_in_packet(&knock.fr) && c != GDB_CH_START)
		return KNOCK_NOT_MINE;
	if (typed_by_person(u, c) || knock.held_len == HELD_MAX) {
		knock_give_up(u, give_back);
		return KNOCK_NOT_MINE;
	}
	enum gdb_frame r = gdb_framer_feed(&knock.fr, c);
	if (r == GDB_FRAME_RESTART) {
		/* The held bytes are what a GDB that vanished mid-packet left
		 * behind; the next GDB's first packet must not be merged with
		 * them (and dropped on the checksum). */
		knock_give_up(u, give_back);
		gdb_framer_feed(&knock.fr, c);
	}
	knock.held[knock.held_len++] = (char)c;
	if (r == GDB_FRAME_BAD || r == GDB_FRAME_TOOLONG) {
		knock_give_up(u, give_back);
		return KNOCK_HELD;
	}
	if (r != GDB_FRAME_PACKET)
		return KNOCK_HELD;
	memcpy(knock.replay, knock.held, knock.held_len);
	knock.replay_len = knock.held_len;
	knock.replay_pos = 0;
	knock.held_len = 0;
	return KNOCK_PACKET;
}

/* Forget a packet half received (the break key: a person wins). */
static void knock_drop(void)
{
	knock.held_len = 0;
	gdb_framer_reset(&knock.fr);
}

/* Monitor input the detector held and gave back (not a packet after all),
 * returned before anything newer. */
static struct {
	char b[HELD_MAX + 1];
	unsigned len, pos;
} typed;
/* A client's packet arrived while the monitor had the stop: its input ends
 * (getc returns -1) until the GDB front end takes over. */
static bool knocked;

static void typed_push(uint8_t c)
{
	if (typed.len < sizeof typed.b)
		typed.b[typed.len++] = (char)c;
}

static int typed_pop(void)
{
	if (typed.pos == typed.len) {
		typed.pos = typed.len = 0;
		return -1;
	}
	return (unsigned char)typed.b[typed.pos++];
}

/* A client's packet at the monitor's prompt: the stop is GDB's now, as if
 * the `gdb` command had been typed, and the client is a new one. */
static void knock_at_monitor(void)
{
	if (gdb_uart != &serial_console)
		printk("\ngdb: a debugger's packet on the GDB UART (io 0x%x): "
		       "it has the stop now; its detach returns here\n",
		       gdb_uart->port);
	gdb_kernel_new_connection();
	debug_switch_to_gdb();
	knocked = true;
}

/* Watch a line for a client's packet while the monitor runs: bytes of
 * the console's line are the monitor's unless they form a packet (held,
 * then given back); the GDB UART's (gdb=) are dropped unless they do. */
static void monitor_watch(struct uart *u)
{
	int c = serial_getc_poll(u);
	if (c < 0)
		return;
	enum knock k = knock_byte(u, (uint8_t)c, typed_push);
	if (k == KNOCK_PACKET)
		knock_at_monitor();
	else if (k == KNOCK_NOT_MINE && u == &serial_console)
		typed_push((uint8_t)c);
}

/* The monitor's getc: console UART, GDB UART and PS/2 keyboard, polled. */
static int console_getc_poll(void *ctx)
{
	(void)ctx;
	console_flush_cr(); /* the terminal shows all before a key is read */
	for (;;) {
		if (knocked)
			return -1;
		int c = typed_pop();
		if (c >= 0)
			return c;
		if (kopts.debug != DEBUG_MODE_OFF) {
			monitor_watch(&serial_console);
			if (gdb_uart != &serial_console)
				monitor_watch(gdb_uart);
			c = typed_pop();
		} else {
			c = serial_getc_poll(&serial_console);
		}
		if (c < 0)
			c = ps2kbd_poll();
		if (c >= 0 && !knocked)
			return c;
		__asm__ volatile("pause");
	}
}

static void console_putc_mon(void *ctx, char c)
{
	(void)ctx;
	if (c != '\n')
		console_flush_cr();
	if (c == '\r')
		cr_held = true;
	else
		console_putc(c);
	if (c == '\n')
		cr_held = false;
}

bool debug_monitor_front_end(void)
{
	static const struct char_io io = {.getc = console_getc_poll,
					  .putc = console_putc_mon};
	struct mon_env env = {debug_mon_reg_lookup, debug_frame(),
			      debug_in_double_fault() ? MON_SAFE_AFTER_DF : 0,
			      debug_mon_read};
	int rc = monitor_run(&io, &env);
	return rc == MON_CONTINUE;
}

static int gdb_getc(void *ctx)
{
	(void)ctx;
	if (knock.replay_pos < knock.replay_len)
		return (unsigned char)knock.replay[knock.replay_pos++];
	for (;;) {
		int c = serial_getc_poll(gdb_uart);
		if (c >= 0)
			return c;
		serial_rx_idle(gdb_uart);
	}
}

/* As gdb_getc, but -1 after ms milliseconds without a byte (timed by the
 * PIT; without it, by a count of polls that takes at least as long). */
static int gdb_getc_timeout(void *ctx, unsigned ms)
{
	(void)ctx;
	if (knock.replay_pos < knock.replay_len)
		return (unsigned char)knock.replay[knock.replay_pos++];
	uint64_t start = pit_poll_clocks();
	uint64_t limit = (uint64_t)ms * (PIT_FREQ / 1000);
	for (uint64_t polls = 0; polls < (uint64_t)ms * POLLS_PER_MS; polls++) {
		int c = serial_getc_poll(gdb_uart);
		if (c >= 0)
			return c;
		if (pit_poll_clocks() - start >= limit)
			break;
		__asm__ volatile("pause");
	}
	return -1;
}

bool debug_gdb_input_waiting(bool *is_break)
{
	*is_break = false;
	if (!debug_gdb_attached())
		return false;
	if (knock.replay_pos < knock.replay_len)
		return true;
	int c = serial_getc_poll(gdb_uart);
	if (c < 0)
		return false;
	*is_break = c == GDB_INTERRUPT;
	if (!*is_break) {
		knock.replay[0] = (char)c; /* gdb_getc hands it on */
		knock.replay_pos = 0;
		knock.replay_len = 1;
	}
	return true;
}

static void gdb_putc(void *ctx, char c)
{
	(void)ctx;
	serial_putc_poll(gdb_uart, c);
}

bool debug_gdb_front_end(void)
{
	knocked = false;
	static const struct char_io io = {.getc = gdb_getc,
					  .putc = gdb_putc,
					  .getc_timeout = gdb_getc_timeout};
	return gdb_kernel_session(&io);
}

static void enter_gdb(struct uart *u, struct trap_frame *f)
{
	/* GDB sends nothing while it waits for a stop but Ctrl-C: a packet
	 * now is a new client, owed no stop reply, in ack mode. */
	gdb_kernel_new_connection();
	pic_eoi(u->irq);
	debug_attach_gdb();
	debug_stop(f, DEBUG_REQUEST);
}

/* The break key on the console's line is a person at the terminal: if a
 * GDB still owns that line (one that died while the kernel ran never
 * detached), its session is dropped, so the stop goes to the monitor and
 * console output returns. A GDB on its own UART (gdb=) keeps its stops. */
static void take_line_from_gdb(void)
{
	if (!debug_gdb_owns_console())
		return;
	gdb_kernel_new_connection();
	debug_gdb_detached();
	printk("\nbreak key: GDB's session dropped (its breakpoints stay; "
	       "'bl' lists them)\n");
}

void debug_serial_byte(struct uart *u, struct trap_frame *f, uint8_t c)
{
	bool enabled = kopts.debug != DEBUG_MODE_OFF;
	if (enabled && c == DEBUG_BREAK_KEY && u == &serial_console) {
		/* before packet collection: the person wins over the
		 * remains of a packet from a GDB that went away */
		knock_drop();
		pic_eoi(u->irq);
		take_line_from_gdb();
		printk("\nbreak key: entering the monitor ('c' continues)\n");
		debug_stop(f, DEBUG_REQUEST);
		return;
	}
	if (enabled && u == gdb_uart) {
		enum knock k = knock_byte(u, c, console_input_push);
		if (k == KNOCK_PACKET)
			enter_gdb(u, f);
		if (k != KNOCK_NOT_MINE)
			return;
	}
	if (enabled && c == GDB_INTERRUPT && u == gdb_uart &&
	    debug_gdb_attached()) {
		pic_eoi(u->irq);
		debug_stop(f, DEBUG_REQUEST);
		return;
	}
	if (u == &serial_console)
		console_input_push(c);
}

/* Receive interrupt of the console UART (and of the GDB UART when it is
 * another one): every byte goes past the debugger's break-in check. */
static void serial_rx_irq(struct trap_frame *f)
{
	struct uart *uarts[2] = {&serial_console, debug_gdb_uart()};
	for (int i = 0; i < 2; i++) {
		if (i == 1 && uarts[1] == uarts[0])
			break;
		int c;
		while ((c = serial_getc_poll(uarts[i])) >= 0)
			debug_serial_byte(uarts[i], f, (uint8_t)c);
	}
	pic_eoi((unsigned)f->vector - PIC_VECTOR_BASE);
}

static void uart_irq_enable(struct uart *u)
{
	if (!serial_has_irq(u))
		return;
	trap_register(PIC_VECTOR_BASE + u->irq, serial_rx_irq);
	serial_enable_rx_irq(u);
	pic_unmask(u->irq);
}

void debug_io_enable_irqs(void)
{
	uart_irq_enable(&serial_console);
	if (gdb_uart != &serial_console)
		uart_irq_enable(gdb_uart);
}

void debug_io_init(void)
{
	if (!kopts.gdb[0])
		return;
	gdb_uart_own = (struct uart){
	    .port = COM2_PORT, .baud = SERIAL_DEFAULT_BAUD, .irq = 3};
	const char *err = cmdline_parse_uart(kopts.gdb, &gdb_uart_own.port,
					     &gdb_uart_own.baud);
	if (err) {
		printk("warning: gdb=%s: %s; GDB stays on the console\n",
		       kopts.gdb, err);
		return;
	}
	if (serial_console.present && !serial_mmio(&serial_console) &&
	    serial_console.port == gdb_uart_own.port) {
		/* One UART, one driver state (its transmit FIFO count, its
		 * rate): the console's. */
		printk("gdb: gdb=%s is the console's UART: the stub shares "
		       "the console line\n",
		       kopts.gdb);
		return;
	}
	unsigned refusals = serial_baud_refusals();
	if (!serial_init(&gdb_uart_own) && serial_baud_refusals() != refusals) {
		printk("warning: gdb=%s: %s; GDB stays on the console\n",
		       kopts.gdb, serial_baud_refusal());
		return;
	}
	if (!gdb_uart_own.present) {
		printk("warning: gdb=%s: no UART answers at io 0x%x; GDB stays "
		       "on the console\n",
		       kopts.gdb, gdb_uart_own.port);
		return;
	}
	gdb_uart = &gdb_uart_own;
	printk("gdb: stub on 16550 at io 0x%x, %u baud\n", gdb_uart->port,
	       gdb_uart->baud);
}
