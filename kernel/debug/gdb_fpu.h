/* gdb_fpu.h — GDB's x87 and SSE registers read from and written to an
 * FXSAVE area. */
#ifndef KERNEL_DEBUG_GDB_FPU_H
#define KERNEL_DEBUG_GDB_FPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/gdb_regs.h"

#define GDB_FXSAVE_SIZE 512 /* the FXSAVE64 image (SDM vol. 1, 10.5.1) */

/* Is id one of st0-st7, fctrl..fop, xmm0-xmm15, mxcsr? */
bool gdb_fpu_reg(enum gdb_reg_id id);

/* Register id (gdb_fpu_reg) from the FXSAVE image fx into buf, size bytes
 * as GDB sizes it. ftag is the full 16-bit tag word, made from FXSAVE's
 * abridged one and the registers' contents. Returns 0, or -GDB_EINVAL
 * (wrong size). */
int gdb_fpu_get(const uint8_t *fx, enum gdb_reg_id id, void *buf, size_t size);

/* Store buf into register id of fx. Refuses (-GDB_EINVAL) an MXCSR with
 * bits outside fx's MXCSR_MASK, which FXRSTOR would fault on. */
int gdb_fpu_put(uint8_t *fx, enum gdb_reg_id id, const void *buf, size_t size);

#endif
