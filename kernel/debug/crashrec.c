/* crashrec.c — keeps the last crash in a low-memory page that firmware and GRUB
 * leave alone. */
#include <stdint.h>

#include "kernel/arch/layout.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/crashrec.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/faultlog.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

/* Physical page 0x6000: below the boot sector (0x7c00), above the BIOS
 * data area; SeaBIOS and GRUB do not write it on a warm reset, and pmm
 * never hands out the first MiB. The checksum guards the rest. */
#define CRASHREC_PHYS 0x6000
#define CRASHREC_MAGIC 0x54524941u /* "TRIA" */
#define CRASHREC_HISTORY 8

struct crash_record {
	uint32_t magic;
	uint32_t checksum; /* over everything after this field */
	char reason[96];
	uint64_t vector, error, rip, rsp, cr2, cr3, tsc;
	uint32_t nhistory;
	struct fault_record history[CRASHREC_HISTORY];
};

static struct crash_record *record(void)
{
	return phys_to_virt(CRASHREC_PHYS);
}

static uint32_t checksum(const struct crash_record *r)
{
	const uint8_t *p = (const uint8_t *)&r->reason;
	const uint8_t *end = (const uint8_t *)(r + 1);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; p < end; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

void crashrec_save(const char *reason, const struct trap_frame *f)
{
	struct crash_record *r = record();
	*r = (struct crash_record){
	    .vector = f->vector,
	    .error = f->error,
	    .rip = f->rip,
	    .rsp = f->rsp,
	    .cr2 = read_cr2(),
	    .cr3 = read_cr3(),
	    .tsc = rdtsc(),
	};
	strlcpy(r->reason, reason, sizeof r->reason);
	for (unsigned k = 0; k < CRASHREC_HISTORY; k++) {
		const struct fault_record *fr = faultlog_get(k);
		if (!fr)
			break;
		r->history[r->nhistory++] = *fr;
	}
	r->checksum = checksum(r);
	r->magic = CRASHREC_MAGIC;
}

void crashrec_report_previous(void)
{
	struct crash_record *r = record();
	if (r->magic != CRASHREC_MAGIC || r->checksum != checksum(r) ||
	    r->nhistory > CRASHREC_HISTORY)
		return;
	printk("previous boot ended with: %s at ", r->reason);
	diag_print_addr(&printk_out, r->rip);
	printk(
	    "\n  error 0x%lx CR2 0x%lx CR3 0x%lx RSP 0x%lx; last exceptions:\n",
	    r->error, r->cr2, r->cr3, r->rsp);
	for (uint32_t i = 0; i < r->nhistory; i++) {
		printk("    %s at ",
		       trap_mnemonic((unsigned)r->history[i].vector));
		diag_print_addr(&printk_out, r->history[i].rip);
		printk(" (CR2 0x%lx)\n", r->history[i].cr2);
	}
	r->magic = 0; /* reported once */
}
