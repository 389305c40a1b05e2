/* usercopy.c — bounds-checked, fault-safe, SMAP-aware user copies. */
#include "kernel/arch/safecopy.h"
#include "kernel/arch/x86.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/usercopy.h"

#define COPY_CHUNK 4096 /* bytes copied with interrupts held off */

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

/* A page at a time with interrupts off: no interrupt handler ever runs
 * with SMAP's window open (interrupt gates do not clear RFLAGS.AC), and
 * a long copy still lets the timer in between pages. */
static int copy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (len) {
		size_t n = len < COPY_CHUNK ? len : COPY_CHUNK;
		uint64_t flags = irq_save();
		user_access_begin();
		size_t left = safe_copy(d, s, n);
		user_access_end();
		irq_restore(flags);
		if (left)
			return -EFAULT;
		d += n;
		s += n;
		len -= n;
	}
	return 0;
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
