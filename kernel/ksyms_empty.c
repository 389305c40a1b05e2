/* ksyms_empty.c — the empty symbol table of the first link (see the Makefile).
 */
#include "kernel/ksyms.h"

__attribute__((section(".ksyms"))) const struct ksym ksyms_table[1] = {{0, 0}};
__attribute__((section(".ksyms"))) const unsigned long ksyms_count = 0;
