/* usercopy.c — bounds-checked, fault-safe, SMAP-aware user copies. */
#include "kernel/arch/safecopy.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/usercopy.h"

static bool smap;

void usercopy_set_smap(bool on)
{
	smap = on;
}

/* stac/clac: set/clear RFLAGS.AC, allowing supervisor access to user pages
 * while SMAP is on (SDM vol. 3A, 4.6.1). They #UD without SMAP. */
static void user_access_begin(void)
{
	if (smap)
		__asm__ volatile("stac" ::: "memory");
}

static void user_access_end(void)
{
	if (smap)
		__asm__ volatile("clac" ::: "memory");
}

void user_access_reset(void)
{
	user_access_end();
}

bool user_range_ok(uint64_t addr, size_t len)
{
	return addr >= USER_BASE && addr <= USER_END && len <= USER_END - addr;
}

static int copy(void *dst, const void *src, size_t len)
{
	user_access_begin();
	size_t left = safe_copy(dst, src, len);
	user_access_end();
	return left ? -EFAULT : 0;
}

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	if (!user_range_ok(usrc, len))
		return -EFAULT;
	return copy(dst, (const void *)usrc, len);
}

int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	if (!user_range_ok(udst, len))
		return -EFAULT;
	return copy((void *)udst, src, len);
}

long copy_str_from_user(char *dst, uint64_t usrc, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (copy_from_user(dst + i, usrc + i, 1))
			return -EFAULT;
		if (!dst[i])
			return (long)i;
	}
	return -ENAMETOOLONG;
}
