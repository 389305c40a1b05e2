/* faultlog.h — ring buffer of the last exceptions, written first thing on each
 * entry. */
#ifndef KERNEL_DEBUG_FAULTLOG_H
#define KERNEL_DEBUG_FAULTLOG_H

#include <stdint.h>

#include "kernel/arch/trap.h"

#define FAULTLOG_SIZE 64

/* What an exception was, when it was not a fault of the code itself: the
 * tagged ones are listed by `faults` but left out of the chain a crash
 * diagnosis and the crash record show. */
enum fault_tag {
	FAULT_REAL = 0,	  /* a fault of the code that ran */
	FAULT_FIXUP,	  /* resumed by the fix-up table (a probe, EFAULT) */
	FAULT_STEP,	  /* the debugger's own single-step */
	FAULT_BREAKPOINT, /* an int3 the debugger planted */
	FAULT_HW_DEBUG,	  /* a DR0-DR3 breakpoint or watchpoint */
	FAULT_TAGS,
};

struct fault_record {
	uint64_t seq; /* 1 for the first exception since boot */
	uint64_t vector, error, rip, rsp, cr2, cr3, tsc;
	uint64_t tag; /* enum fault_tag */
};

void faultlog_record(const struct trap_frame *f, uint64_t cr2, uint64_t cr3,
		     enum fault_tag tag);
/* The k-th most recent record (0 = newest), or NULL when there are fewer. */
const struct fault_record *faultlog_get(unsigned k);
/* The k-th most recent untagged record (FAULT_REAL), or NULL. */
const struct fault_record *faultlog_get_real(unsigned k);
uint64_t faultlog_total(void);
/* Exceptions of vector v (< 32) recorded since boot: trap_count(v) minus
 * this is what the chain handled before the log (copy-on-write breaks). */
uint64_t faultlog_vector_total(unsigned v);
/* "fix-up", "step", … ("" for FAULT_REAL). */
const char *faultlog_tag_name(uint64_t tag);

#endif
