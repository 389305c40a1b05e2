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
/* The boot marker sits in the same page, after the record (SeaBIOS and
 * GRUB write from 0x67f0 up on a warm reset). */
#define BOOTMARK_OFFSET 0x400
#define BOOTMARK_MAGIC 0x544f4f42u /* "BOOT" */
#define BOOTMARK_RUNNING 1u	   /* this boot has not ended cleanly yet */
#define BOOTMARK_CLEAN 2u	   /* it ended by `reboot` */
#define REBOOT_LOOP_LIMIT 3	   /* unrecorded resets in a row: a loop */

struct crash_record {
	uint32_t magic;
	uint32_t checksum; /* over everything after this field */
	char reason[96];
	uint64_t vector, error, rip, rsp, cr2, cr3, tsc;
	uint32_t nhistory;
	struct fault_record history[CRASHREC_HISTORY];
};

/* Says whether the boot before this one ended cleanly: a reset with the
 * marker still RUNNING and no crash record is a triple fault (or a reset
 * from outside), which nothing could record. */
struct boot_marker {
	uint32_t magic;
	uint32_t state;
	uint32_t resets; /* unrecorded resets in a row before this boot */
	uint32_t check;	 /* ~(magic ^ state ^ resets) */
};
_Static_assert(sizeof(struct crash_record) <= BOOTMARK_OFFSET,
	       "the crash record overlaps the boot marker");

static uint32_t unrecorded_resets;

static struct crash_record *record(void)
{
	return phys_to_virt(CRASHREC_PHYS);
}

static struct boot_marker *marker(void)
{
	return phys_to_virt(CRASHREC_PHYS + BOOTMARK_OFFSET);
}

static void marker_set(uint32_t state, uint32_t resets)
{
	struct boot_marker *m = marker();
	*m = (struct boot_marker){BOOTMARK_MAGIC, state, resets,
				  ~(BOOTMARK_MAGIC ^ state ^ resets)};
}

static bool marker_valid(const struct boot_marker *m)
{
	return m->magic == BOOTMARK_MAGIC &&
	       m->check == ~(m->magic ^ m->state ^ m->resets);
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
		const struct fault_record *fr = faultlog_get_real(k);
		if (!fr)
			break;
		r->history[r->nhistory++] = *fr;
	}
	r->checksum = checksum(r);
	r->magic = CRASHREC_MAGIC;
}

void crashrec_discard(void)
{
	record()->magic = 0;
}

void crashrec_clean_reboot(void)
{
	marker_set(BOOTMARK_CLEAN, 0);
}

bool crashrec_reboot_loop(void)
{
	return unrecorded_resets >= REBOOT_LOOP_LIMIT;
}

/* The previous boot reset while running and left no record. */
static void report_unrecorded_reset(const struct boot_marker *m)
{
	unrecorded_resets = m->resets + 1;
	printk("previous boot ended in a reset without a crash record (a "
	       "triple fault, or a reset from outside); 'make debug-tf' "
	       "shows a triple fault's chain\n");
	if (unrecorded_resets >= REBOOT_LOOP_LIMIT)
		printk("reboot loop: %u resets in a row without a record\n",
		       unrecorded_resets);
}

static bool report_record(void)
{
	struct crash_record *r = record();
	if (r->magic != CRASHREC_MAGIC || r->checksum != checksum(r) ||
	    r->nhistory > CRASHREC_HISTORY)
		return false;
	printk("previous boot ended with: %s at ", r->reason);
	diag_print_addr(&printk_out, r->rip);
	printk("\n  error 0x%lx CR2 0x%lx CR3 0x%lx RSP 0x%lx; last exceptions "
	       "(debugger events and fix-ups left out):\n",
	       r->error, r->cr2, r->cr3, r->rsp);
	for (uint32_t i = 0; i < r->nhistory; i++) {
		printk("    %s at ",
		       trap_mnemonic((unsigned)r->history[i].vector));
		diag_print_addr(&printk_out, r->history[i].rip);
		printk(" (CR2 0x%lx)\n", r->history[i].cr2);
	}
	r->magic = 0; /* reported once */
	return true;
}

void crashrec_report_previous(void)
{
	const struct boot_marker *m = marker();
	bool running = marker_valid(m) && m->state == BOOTMARK_RUNNING;
	if (!report_record() && running)
		report_unrecorded_reset(m);
	marker_set(BOOTMARK_RUNNING, unrecorded_resets);
}
