/* trap.c — the one C entry for every interrupt and exception: the exception
 * chain, then per-vector handlers. */
#include "kernel/arch/extable.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"

static trap_handler_fn handlers[NUM_VECTORS];
static uint64_t counts[NUM_VECTORS];

static const char *const mnemonics[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
    "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};
static const char *const names[32] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point exception",
    "virtualization exception",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved",
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
	return extable_fixup(f);
}

/* The exception chain: hooks sorted by stage, asked in turn until one
 * handles the exception. The fix-up table is arch's own stage; the
 * others are registered at boot by the layers above. */
#define MAX_TRAP_HOOKS 8
static struct {
	enum trap_stage stage;
	trap_hook_fn fn;
} hooks[MAX_TRAP_HOOKS] = {{TRAP_STAGE_FIXUP, try_fixup}};
static unsigned nhooks = 1;
static trap_handler_fn unhandled;
static trap_handler_fn user_enter;
static void (*user_leave)(void);

void trap_add_hook(enum trap_stage stage, trap_hook_fn fn)
{
	if (nhooks == MAX_TRAP_HOOKS)
		return;
	unsigned i = nhooks++;
	for (; i > 0 && hooks[i - 1].stage > stage; i--)
		hooks[i] = hooks[i - 1];
	hooks[i].stage = stage;
	hooks[i].fn = fn;
}

void trap_set_unhandled(trap_handler_fn fn)
{
	unhandled = fn;
}

void trap_set_user_hooks(trap_handler_fn enter, void (*leave)(void))
{
	user_enter = enter;
	user_leave = leave;
}

static bool run_chain(struct trap_frame *f)
{
	for (unsigned i = 0; i < nhooks; i++)
		if (hooks[i].fn(f))
			return true;
	return false;
}

static void dispatch(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	counts[v & 0xff]++;
	if (v < 32 && run_chain(f))
		return;
	if (handlers[v & 0xff]) {
		handlers[v & 0xff](f);
		return;
	}
	if (v < 32 && unhandled) {
		unhandled(f);
		return;
	}
	/* An unexpected interrupt: count it and carry on. */
}

bool trap_on_ist(unsigned v)
{
	return v == VEC_DF || v == VEC_NMI || v == VEC_MC;
}

void trap_dispatch(struct trap_frame *f)
{
	bool from_user = (f->cs & 3) == 3;
	bool switchable = from_user && !trap_on_ist((unsigned)f->vector);
	if (from_user && user_enter)
		user_enter(f); /* before anything else: SMAP's AC, the frame */
	dispatch(f);
	if (switchable && user_leave)
		user_leave(); /* preemption, kill */
}
