/* trap.c — the one C entry for every interrupt and exception: fix-ups, handlers, diagnosis. */
#include "kernel/debug/debug.h"
#include "kernel/debug/faultlog.h"
#include "kernel/debug/diag.h"
#include "kernel/arch/extable.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/ufault.h"
#include "kernel/proc/usercopy.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"

static trap_handler_fn handlers[NUM_VECTORS];
static uint64_t counts[NUM_VECTORS];

static const char *const mnemonics[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};
static const char *const names[32] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint",
	"overflow", "bound range exceeded", "invalid opcode",
	"device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault",
	"general protection", "page fault", "reserved",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point exception", "virtualization exception",
	"control protection", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "hypervisor injection",
	"VMM communication", "security exception", "reserved",
};

const char *trap_mnemonic(unsigned v)
{
	if (v < 32)
		return mnemonics[v];
	if (v == VEC_PANIC)
		return "PANIC";
	return v == VEC_DEBUG_ENTER ? "DEBUG" : "IRQ";
}

const char *trap_name(unsigned v)
{
	if (v < 32)
		return names[v];
	if (v == VEC_PANIC)
		return "kernel panic";
	if (v == VEC_DEBUG_ENTER)
		return "debugger entry";
	return v < 48 ? "hardware interrupt" : "interrupt";
}

bool trap_has_error_code(unsigned v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
	       v == 29 || v == 30;
}

void trap_register(unsigned vector, trap_handler_fn handler)
{
	if (vector < NUM_VECTORS)
		handlers[vector] = handler;
}

uint64_t trap_count(unsigned vector)
{
	return vector < NUM_VECTORS ? counts[vector] : 0;
}

/* A fault on an instruction listed in the fix-up table (safe_copy, the
 * monitor's rdmsr/wrmsr) resumes at its fix-up. */
static bool try_fixup(struct trap_frame *f)
{
	if (f->vector != VEC_PF && f->vector != VEC_GP && f->vector != VEC_SS)
		return false;
	return extable_fixup(f);
}

static void dispatch(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	counts[v & 0xff]++;
	/* A write to a copy-on-write user page is not a fault to report. */
	if (v == VEC_PF && user_cow_fault(f))
		return;
	if (v < 32)
		faultlog_record(f, read_cr2(), read_cr3());
	if (v < 32 && try_fixup(f))
		return;
	/* Ring 3 faults end the process (the debugger keeps #DB/#BP/NMI). */
	if (v < 32 && (f->cs & 3) == 3 && user_fault(f))
		return;
	if (handlers[v & 0xff]) {
		handlers[v & 0xff](f);
		return;
	}
	if (v < 32) {
		diag_exception(f);
		debug_stop(f, DEBUG_EXCEPTION);
		return;
	}
	/* An unexpected interrupt: count it and carry on. */
}

/* #DF, NMI and #MC run on their own IST stacks (kernel/arch/idt.c): never
 * switch processes there, or the next one would overwrite the frame. */
static bool on_ist(unsigned v)
{
	return v == VEC_DF || v == VEC_NMI || v == VEC_MC;
}

void trap_dispatch(struct trap_frame *f)
{
	bool from_user = (f->cs & 3) == 3;
	/* RFLAGS.AC is the user's on entry from ring 3: with SMAP on, clear
	 * it so the kernel never runs with user access open. */
	if (from_user)
		user_access_reset();
	if (from_user && !on_ist((unsigned)f->vector))
		proc_user_entry(f);
	dispatch(f);
	if (from_user && !on_ist((unsigned)f->vector))
		proc_trap_return(); /* preemption, kill */
}
