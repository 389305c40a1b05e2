/* crashrec.h — a crash record in RAM that survives a warm reset, reported at
 * the next boot. */
#ifndef KERNEL_DEBUG_CRASHREC_H
#define KERNEL_DEBUG_CRASHREC_H

#include "kernel/arch/trap.h"

/* Save why the kernel stopped (exception or panic) with its frame and the
 * latest exception history; checksummed. */
void crashrec_save(const char *reason, const struct trap_frame *f);
/* At boot: print "previous boot ended with ..." when a valid record is
 * there, then invalidate it. */
void crashrec_report_previous(void);

#endif
