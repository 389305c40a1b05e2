/* gdb_kernel.h — the GDB stub's target: the stopped kernel, through the debug core. */
#ifndef KERNEL_DEBUG_GDB_KERNEL_H
#define KERNEL_DEBUG_GDB_KERNEL_H

#include <stdbool.h>

#include "kernel/debug/gdb_rsp.h"

/* Serve GDB for the current stop over io; true when the kernel should
 * resume (continue, step or detach). */
bool gdb_kernel_session(const struct gdb_io *io);

#endif
