/* page.h — the x86-64 base page size (4 KiB), for the kernel and the
 * host-tested allocators. */
#ifndef KERNEL_ARCH_PAGE_H
#define KERNEL_ARCH_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)

#endif
