/* diag.h — the crash diagnosis: exception, decoded error code, registers,
 * backtrace. */
#ifndef KERNEL_DEBUG_DIAG_H
#define KERNEL_DEBUG_DIAG_H

#include <stdint.h>

#include "kernel/arch/trap.h"

/* Everything about an unhandled exception in f, on every console. */
void diag_exception(const struct trap_frame *f);
/* The headline-free parts, shared with panic and the monitor. */
void diag_registers(const struct trap_frame *f);
void diag_control_registers(void);
void diag_backtrace(uint64_t rip, uint64_t rbp);
/* The last n entries of the exception history, oldest first. */
void diag_fault_history(unsigned n);
/* Print "0x…  <symbol+0xoff>" (symbol part omitted outside the kernel). */
void diag_print_addr(uint64_t addr);
/* Decode a page-fault error code into buf: "not-present write kernel". */
void diag_pf_error(uint64_t err, char *buf, unsigned size);

#endif
