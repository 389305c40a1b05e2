/* breakpoints.h — software (int3) breakpoints and the DR0–DR3 hardware slots.
 */
#ifndef KERNEL_DEBUG_BREAKPOINTS_H
#define KERNEL_DEBUG_BREAKPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/format.h"

#define BP_MAX 32
#define HW_SLOTS 4

/* Error codes (negative) of the set/clear calls. */
#define BP_EFULL (-1)	 /* table or DR slots full */
#define BP_EFAULT (-2)	 /* cannot read/patch the address */
#define BP_EEXIST (-3)	 /* already set there */
#define BP_ENOENT (-4)	 /* nothing set there */
#define BP_EINVAL (-5)	 /* bad length/alignment */
#define BP_ENOEXEC (-6)	 /* int3 outside code: it would corrupt data */
#define BP_EOVERLAP (-7) /* overlaps a data watchpoint already set */
#define BP_EADDR (-8)	 /* address 0 or not canonical */

/* DR7 R/W field encodings (SDM vol. 3B, 17.2.4), and one of ours. */
enum hw_kind {
	HW_EXEC = 0,  /* instruction fetch */
	HW_WRITE = 1, /* data writes */
	HW_RW = 3,    /* data reads or writes */
	/* Reads only (GDB's rwatch). DR7 cannot watch reads alone: the slot
	 * is armed as HW_RW, and a hit that changed the watched value was a
	 * write and does not stop (a write of the same value looks like a
	 * read). */
	HW_READ = 4,
};

struct hw_slot {
	bool used;
	enum hw_kind kind;
	uint64_t addr;
	unsigned len;	/* 1, 2, 4 or 8 */
	uint64_t value; /* data watchpoints (HW_READ too): the value when last
			 * armed or hit */
	bool value_ok;	/* value could be read */
};

const char *bp_strerror(int err);

#define BP_COND_MAX 96 /* longest condition, NUL included */

/* How a software breakpoint behaves when hit (all zero: always stop). */
struct bp_opts {
	char cond[BP_COND_MAX]; /* stop only when this monitor expression is
				   non-zero ("": always) */
	uint32_t ignore;	/* then let this many hits pass */
	int pid;		/* > 0: stop only while process pid runs */
	bool temp;		/* cleared at its first stop (tbp) */
	bool internal;	   /* the debugger's own (n, finish): cleared at the
			      next stop of any kind, not listed */
	const char *label; /* how its stop is announced (NULL: "breakpoint
			      at") */
};

/* One software breakpoint as bp_get shows it. */
struct bp_info {
	uint64_t addr, root;
	struct bp_opts opts;
	uint32_t hits; /* times reached (condition true or not) */
};

/* Software breakpoints: recorded while stopped, patched in on resume.
 * bp_set/bp_clear: in the tables current at each insertion (kernel code);
 * the _in forms: in the address space at root (CR3 without flags), for
 * one process's user code. A process's int3s are dropped when it exits. */
int bp_set(uint64_t addr);
int bp_clear(uint64_t addr);
int bp_set_in(uint64_t root, uint64_t addr);
int bp_clear_in(uint64_t root, uint64_t addr);
/* bp_set_in with options (copied); the condition is not checked here. */
int bp_set_opts(uint64_t root, uint64_t addr, const struct bp_opts *o);
/* Slot i (0 <= i < BP_MAX) into *out, when it holds a breakpoint. */
bool bp_get(unsigned i, struct bp_info *out);
/* The kernel stopped at the breakpoint at addr (RIP rewound, int3s out of
 * memory): count the hit, test pid, condition and ignore count. Returns
 * NULL when the stop is not wanted (resume quietly), else how to announce
 * it; a temporary breakpoint is cleared then. A condition that cannot be
 * evaluated stops, with the reason printed on pr. */
const char *bp_hit(uint64_t addr, const struct printer *pr);
/* Clear the debugger's internal breakpoints (a stop happened). */
void bp_clear_internal(void);
/* Clear the breakpoints at addr in every address space. */
int bp_clear_addr(uint64_t addr);
void bp_clear_all(void);
/* Addresses of the set breakpoints (up to max); returns the count. */
size_t bp_list(uint64_t *out, size_t max);
bool bp_is_set(uint64_t addr);
/* Restore the original bytes (on entry) / write int3s (on resume),
 * skipping skip_addr (the one being stepped over; 0 = none). */
void bp_remove_from_memory(void);
void bp_insert_into_memory(uint64_t skip_addr);
/* The tables at root are being freed (a process exits or execs): forget
 * its breakpoints, so none is written into whatever reuses the frames. */
void bp_forget_space(uint64_t root);
/* True when addr holds an int3 we inserted (before removal) that applies
 * to the current address space. */
bool bp_inserted_at(uint64_t addr);

/* Hardware slots: programmed into DR0–DR3/DR7 on resume. hw_set refuses
 * address 0, non-canonical addresses (BP_EADDR) and a data watchpoint
 * overlapping another one (BP_EOVERLAP). */
int hw_set(enum hw_kind kind, uint64_t addr, unsigned len);
/* The slot holding kind at addr, or -1. */
int hw_find(enum hw_kind kind, uint64_t addr);
int hw_clear(enum hw_kind kind, uint64_t addr, unsigned len);
void hw_clear_all(void);
const struct hw_slot *hw_slot_get(unsigned i);
void hw_arm(void);    /* write DR0–3 and DR7 from the slots, note the
			 watched values */
void hw_disarm(void); /* DR7 = 0 while the debugger runs */
/* From DR6: the slot that fired, or -1 (single-step or spurious). */
int hw_fired(uint64_t dr6);
/* For an HW_READ slot that fired: true when the watched value changed
 * since it was armed (the access was a write); remembers the new value. */
bool hw_read_slot_saw_write(unsigned slot);

#endif
