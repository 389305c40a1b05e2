/* backtrace.h — the one frame-pointer backtrace: crash diagnosis, panic and the
 * monitor's bt print it. */
#ifndef KERNEL_DEBUG_BACKTRACE_H
#define KERNEL_DEBUG_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/trap.h"
#include "kernel/lib/format.h"

/* How a walk ended. */
enum bt_end {
	BT_DONE,   /* the chain ended (a zero return address or frame) */
	BT_MORE,   /* max frames printed; *next is the frame to go on from */
	BT_BROKEN, /* a frame could not be read: said why on the printer */
};

/* bt -v: each frame line is followed by its instruction, disassembled
 * (#0: the one at RIP; deeper frames: the call the return address comes
 * back from). Off by default; the monitor's bt -v sets it for one walk. */
void bt_set_verbose(bool on);
/* Print "  #n  0x… <symbol+0xoff>" for addr. */
void bt_line(const struct printer *pr, int depth, uint64_t addr);
/* Walk saved-RBP frames ([rbp] = caller's rbp, [rbp+8] = return address)
 * from rbp, numbering them from depth, for at most max frames. Runs of one
 * return address (recursion) fold into one line. A frame returning into
 * an entry stub (trap_return, syscall_return) prints
 * "--- interrupt/exception (vector N) ---", then the interrupted RIP as a
 * frame of its own, and goes on from the trap frame's RBP (it ends there
 * when the trap came from user mode). Every read is fault-safe
 * (debug_read_mem), so a corrupt chain ends the walk with its reason. */
enum bt_end bt_walk(const struct printer *pr, uint64_t rbp, int depth, int max,
		    uint64_t *next);
/* The stopped context's backtrace: #0 is RIP, then the caller of a
 * function stopped before its prologue, at its ret or without a frame
 * (from the stack slot; in user code, at a ret or push rbp), then the
 * chain from RBP. */
enum bt_end bt_from_frame(const struct printer *pr, const struct trap_frame *f,
			  int max, uint64_t *next);
/* The same for a context in the address space at root (a process's CR3
 * without flags; 0 = the current tables): its stack is read there. */
enum bt_end bt_from_frame_in(const struct printer *pr, uint64_t root,
			     const struct trap_frame *f, int max,
			     uint64_t *next);
/* Where the return address of the function the context f is stopped in
 * sits (read in the address space at root, 0 = current): on the stack at
 * RSP before or inside its prologue, at its ret, or in a function without
 * a frame; else at RBP+8. `finish` runs to it. */
uint64_t bt_return_slot(uint64_t root, const struct trap_frame *f);

#endif
