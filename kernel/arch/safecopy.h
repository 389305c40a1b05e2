/* safecopy.h — a memory copy that returns instead of faulting
 * (kernel/arch/safecopy.asm). */
#ifndef KERNEL_ARCH_SAFECOPY_H
#define KERNEL_ARCH_SAFECOPY_H

#include <stddef.h>

/* Copy n bytes; a fault on either side ends the copy through the fix-up
 * table. Returns the number of bytes NOT copied (0 = all). */
size_t safe_copy(void *dst, const void *src, size_t n);

#endif
