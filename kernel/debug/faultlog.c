/* faultlog.c — the exception history ring, so the chain behind a double fault
 * is visible. */
#include "kernel/arch/x86.h"
#include "kernel/debug/faultlog.h"

#define FAULT_VECTORS 32 /* the exception chain sees vectors 0-31 */

static struct fault_record ring[FAULTLOG_SIZE];
static uint64_t total;
static uint64_t per_vector[FAULT_VECTORS];

void faultlog_record(const struct trap_frame *f, uint64_t cr2, uint64_t cr3,
		     enum fault_tag tag)
{
	struct fault_record *r = &ring[total % FAULTLOG_SIZE];
	total++;
	if (f->vector < FAULT_VECTORS)
		per_vector[f->vector]++;
	*r = (struct fault_record){total,  f->vector, f->error,
				   f->rip, f->rsp,    cr2,
				   cr3,	   rdtsc(),   (uint64_t)tag};
}

const struct fault_record *faultlog_get(unsigned k)
{
	if (k >= total || k >= FAULTLOG_SIZE)
		return 0;
	return &ring[(total - 1 - k) % FAULTLOG_SIZE];
}

const struct fault_record *faultlog_get_real(unsigned k)
{
	const struct fault_record *r;
	for (unsigned i = 0; (r = faultlog_get(i)); i++)
		if (r->tag == FAULT_REAL && k-- == 0)
			return r;
	return 0;
}

uint64_t faultlog_total(void)
{
	return total;
}

uint64_t faultlog_vector_total(unsigned v)
{
	return v < FAULT_VECTORS ? per_vector[v] : 0;
}

const char *faultlog_tag_name(uint64_t tag)
{
	static const char *const names[FAULT_TAGS] = {
	    [FAULT_REAL] = "",
	    [FAULT_FIXUP] = "fix-up",
	    [FAULT_STEP] = "debugger step",
	    [FAULT_BREAKPOINT] = "debugger breakpoint",
	    [FAULT_HW_DEBUG] = "debug register",
	};
	return tag < FAULT_TAGS ? names[tag] : "?";
}
