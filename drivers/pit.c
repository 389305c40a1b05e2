/* pit.c — the 8254 programmable interval timer on IRQ 0 drives the tick counter. */
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_MODE_RATE 0x34 /* channel 0, lo/hi byte, mode 2 (rate generator) */
#define PIT_FREQ 1193182   /* input clock in Hz */

static volatile uint64_t ticks;
static unsigned rate;

static void pit_irq(struct trap_frame *f)
{
	(void)f;
	ticks++;
	pic_eoi(IRQ_TIMER);
}

void pit_init(unsigned hz)
{
	if (hz < 19)
		hz = 19; /* the divisor is 16 bits */
	if (hz > 10000)
		hz = 10000;
	rate = hz;
	uint32_t div = PIT_FREQ / hz;
	outb(PIT_CMD, PIT_MODE_RATE);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, (div >> 8) & 0xff);
	trap_register(PIC_VECTOR_BASE + IRQ_TIMER, pit_irq);
	pic_unmask(IRQ_TIMER);
}

uint64_t pit_ticks(void)
{
	return ticks;
}

unsigned pit_hz(void)
{
	return rate;
}

uint64_t uptime_ms(void)
{
	return rate ? ticks * 1000 / rate : 0;
}

void pit_sleep_ms(uint64_t ms)
{
	uint64_t end = uptime_ms() + ms;
	while (uptime_ms() < end)
		hlt();
}
