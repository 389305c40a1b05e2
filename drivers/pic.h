/* pic.h — the 8259A pair: remapped to vectors 32–47, masks, end of interrupt.
 */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

#include <stdint.h>

#define PIC_VECTOR_BASE 32
#define PIC_IRQS 16 /* two cascaded 8259As */
#define IRQ_TIMER 0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE 2

void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
/* Current masks: bit n set = IRQ n masked (master low byte, slave high). */
uint16_t pic_get_mask(void);
void pic_eoi(unsigned irq);

#endif
