/* crashrec.h — a crash record in RAM that survives a warm reset, reported at
 * the next boot. */
#ifndef KERNEL_DEBUG_CRASHREC_H
#define KERNEL_DEBUG_CRASHREC_H

#include <stdbool.h>

#include "kernel/arch/trap.h"

/* Save why the kernel stopped (exception or panic) with its frame and the
 * latest exception history; checksummed. */
void crashrec_save(const char *reason, const struct trap_frame *f);
/* At boot: print "previous boot ended with ..." when a valid record is
 * there, then invalidate it; without one, say so when the previous boot
 * was still running when the machine reset (a triple fault). Then mark
 * this boot as running. */
void crashrec_report_previous(void);
/* The stop that saved the record was resumed: the crash did not end the
 * boot, forget it. */
void crashrec_discard(void);
/* A deliberate reset (`reboot`): the next boot has nothing to report. */
void crashrec_clean_reboot(void);
/* The boots before this one ended in REBOOT_LOOP_LIMIT or more resets in
 * a row without a record: stop at the end of boot to break the loop. */
bool crashrec_reboot_loop(void);

#endif
