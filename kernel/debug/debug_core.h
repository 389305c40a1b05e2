/* debug_core.h — the debug core's API for its front ends (monitor, GDB stub)
 * and commands. */
#ifndef KERNEL_DEBUG_DEBUG_CORE_H
#define KERNEL_DEBUG_DEBUG_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/trap.h"
#include "kernel/debug/debug.h"

#define DEBUG_CODE_SNAPSHOT 16 /* longest x86 instruction: 15 bytes */

/* Why the kernel is stopped right now. */
enum debug_stop_kind {
	STOP_EXCEPTION, /* an unhandled exception */
	STOP_PANIC,
	STOP_BREAK_KEY,	 /* break key / request at boot */
	STOP_BREAKPOINT, /* one of our int3 breakpoints (RIP rewound) */
	STOP_INT3,	 /* an int3 compiled into the code */
	STOP_STEP,	 /* single-step finished */
	STOP_WATCH,	 /* a DR0-DR3 data breakpoint fired */
	STOP_HWBREAK,	 /* a DR0-DR3 execute breakpoint fired */
	STOP_NMI,
	STOP_DOUBLE_FAULT,
};

struct debug_stop_info {
	struct trap_frame *frame; /* the stopped context; commands may edit */
	enum debug_stop_kind kind;
	unsigned vector;
	uint64_t cr2, cr3;
	uint64_t watch_addr; /* STOP_WATCH: the watched address */
	char watch_type;     /* STOP_WATCH: 'w'rite, 'r'ead or 'a'ccess */
	bool resumable;	     /* `c` may continue from here */
	const char *why_not; /* when not resumable: the reason */
	/* The state as it stopped: a fault's stop becomes resumable once
	 * a register, RIP or the code at RIP differs from it. */
	struct trap_frame entry_frame;
	uint8_t entry_code[DEBUG_CODE_SNAPSHOT];
	size_t entry_code_len;
};

/* The current stop, or NULL when the kernel is running. A fault's stop
 * reads as resumable once its state was changed (see entry_frame). */
const struct debug_stop_info *debug_current(void);
/* Mutable access for commands that change registers. */
struct trap_frame *debug_frame(void);
/* True inside a double fault: only MON_SAFE_AFTER_DF commands run. */
bool debug_in_double_fault(void);

/* Fault-safe memory access through the current page tables: copies up to
 * len bytes and returns how many were copied (stops at the first byte that
 * is unmapped or non-canonical). Writes go through the direct map, so
 * read-only kernel text can be patched (breakpoints). Never faults. */
size_t debug_read_mem(uint64_t addr, void *buf, size_t len);
size_t debug_write_mem(uint64_t addr, const void *buf, size_t len);
/* The same through the page tables at root (a CR3 value without flags;
 * 0 = the current tables): another process's address space is read and
 * patched through the direct map, without switching CR3. */
size_t debug_read_mem_in(uint64_t root, uint64_t addr, void *buf, size_t len);
size_t debug_write_mem_in(uint64_t root, uint64_t addr, const void *buf,
			  size_t len);
/* Fault-safe read of RAM by physical address, through the direct map:
 * stops at the first byte outside RAM (MMIO and holes are never read). */
size_t debug_read_phys(uint64_t pa, void *buf, size_t len);
/* The monitor's memory hook (mon_read_fn) over debug_read_mem: true when
 * all len bytes were read. */
bool debug_mon_read(void *ctx, uint64_t addr, void *buf, size_t len);
/* Say why addr cannot be accessed, e.g. "address 0xffff8000dead0000 not
 * mapped at PDPT level (entry 0x0)" or "... is not canonical". */
void debug_explain_addr(uint64_t addr, char *buf, size_t n);
/* The same in the address space at root (0 = the current tables). */
void debug_explain_addr_in(uint64_t root, uint64_t addr, char *buf, size_t n);

/* Value of register name ("rax", "rip", "cr3", ...) of the stopped frame. */
bool debug_reg_value(const char *name, uint64_t *val);
/* Set a general register or rip/rflags in the stopped frame. */
bool debug_reg_set(const char *name, uint64_t val);
/* The monitor's $reg hook (mon_lookup_fn) over debug_reg_value. */
bool debug_mon_reg_lookup(void *ctx, const char *name, uint64_t *val);

/* Ask the core to single-step when the front end resumes. */
void debug_request_step(void);
/* Step n instructions, each reported ("step: now at"), before the front
 * end runs again; any other stop ends the run early. */
void debug_request_steps(uint64_t n);
/* Step on, quietly, while the stop is in the same thread at a pc in
 * [lo, hi) (GDB's vCont;r): the first step that lands outside, on a
 * breakpoint, before a kernel hlt, or while the debugger's line has input,
 * and any other stop (fault, watchpoint), goes to the front end. */
void debug_request_range_step(uint64_t lo, uint64_t hi);
/* The stop is in GDB's hands from now on (the monitor's `gdb` command). */
void debug_switch_to_gdb(void);
/* Call fn once the front end resumes, after the debugger has let go (on
 * the interrupted context's stack): how `crash` faults "in the kernel". */
void debug_run_after_resume(void (*fn)(void));
/* A GDB packet arrived: the next stop (made by the caller) goes to GDB. */
void debug_attach_gdb(void);

#endif
