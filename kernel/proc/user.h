/* user.h — ring 3 bring-up and starting /init. */
#ifndef KERNEL_PROC_USER_H
#define KERNEL_PROC_USER_H

/* Unless init=none: set up the CPU for user mode, find the initrd and,
 * when it holds the init program (init=PATH, default "init"), run
 * processes until none is left, then return to the caller's idle loop.
 * Called once at the end of kmain. */
void user_start_init(void);

#endif
