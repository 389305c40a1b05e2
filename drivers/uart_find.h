/* uart_find.h — chooses the console UART from console= or by looking. */
#ifndef DRIVERS_UART_FIND_H
#define DRIVERS_UART_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/serial.h"
#include "kernel/cmdline.h"

/* Set up *u as spec says, probed and programmed. rsdp is the boot
 * loader's RSDP copy (or NULL). Must run while the boot page tables are
 * live (ACPI tables and MMIO are read through their 64 GiB direct map).
 * Returns whether a UART answered; why (size n) says which one and why it
 * was chosen, or what was tried when none answered. */
bool uart_find(const struct uart_spec *spec, const void *rsdp, struct uart *u,
	       char *why, size_t n);

#endif
