/* gdb_fake_target.h — fake debug target for GDB stub tests. */
#ifndef TESTS_UNIT_GDB_FAKE_TARGET_H
#define TESTS_UNIT_GDB_FAKE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/gdb_fpu.h"
#include "kernel/debug/gdbstub.h"

#define FAKE_MEM_BASE 0xffffffff80100000ull
#define FAKE_MEM_SIZE 0x4000ull
#define FAKE_PAGE 0x1000ull
#define FAKE_HOLE (FAKE_MEM_BASE + 0x2000) /* this page is unmapped */
#define FAKE_LOAD 0x100000ull /* load address (LMA) of FAKE_MEM_BASE */
#define FAKE_SW_SLOTS 16
#define FAKE_HW_SLOTS 4 /* DR0-DR3 */

struct fake_bp {
	bool used;
	enum gdb_bp_type type;
	uint64_t addr;
	unsigned len;
};

struct fake_target {
	uint64_t regs[GDB_REG_ID_COUNT]; /* all but the x87/SSE ones */
	uint8_t fx[GDB_FXSAVE_SIZE];	 /* x87/SSE: an FXSAVE image */
	uint8_t mem[FAKE_MEM_SIZE];
	struct fake_bp sw[FAKE_SW_SLOTS];
	struct fake_bp hw[FAKE_HW_SLOTS];
	struct gdb_stop stop;
	uint64_t threads[4];
	size_t nthreads;   /* 0: use the stub's default */
	uint64_t selected; /* last select_thread */
	bool alias3;	   /* threads 1 and 3 are one context */
	bool new_frame;	   /* new_frame's answer */
	const char *why;   /* error_text's answer ("" or NULL: none) */
	int remove_all_calls;
	char last_cmd[256];
	struct gdb_target ops; /* bound to this fake */
};

/* Fill registers and memory with known patterns; stop = SIGTRAP. The
 * x87 stack holds, after fninit, fld1, fldpi, fldz: ST0 = 0, ST1 = pi,
 * ST2 = 1 (TOP 5); xmm(i) byte k is 16 i + k; MXCSR 0x1f80. */
void fake_target_init(struct fake_target *f);

/* Is addr inside mapped fake memory? */
bool fake_mapped(uint64_t addr);

/* Resume the fake CPU: a straight line of 1-byte instructions. A step
 * advances RIP by one; continue runs to the next breakpoint above RIP, or
 * performs a write to the lowest write/access watchpoint, or else stops
 * with SIGINT 16 bytes further. Sets f->stop accordingly. */
void fake_target_run(struct fake_target *f, bool step);

#endif
