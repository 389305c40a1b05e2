/* debug_pt.h — page tables as the debugger reads them: a table outside RAM
 * reads as empty, never faults. */
#ifndef KERNEL_DEBUG_DEBUG_PT_H
#define KERNEL_DEBUG_DEBUG_PT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/lib/format.h"
#include "mm/pagetable.h"

/* pt_* hooks for every walk on a fault or debugger path: a table address
 * (from CR3 or an entry) outside the RAM the direct map covers reads as an
 * empty table, and the first one is noted (debug_pt_bad_table). Nothing
 * is allocated, so walks work after a double fault. */
extern const struct pt_ops debug_pt_ops;

/* Forget the noted bad table address (before a walk). */
void debug_pt_reset(void);
/* The first table address outside RAM met since the reset, if any. */
bool debug_pt_bad_table(uint64_t *phys);

/* Can a breakpoint's int3 at va run as code, in the tables at root (a CR3
 * without flags; 0 = the current ones)? True for the kernel's text and
 * for a user page mapped user-accessible without NX; data, the direct
 * map and unmapped addresses are not code. */
bool debug_pt_executable(uint64_t root, uint64_t va);

/* Walk va from root and print each level: "  PML4[384] = 0x…  P RW …  ->
 * PDPT at 0x…", the last one with why the walk stopped there, and a note
 * when an entry points outside RAM. The walk is left in *w. */
void debug_pt_print_walk(const struct printer *pr, uint64_t root, uint64_t va,
			 struct pt_walk *w);

#endif
