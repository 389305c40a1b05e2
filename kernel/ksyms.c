/* ksyms.c — address-to-symbol and symbol-to-address lookups in the embedded
 * table. */
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	/* The table's last entry is _kernel_end: nothing lies at or past it. */
	if (ksyms_count < 2 || addr < ksyms_table[0].addr ||
	    addr >= ksyms_table[ksyms_count - 1].addr)
		return 0;
	unsigned long lo = 0, hi = ksyms_count; /* find last addr <= target */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}

bool ksym_find(const char *name, uint64_t *addr)
{
	for (unsigned long i = 0; i < ksyms_count; i++) {
		if (strcmp(ksyms_table[i].name, name) == 0) {
			*addr = ksyms_table[i].addr;
			return true;
		}
	}
	return false;
}
