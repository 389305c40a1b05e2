/* debug_io.c — polled byte I/O for the monitor and GDB stub; break-in detection
 * on receive. */
#include "drivers/console.h"
#include "drivers/pic.h"
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

#define PKT_MAX 1100 /* a packet held back while its checksum is checked */

static struct uart gdb_uart_own;
static struct uart *gdb_uart = &serial_console;

/* Bytes of a checked GDB packet, replayed to the stub's getc. */
static char replay[PKT_MAX];
static unsigned replay_len, replay_pos;

/* Packet recognition state in the receive interrupt. */
static char pkt[PKT_MAX];
static unsigned pkt_len;
static int pkt_hash_seen; /* characters after '#': 0..2, -1 = not yet */

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

static int console_getc_poll(void *ctx)
{
	(void)ctx;
	console_flush_cr(); /* the terminal shows all before a key is read */
	for (;;) {
		int c = serial_getc_poll(&serial_console);
		if (c < 0)
			c = ps2kbd_poll();
		if (c >= 0)
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
	static const struct char_io io = {console_getc_poll, console_putc_mon,
					  0};
	struct mon_env env = {debug_mon_reg_lookup, debug_frame(),
			      debug_in_double_fault() ? MON_SAFE_AFTER_DF : 0};
	int rc = monitor_run(&io, &env);
	return rc == MON_CONTINUE;
}

static int gdb_getc(void *ctx)
{
	(void)ctx;
	if (replay_pos < replay_len)
		return (unsigned char)replay[replay_pos++];
	for (;;) {
		int c = serial_getc_poll(gdb_uart);
		if (c >= 0)
			return c;
		__asm__ volatile("pause");
	}
}

static void gdb_putc(void *ctx, char c)
{
	(void)ctx;
	serial_putc_poll(gdb_uart, c);
}

bool debug_gdb_front_end(void)
{
	static const struct char_io io = {gdb_getc, gdb_putc, 0};
	return gdb_kernel_session(&io);
}

static unsigned hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 256;
}

/* True when pkt holds "$payload#cc" with a correct checksum. */
static bool packet_valid(void)
{
	unsigned sum = 0, i;
	for (i = 1; i < pkt_len - 3; i++)
		sum += (unsigned char)pkt[i];
	unsigned want =
	    hexval(pkt[pkt_len - 2]) << 4 | hexval(pkt[pkt_len - 1]);
	return want < 256 && (sum & 0xff) == want;
}

/* Not a packet after all: the held bytes are ordinary console input. */
static void packet_give_up(struct uart *u)
{
	if (u == &serial_console)
		for (unsigned i = 0; i < pkt_len; i++)
			console_input_push((uint8_t)pkt[i]);
	pkt_len = 0;
	pkt_hash_seen = -1;
}

static void enter_gdb(struct uart *u, struct trap_frame *f)
{
	if (pkt_len > 11 && memcmp(pkt, "$qSupported", 11) == 0)
		gdb_kernel_new_connection();
	memcpy(replay, pkt, pkt_len);
	replay_len = pkt_len;
	replay_pos = 0;
	pkt_len = 0;
	pkt_hash_seen = -1;
	pic_eoi(u->irq);
	debug_attach_gdb();
	debug_stop(f, DEBUG_REQUEST);
}

/* Collect a '$'-started packet; returns true while the byte was taken.
 * A '$' inside a packet starts a new one: the held bytes are what a GDB
 * that vanished mid-packet left behind, and the next GDB's first packet
 * must not be merged with them (and dropped on the checksum). */
static bool packet_byte(struct uart *u, struct trap_frame *f, uint8_t c)
{
	if (pkt_len == 0 && c != '$')
		return false;
	if (pkt_len > 0 && c == '$')
		packet_give_up(u);
	pkt[pkt_len++] = (char)c;
	if (pkt_hash_seen >= 0)
		pkt_hash_seen++;
	else if (c == '#')
		pkt_hash_seen = 0;
	if (pkt_hash_seen == 2) {
		if (packet_valid())
			enter_gdb(u, f);
		else
			packet_give_up(u);
	} else if (pkt_len == PKT_MAX || (c == '\r' && pkt_hash_seen < 0)) {
		packet_give_up(u);
	}
	return true;
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
		pkt_len = 0;
		pkt_hash_seen = -1;
		pic_eoi(u->irq);
		take_line_from_gdb();
		printk("\nbreak key: entering the monitor ('c' continues)\n");
		debug_stop(f, DEBUG_REQUEST);
		return;
	}
	if (enabled && u == gdb_uart && packet_byte(u, f, c))
		return;
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
	pkt_hash_seen = -1;
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
	if (!serial_init(&gdb_uart_own)) {
		printk("warning: gdb=%s: no UART answers at io 0x%x; GDB stays "
		       "on the console\n",
		       kopts.gdb, gdb_uart_own.port);
		return;
	}
	gdb_uart = &gdb_uart_own;
	printk("gdb: stub on 16550 at io 0x%x, %u baud\n", gdb_uart->port,
	       gdb_uart->baud);
}
