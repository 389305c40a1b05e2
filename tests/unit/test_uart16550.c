/* test_uart16550.c — the 16550 probe and waits against a model UART with
 * its own clock: reset state, slow baud rates, fast registers, dead lines. */
#include <string.h>

#include "drivers/uart16550.h"
#include "tests/unit/harness.h"

#define CLOCK_HZ 1843200ull
#define NS_PER_S 1000000000ull
#define RX_MAX 16
#define TX_FIFO 16

/* A 16550 as the data sheet describes it, just enough for the probe:
 * a transmitter that takes one character time per byte, loopback into
 * the receiver with the current word length, a receive FIFO. Every
 * register access advances the model's time by access_ns. */
static struct model {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo_on;
	uint8_t rx[RX_MAX];
	int nrx;
	bool tsr_busy; /* a byte is being shifted out until tsr_done */
	uint8_t tsr;
	uint64_t tsr_done;
	uint8_t txq[TX_FIFO]; /* the holding register, or the TX FIFO */
	int ntx;
	bool no_fifo;	  /* a 16450: FCR does nothing, IIR says so */
	int overruns;	  /* bytes written into a full transmitter */
	uint8_t out[256]; /* what left the transmitter, in order */
	uint64_t now_ns, access_ns;
	bool absent;	     /* no device: reads float high, writes vanish */
	bool loop_deaf;	     /* the loopback never delivers */
	int bytes_sent;	     /* bytes that left the transmitter */
	uint8_t last_looped; /* last byte the receiver got in loopback */
} m;

static void model_reset(uint64_t access_ns)
{
	memset(&m, 0, sizeof m);
	m.access_ns = access_ns; /* reset: LCR 0 = 5-bit characters */
}

static uint64_t char_ns(void)
{
	unsigned d = m.dll | m.dlm << 8;
	unsigned bits = 1 + 5 + (m.lcr & 3) + 1 + ((m.lcr >> 2) & 1);
	return d ? bits * 16ull * d * NS_PER_S / CLOCK_HZ : UINT64_MAX / 2;
}

static void start_tx(void)
{
	if (m.tsr_busy || !m.ntx)
		return;
	m.tsr_busy = true;
	m.tsr = m.txq[0];
	memmove(m.txq, m.txq + 1, (size_t)--m.ntx);
	m.tsr_done = m.now_ns + char_ns();
}

/* Move the transmitter on to the model's present time. */
static void advance(void)
{
	m.now_ns += m.access_ns;
	while (m.tsr_busy && m.now_ns >= m.tsr_done) {
		m.tsr_busy = false;
		m.out[m.bytes_sent++ % sizeof m.out] = m.tsr;
		uint8_t word = m.tsr & (uint8_t)((1u << (5 + (m.lcr & 3))) - 1);
		if ((m.mcr & MCR_LOOP) && !m.loop_deaf &&
		    m.nrx < (m.fifo_on ? RX_MAX : 1)) {
			m.rx[m.nrx++] = word;
			m.last_looped = word;
		}
		start_tx();
	}
}

static uint8_t model_read(const void *dev, int reg)
{
	(void)dev;
	advance();
	if (m.absent)
		return 0xff;
	bool dlab = m.lcr & LCR_DLAB;
	switch (reg) {
	case UART_DATA: {
		if (dlab)
			return m.dll;
		uint8_t b = m.nrx ? m.rx[0] : 0;
		if (m.nrx)
			memmove(m.rx, m.rx + 1, (size_t)--m.nrx);
		return b;
	}
	case UART_IER:
		return dlab ? m.dlm : m.ier;
	case UART_LCR:
		return m.lcr;
	case UART_MCR:
		return m.mcr;
	case UART_LSR:
		return (uint8_t)((m.nrx ? LSR_DATA_READY : 0) |
				 (m.ntx ? 0 : LSR_THR_EMPTY));
	case UART_IIR: /* no interrupt pending; FIFO state in bits 7:6 */
		return m.fifo_on ? IIR_FIFOS_WORK | 1 : 1;
	case UART_SCR:
		return m.scr;
	}
	return 0;
}

static void model_write(const void *dev, int reg, uint8_t v)
{
	(void)dev;
	advance();
	if (m.absent)
		return;
	bool dlab = m.lcr & LCR_DLAB;
	switch (reg) {
	case UART_DATA:
		if (dlab) {
			m.dll = v;
		} else if (m.ntx < (m.fifo_on ? TX_FIFO : 1)) {
			m.txq[m.ntx++] = v;
			start_tx();
		} else {
			m.overruns++;
		}
		break;
	case UART_IER:
		*(dlab ? &m.dlm : &m.ier) = v;
		break;
	case UART_FCR:
		m.fifo_on = (v & 1) && !m.no_fifo;
		if (v & 2)
			m.nrx = 0;
		break;
	case UART_LCR:
		m.lcr = v;
		break;
	case UART_MCR:
		m.mcr = v;
		break;
	case UART_SCR:
		m.scr = v;
		break;
	}
}

static uint64_t model_now_us(void)
{
	return m.now_ns / 1000;
}

static const struct uart_regs regs = {model_read, model_write, model_now_us, 0};

static uint16_t divisor_for(uint32_t baud)
{
	return (uint16_t)(CLOCK_HZ / 16 / baud);
}

/* Probed from the reset state, the UART ends up 8N1 at the divisor,
 * FIFOs on, interrupts off, the modem lines up, nothing left to read. */
static void test_probe_from_reset_state(void **state)
{
	(void)state;
	model_reset(50);
	assert_true(uart16550_setup(&regs, divisor_for(115200), 115200));
	assert_int_equal(m.lcr, LCR_8N1);
	assert_int_equal(m.dll | m.dlm << 8, 1);
	assert_int_equal(m.ier, 0);
	assert_true(m.fifo_on);
	assert_int_equal(m.mcr, MCR_DTR | MCR_RTS | MCR_OUT2);
	assert_int_equal(m.nrx, 0);
	assert_int_equal(m.bytes_sent, 2);
	assert_int_equal(m.last_looped, 0x51);
}

/* Registers that read in a nanosecond and a byte that takes a
 * millisecond (9600 baud): a wait counted in register reads gives up
 * long before the byte is back; one bounded by time does not. */
static void test_probe_fast_registers_slow_baud(void **state)
{
	(void)state;
	model_reset(1);
	assert_true(uart16550_setup(&regs, divisor_for(9600), 9600));
	model_reset(10);
	assert_true(uart16550_setup(&regs, divisor_for(300), 300));
}

/* A receiver that never answers: the probe says no, after about the
 * promised time, whether the registers read fast or slow. */
static void test_probe_dead_loopback_bounded_by_time(void **state)
{
	(void)state;
	uint64_t access[] = {1, 1000};
	for (int i = 0; i < 2; i++) {
		model_reset(access[i]);
		m.loop_deaf = true;
		assert_false(
		    uart16550_setup(&regs, divisor_for(115200), 115200));
		uint64_t t = uart16550_timeout_us(115200);
		assert_true(model_now_us() >= t);
		assert_true(model_now_us() <= t + t / 2 + 10);
	}
}

static void test_probe_absent_port(void **state)
{
	(void)state;
	model_reset(1000);
	m.absent = true;
	assert_false(uart16550_scratch_ok(&regs));
	assert_true(model_now_us() < 10);
	assert_false(uart16550_setup(&regs, 1, 115200));
}

/* Bytes received before the probe (a terminal typing at boot) must
 * not be taken for the looped-back byte. */
static void test_probe_with_stale_input(void **state)
{
	(void)state;
	model_reset(50);
	m.rx[0] = 0x0e;
	m.nrx = 1;
	assert_true(uart16550_setup(&regs, divisor_for(115200), 115200));
	m.rx[0] = 0xae;
	m.nrx = 1;
	m.loop_deaf = true;
	assert_false(uart16550_setup(&regs, divisor_for(115200), 115200));
}

static void test_wait_gives_up_by_time(void **state)
{
	(void)state;
	model_reset(1);
	m.ntx = 1; /* stuck: the holding register never empties */
	m.dll = 0;
	m.dlm = 0;
	assert_false(uart16550_wait(&regs, LSR_THR_EMPTY, 500));
	assert_true(model_now_us() >= 500 && model_now_us() <= 502);
	model_reset(1);
	assert_true(uart16550_wait(&regs, LSR_THR_EMPTY, 500));
	assert_true(model_now_us() < 1);
}

static void test_divisor_left_by_firmware(void **state)
{
	(void)state;
	model_reset(1);
	m.lcr = LCR_8N1;
	m.dll = 12;
	assert_int_equal(uart16550_divisor(&regs), 12);
	assert_int_equal(m.lcr, LCR_8N1);
}

static void test_character_times(void **state)
{
	(void)state;
	assert_int_equal(uart16550_char_us(115200), 87);
	assert_int_equal(uart16550_char_us(9600), 1042);
	assert_int_equal(uart16550_char_us(0), 10000000);
	assert_true(uart16550_timeout_us(115200) > 4 * 87);
}

/* Send n bytes through uart16550_tx_room as serial_putc_poll does; how
 * many of them found no room left (and so looked at THRE). */
static int send_counting_lsr_reads(int n, uint8_t depth)
{
	uint8_t room = 0;
	int looks = 0;
	for (int i = 0; i < n; i++) {
		if (!room)
			looks++;
		assert_true(uart16550_tx_room(&regs, &room, depth, 100000));
		model_write(0, UART_DATA, (uint8_t)i);
	}
	return looks;
}

/* A 16550A takes 16 bytes per THRE: 100 bytes need 7 looks at LSR, not
 * 100, and none is lost; a 16450 (no FIFO) gets one byte per look. */
static void test_tx_fifo_fill(void **state)
{
	(void)state;
	for (int fifo = 1; fifo >= 0; fifo--) {
		model_reset(50);
		m.no_fifo = !fifo;
		assert_true(
		    uart16550_setup(&regs, divisor_for(115200), 115200));
		uint8_t depth = uart16550_tx_depth(&regs);
		assert_int_equal(depth, fifo ? 16 : 1);
		int sent_before = m.bytes_sent;
		int looks = send_counting_lsr_reads(100, depth);
		assert_int_equal(looks, fifo ? 7 : 100);
		assert_true(uart16550_wait(&regs, LSR_THR_EMPTY, 100000));
		while (m.tsr_busy)
			advance();
		assert_int_equal(m.overruns, 0);
		assert_int_equal(m.bytes_sent - sent_before, 100);
		for (int i = 0; i < 100; i++)
			assert_int_equal(m.out[(sent_before + i) % 256], i);
	}
}

/* The PC's 1.8432 MHz clock makes 115200 and its divisors; 230400 needs
 * a faster clock (a PCI UART's 14.7456 MHz); 57000 is within 2% of
 * 57600, 12345 of nothing. */
static void test_divisor_for_rates(void **state)
{
	(void)state;
	assert_int_equal(uart16550_divisor_for(1843200, 115200), 1);
	assert_int_equal(uart16550_divisor_for(1843200, 9600), 12);
	assert_int_equal(uart16550_divisor_for(1843200, 50), 2304);
	assert_int_equal(uart16550_divisor_for(1843200, 230400), 0);
	assert_int_equal(uart16550_divisor_for(1843200, 921600), 0);
	assert_int_equal(uart16550_divisor_for(14745600, 230400), 4);
	assert_int_equal(uart16550_divisor_for(14745600, 921600), 1);
	assert_int_equal(uart16550_divisor_for(1843200, 57000), 2);
	assert_int_equal(uart16550_divisor_for(1843200, 12345), 0);
	assert_int_equal(uart16550_divisor_for(48000000, 115200), 26);
	assert_int_equal(uart16550_divisor_for(1843200, 1), 0);
	assert_int_equal(uart16550_divisor_for(1843200, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probe_from_reset_state),
	    cmocka_unit_test(test_probe_fast_registers_slow_baud),
	    cmocka_unit_test(test_probe_dead_loopback_bounded_by_time),
	    cmocka_unit_test(test_probe_absent_port),
	    cmocka_unit_test(test_probe_with_stale_input),
	    cmocka_unit_test(test_wait_gives_up_by_time),
	    cmocka_unit_test(test_divisor_left_by_firmware),
	    cmocka_unit_test(test_character_times),
	    cmocka_unit_test(test_tx_fifo_fill),
	    cmocka_unit_test(test_divisor_for_rates),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
