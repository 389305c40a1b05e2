/* usercopy.h — checked copies to and from user space (EFAULT). */
#ifndef KERNEL_PROC_USERCOPY_H
#define KERNEL_PROC_USERCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Turn SMAP's user-access window on around copies when the CPU has it. */
void usercopy_set_smap(bool on);
/* Clear RFLAGS.AC (an int 0x80 from ring 3 keeps the user's AC). */
void user_access_reset(void);
/* [addr, addr+len) lies inside user space [USER_BASE, USER_END). */
bool user_range_ok(uint64_t addr, size_t len);
/* 0, or -EFAULT when the range is outside user space or not mapped. */
int copy_from_user(void *dst, uint64_t usrc, size_t len);
int copy_to_user(uint64_t udst, const void *src, size_t len);
/* Copy a NUL-terminated string of at most max-1 characters: its length,
 * -EFAULT, or -ENAMETOOLONG. */
long copy_str_from_user(char *dst, uint64_t usrc, size_t max);

#endif
