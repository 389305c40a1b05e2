/* debug_io.h — the debugger's line: polled I/O for the front ends, break-in
 * from the serial IRQ. */
#ifndef KERNEL_DEBUG_DEBUG_IO_H
#define KERNEL_DEBUG_DEBUG_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/serial.h"
#include "kernel/arch/trap.h"

/* Ctrl-\ (FS, 0x1c): passes through QEMU's mon:stdio, picocom and screen
 * unchanged, and is rarely typed by accident. */
#define DEBUG_BREAK_KEY 0x1c
#define GDB_INTERRUPT 0x03 /* what GDB sends for Ctrl-C */

/* Run the monitor on the console until the user resumes (true). */
bool debug_monitor_front_end(void);
/* Run the GDB stub until GDB resumes, steps or detaches (true). */
bool debug_gdb_front_end(void);
bool debug_gdb_attached(void);
/* GDB sent something while the kernel steps (a range step polls this):
 * a Ctrl-C is taken off the line (*is_break set), any other byte stays for
 * the stub. */
bool debug_gdb_input_waiting(bool *is_break);
/* True while GDB is attached on the console's own UART: console output
 * must not go to that line. */
bool debug_gdb_owns_console(void);
void debug_gdb_detached(void);

/* Feed one byte received on uart (from its IRQ, frame f = the interrupted
 * context): the break key, a GDB packet (checked, then replayed to the
 * stub) or Ctrl-C from GDB stop the kernel; anything else is console input
 * (console UART) or dropped. */
void debug_serial_byte(struct uart *u, struct trap_frame *f, uint8_t c);
/* The UART the GDB stub talks on (the console's unless gdb=ttySn). */
struct uart *debug_gdb_uart(void);
void debug_io_init(void);
/* Turn on the receive interrupts of the console's UART and the GDB UART;
 * every byte then goes through debug_serial_byte(). */
void debug_io_enable_irqs(void);

#endif
