/* diag.h — the crash diagnosis: exception, decoded error code, registers,
 * backtrace; printed on any struct printer (printk_out, the monitor). */
#ifndef KERNEL_DEBUG_DIAG_H
#define KERNEL_DEBUG_DIAG_H

#include <stdint.h>

#include "kernel/arch/regs.h"
#include "kernel/arch/trap.h"
#include "kernel/debug/faultlog.h"
#include "kernel/lib/format.h"

/* Everything about an unhandled exception in f. */
void diag_exception(const struct printer *pr, const struct trap_frame *f);
/* The parts, shared with panic and the monitor's regs, cr, bt, faults. */
void diag_registers(const struct printer *pr, const struct trap_frame *f);
void diag_control_registers(const struct printer *pr);
void diag_backtrace(const struct printer *pr, const struct trap_frame *f);
/* The last n entries of the exception history, oldest first. */
void diag_fault_history(const struct printer *pr, unsigned n);
/* One history record on two lines: vector, error, RIP with its symbol;
 * RSP, CR2, CR3 and dtsc, the TSC cycles since the record before (0:
 * not shown). */
void diag_fault_record(const struct printer *pr, const struct fault_record *r,
		       uint64_t dtsc);
/* "0x… <symbol+0xoff>: mov %rax,(%rdx)": the instruction at addr,
 * decoded (AT&T, as objdump -d), or why its bytes cannot be read. */
void diag_print_insn(const struct printer *pr, uint64_t addr);
/* Print "0x…  <symbol+0xoff>" (symbol part omitted outside the kernel). */
void diag_print_addr(const struct printer *pr, uint64_t addr);
/* " [ NAME NAME ]": the bits of v that t names. */
void diag_print_bits(const struct printer *pr, const struct reg_bits *t,
		     uint64_t v);
/* Decode a page-fault error code into buf: "not-present write kernel". */
void diag_pf_error(uint64_t err, char *buf, unsigned size);

#endif
