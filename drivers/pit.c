/* pit.c — the 8254 programmable interval timer on IRQ 0 ticks the kernel clock.
 */
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"

#define PIT_CH0 0x40
#define PIT_CMD 0x43
/* Channel 0, lo/hi byte, mode 2 (rate generator). */
#define PIT_MODE_RATE 0x34
/* Counter latch command for channel 0 (bits 5:4 = 00): the next two reads
 * of PIT_CH0 return the count at this moment, low byte first. */
#define PIT_LATCH_CH0 0x00

static uint32_t divisor; /* channel 0's reload value, 0 before pit_init */

static void pit_irq(struct trap_frame *f)
{
	(void)f;
	clock_tick();
	pic_eoi(IRQ_TIMER);
}

void pit_init(unsigned hz)
{
	if (hz < 19)
		hz = 19; /* the divisor is 16 bits */
	if (hz > 10000)
		hz = 10000;
	clock_set_rate(hz);
	uint32_t div = PIT_FREQ / hz;
	divisor = div;
	outb(PIT_CMD, PIT_MODE_RATE);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, (div >> 8) & 0xff);
	trap_register(PIC_VECTOR_BASE + IRQ_TIMER, pit_irq);
	pic_unmask(IRQ_TIMER);
}

uint64_t pit_poll_clocks(void)
{
	static uint64_t total;
	static uint32_t last;
	if (!divisor)
		return 0;
	outb(PIT_CMD, PIT_LATCH_CH0);
	uint32_t now = inb(PIT_CH0);
	now |= (uint32_t)inb(PIT_CH0) << 8;
	/* mode 2 counts down from divisor to 1, then reloads */
	total += (last >= now ? last - now : last + divisor - now) % divisor;
	last = now;
	return total;
}
