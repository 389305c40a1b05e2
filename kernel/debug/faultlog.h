/* faultlog.h — ring buffer of the last exceptions, written first thing on each
 * entry. */
#ifndef KERNEL_DEBUG_FAULTLOG_H
#define KERNEL_DEBUG_FAULTLOG_H

#include <stdint.h>

#include "kernel/arch/trap.h"

#define FAULTLOG_SIZE 64

struct fault_record {
	uint64_t seq; /* 1 for the first exception since boot */
	uint64_t vector, error, rip, rsp, cr2, cr3, tsc;
};

void faultlog_record(const struct trap_frame *f, uint64_t cr2, uint64_t cr3);
/* The k-th most recent record (0 = newest), or NULL when there are fewer. */
const struct fault_record *faultlog_get(unsigned k);
uint64_t faultlog_total(void);

#endif
