/* faultlog.c — the exception history ring, so the chain behind a double fault
 * is visible. */
#include "kernel/arch/x86.h"
#include "kernel/debug/faultlog.h"

static struct fault_record ring[FAULTLOG_SIZE];
static uint64_t total;

void faultlog_record(const struct trap_frame *f, uint64_t cr2, uint64_t cr3)
{
	struct fault_record *r = &ring[total % FAULTLOG_SIZE];
	total++;
	*r = (struct fault_record){total,  f->vector, f->error, f->rip,
				   f->rsp, cr2,	      cr3,	rdtsc()};
}

const struct fault_record *faultlog_get(unsigned k)
{
	if (k >= total || k >= FAULTLOG_SIZE)
		return 0;
	return &ring[(total - 1 - k) % FAULTLOG_SIZE];
}

uint64_t faultlog_total(void)
{
	return total;
}
