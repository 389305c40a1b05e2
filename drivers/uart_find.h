/* uart_find.h — chooses the console UART from console= or by looking. */
#ifndef DRIVERS_UART_FIND_H
#define DRIVERS_UART_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/serial.h"
#include "kernel/cmdline.h"
#include "kernel/multiboot.h"

/* Set up *u as spec says, probed and programmed. bi gives the boot
 * loader's RSDP copy and memory map (an MMIO address in RAM or in the
 * kernel image is refused before any access). Must run while the boot
 * page tables are live (ACPI tables and MMIO are read through their
 * 64 GiB direct map). Returns whether a UART answered; why (size n) says
 * which one and why it was chosen, or, naming the console= value, why
 * none was. */
bool uart_find(const struct uart_spec *spec, const struct boot_info *bi,
	       struct uart *u, char *why, size_t n);

#endif
