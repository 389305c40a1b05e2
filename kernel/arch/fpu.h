/* fpu.h — x87/SSE state for ring 3: enabled at boot, saved and restored per
 * process with FXSAVE. The kernel never uses floating point itself (it is
 * built with -mgeneral-regs-only), so only user state ever lives there. */
#ifndef KERNEL_ARCH_FPU_H
#define KERNEL_ARCH_FPU_H

#include <stdbool.h>
#include <stdint.h>

#define FPU_STATE_SIZE 512 /* the FXSAVE area (SDM vol. 1, 10.5.1) */

/* x87 control/status, MXCSR and the x87/XMM registers, as FXSAVE64 lays
 * them out; FXSAVE needs 16-byte alignment. */
struct fpu_state {
	uint8_t fxsave[FPU_STATE_SIZE];
} __attribute__((aligned(16)));

/* CR0/CR4 bits for x87 and SSE (native #MF, FXSAVE, #XM instead of #UD)
 * and the state a new program starts with. False, changing nothing,
 * when the CPU lacks FXSAVE or SSE. */
bool fpu_init(void);
/* The state a program starts with: x87 after FNINIT, MXCSR 0x1f80. */
void fpu_state_reset(struct fpu_state *s);

static inline void fpu_save(struct fpu_state *s)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*s));
}

static inline void fpu_restore(const struct fpu_state *s)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*s));
}

#endif
