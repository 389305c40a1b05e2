/* cmd_disasm.h — disassembly in the running kernel: live memory read
 * fault-safely and decoded by disasm.c, for the monitor's x/i and dis and for
 * other debugger code (single-step, crash diagnosis, bt -v). */
#ifndef KERNEL_DEBUG_CMD_DISASM_H
#define KERNEL_DEBUG_CMD_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/disasm.h"
#include "kernel/debug/monitor.h"

/* disasm_sym_fn over the kernel's symbol table: "name" at a symbol's start,
 * "name+0xoff" inside it; false outside the kernel image. */
bool disasm_ksym(uint64_t addr, char *buf, size_t n);

/* Decode the instruction at addr in the current address space: reads up to
 * DISASM_MAX_LEN bytes with debug_read_mem (never faults), writes its AT&T
 * text into out (targets symbolised with disasm_ksym) and, if info is not
 * NULL, the details (info->flags has DISASM_TRUNCATED when the instruction
 * runs into unreadable memory). Returns the length, or 0 when not even
 * addr's first byte can be read (out then says why, as
 * debug_explain_addr does). */
size_t disasm_at(uint64_t addr, char *out, size_t outsz,
		 struct disasm_info *info);

/* For cmd_memory.c: true when x's arguments ask for instructions (x/i,
 * x /i, x i); mon_disasm_cmd then lists them. */
bool mon_disasm_wanted(int argc, char **argv);
int mon_disasm_cmd(struct mon_ctx *ctx, int argc, char **argv);

#endif
