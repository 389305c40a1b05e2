/* gdb_kernel.h — the GDB stub's target: the stopped kernel, through the debug
 * core. */
#ifndef KERNEL_DEBUG_GDB_KERNEL_H
#define KERNEL_DEBUG_GDB_KERNEL_H

#include <stdbool.h>

#include "kernel/debug/gdb_rsp.h"

/* Serve GDB for the current stop over io; true when the kernel should
 * resume (continue, step or detach). */
bool gdb_kernel_session(const struct char_io *io);

/* A new GDB is connecting (its first packet, qSupported, arrived while the
 * kernel ran): forget the previous session's state (no-ack mode, a stop
 * reply owed to a GDB that is gone). */
void gdb_kernel_new_connection(void);

#endif
