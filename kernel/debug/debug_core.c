/* debug_core.c — the one place every debug event stops: state, front end,
 * resume. */
#include "drivers/pic.h"
#include "drivers/qemu_exit.h"
#include "kernel/arch/extable.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/breakpoints.h"
#include "kernel/debug/crashrec.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/debug_io.h"
#include "kernel/debug/debug_proc.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/faultlog.h"
#include "kernel/lib/string.h"
#include "kernel/options.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc/proc_hooks.h"

/* Resume flag: skip one instruction breakpoint. */
#define RFLAGS_RF (1ull << 16)
#define MAX_NESTING 3
#define OP_HLT 0xf4 /* hlt (SDM vol. 2A): waits for an interrupt */

static struct debug_stop_info stop;
static int depth;	       /* > 0 while a front end runs */
static bool user_step;	       /* the front end asked for a single-step */
static bool step_masked_pic;   /* the PIC is masked for a user's step */
static uint16_t step_pic_mask; /* the PIC's masks before that step */
static uint64_t stepping_over; /* a breakpoint being stepped over, or 0 */
static uint64_t steps_left;    /* `s N`: steps until the front end runs */
static bool to_gdb;	       /* GDB owns the stops */
static bool switching;	       /* the monitor handed the stop to GDB */
static void (*pending)(void);  /* run on the way out (the `crash` command) */

/* GDB's range step (vCont;r): [range_lo, range_hi) in thread range_tid. */
static uint64_t range_lo, range_hi, range_tid;

void debug_run_after_resume(void (*fn)(void))
{
	pending = fn;
}

/* A fault's stop becomes resumable once what would run next is not what
 * faulted: a register (RIP included) or the code at RIP was changed. */
static void note_changes(struct debug_stop_info *s)
{
	uint8_t code[DEBUG_CODE_SNAPSHOT];
	if (s->resumable || s->kind != STOP_EXCEPTION)
		return;
	bool same_code =
	    debug_read_mem(s->frame->rip, code, s->entry_code_len) ==
		s->entry_code_len &&
	    memcmp(code, s->entry_code, s->entry_code_len) == 0;
	if (same_code &&
	    memcmp(s->frame, &s->entry_frame, sizeof *s->frame) == 0)
		return;
	s->resumable = true;
	s->why_not = 0;
}

const struct debug_stop_info *debug_current(void)
{
	if (!depth)
		return 0;
	note_changes(&stop);
	return &stop;
}

struct trap_frame *debug_frame(void)
{
	return depth ? stop.frame : 0;
}

bool debug_in_double_fault(void)
{
	return depth && stop.kind == STOP_DOUBLE_FAULT;
}

void debug_request_step(void)
{
	user_step = true;
}

void debug_request_steps(uint64_t n)
{
	user_step = true;
	steps_left = n;
}

void debug_request_range_step(uint64_t lo, uint64_t hi)
{
	user_step = true;
	range_lo = lo;
	range_hi = hi;
	range_tid = debug_stop_tid();
}

void debug_switch_to_gdb(void)
{
	to_gdb = true;
	switching = true;
}

void debug_attach_gdb(void)
{
	to_gdb = true;
}

void debug_gdb_detached(void)
{
	to_gdb = false;
}

bool debug_gdb_attached(void)
{
	return to_gdb;
}

static enum debug_stop_kind kind_of(struct trap_frame *f, enum debug_reason why)
{
	if (why == DEBUG_PANIC)
		return STOP_PANIC;
	if (why == DEBUG_REQUEST)
		return STOP_BREAK_KEY;
	if (f->vector == VEC_DF)
		return STOP_DOUBLE_FAULT;
	if (f->vector == VEC_NMI)
		return STOP_NMI;
	return STOP_EXCEPTION;
}

/* A stop is resumable when continuing cannot simply repeat the fault. */
static void classify(struct debug_stop_info *s)
{
	s->resumable = true;
	s->why_not = 0;
	switch (s->kind) {
	case STOP_PANIC:
		s->resumable = false;
		s->why_not = "a panic cannot be resumed";
		break;
	case STOP_DOUBLE_FAULT:
		s->resumable = false;
		s->why_not = "a double fault cannot be resumed";
		break;
	case STOP_EXCEPTION:
		s->resumable = false;
		s->why_not = "the faulting instruction would fault again "
			     "(change it first: 'set $rip = ...', 'skip', or "
			     "'w' at RIP)";
		break;
	default:
		break;
	}
}

static bool under_test;

void debug_set_under_test(void)
{
	under_test = true;
}

/* Stops a debugger asked for (break key, breakpoints, steps, watches). */
static bool debugger_made(enum debug_stop_kind k)
{
	return k == STOP_BREAK_KEY || k == STOP_BREAKPOINT || k == STOP_STEP ||
	       k == STOP_WATCH || k == STOP_HWBREAK;
}

static bool halt_without_debugger(void)
{
	if (kopts.debug == DEBUG_MODE_OFF) {
		printk("system halted (debug=off); reset the machine to "
		       "continue.\n");
		return true;
	}
	/* Under test, a diagnosed fault ends the run with its own verdict
	 * (unless the test asked for the monitor), so the harness can tell
	 * "diagnosed" from a reset (exit 0) or a hang. Without QEMU's exit
	 * device (`make run` of a test= ISO, real hardware) the stop goes on
	 * into the debugger like any other. */
	if (under_test && kopts.debug == DEBUG_MODE_ON && !to_gdb &&
	    !debugger_made(stop.kind))
		qemu_exit_try(QEMU_EXIT_DIAGNOSED);
	return false;
}

/* Exceptions and panics leave a record for the next boot. */
static void record_crash(struct trap_frame *f, enum debug_stop_kind kind)
{
	char reason[96];
	if (kind == STOP_PANIC)
		ksnprintf(reason, sizeof reason, "kernel panic");
	else if (kind == STOP_EXCEPTION || kind == STOP_DOUBLE_FAULT)
		ksnprintf(reason, sizeof reason, "%s %s (vector %lu)",
			  trap_mnemonic((unsigned)f->vector),
			  trap_name((unsigned)f->vector), f->vector);
	else
		return;
	crashrec_save(reason, f);
}

/* Step with interrupts held off (as QEMU's gdbstub does), so a step lands
 * on the next instruction, not in an IRQ handler. They are held off at the
 * PIC, not by clearing IF: the stepped code sees its real RFLAGS (a pushf
 * in irq_save must not read IF=0 and skip the sti of irq_restore). */
static void step_mask_irqs(void)
{
	step_pic_mask = pic_get_mask();
	for (unsigned irq = 0; irq < 16; irq++)
		if (!(step_pic_mask & (1u << irq)))
			pic_mask(irq);
	step_masked_pic = true;
}

/* Undo step_mask_irqs, on the #DB of the step or any other entry. */
static void step_unmask_irqs(void)
{
	if (!step_masked_pic)
		return;
	step_masked_pic = false;
	for (unsigned irq = 0; irq < 16; irq++)
		if (!(step_pic_mask & (1u << irq)))
			pic_unmask(irq);
}

static void enter(struct trap_frame *f, enum debug_stop_kind kind)
{
	step_unmask_irqs(); /* a step that ended in another exception */
	/* The TF of our own step is ours: the stopped code never set it
	 * (leave() sets it again for the next step). */
	if (user_step)
		f->rflags &= ~RFLAGS_TF;
	record_crash(f, kind);
	stop.frame = f;
	stop.entry_frame = *f;
	stop.entry_code_len =
	    debug_read_mem(f->rip, stop.entry_code, sizeof stop.entry_code);
	stop.kind = kind;
	stop.vector = (unsigned)f->vector;
	stop.cr2 = read_cr2();
	stop.cr3 = read_cr3();
	classify(&stop);
	hw_disarm();
	bp_remove_from_memory();
}

/* Leave: re-arm breakpoints; step over one sitting at RIP. */
static void leave(struct trap_frame *f)
{
	f->rflags &= ~RFLAGS_TF;
	stepping_over = 0;
	if (bp_is_set(f->rip)) {
		stepping_over = f->rip;
		f->rflags |= RFLAGS_TF;
	}
	if (user_step) {
		f->rflags |= RFLAGS_TF;
		/* Kernel code only: a ring-3 step may be a system call that
		 * blocks, and the scheduler must get its interrupts then. An
		 * IRQ before a user instruction is taken and returned from
		 * with TF restored, so the step still ends after it. */
		if ((f->cs & 3) != 3)
			step_mask_irqs();
	}
	if (stop.kind == STOP_HWBREAK)
		f->rflags |= RFLAGS_RF;
	bp_insert_into_memory(stepping_over);
	hw_arm();
}

/* A step onto hlt would wait for good: the step holds every interrupt off
 * (step_mask_irqs). hlt only waits, so the step goes past it without
 * running it, and stops again. */
static bool step_over_hlt(struct trap_frame *f)
{
	uint8_t op;
	if ((f->cs & 3) == 3 || debug_read_mem(f->rip, &op, 1) != 1 ||
	    op != OP_HLT)
		return false;
	if (!to_gdb) {
		printk("\nstep: ");
		diag_print_insn(&printk_out, f->rip);
		printk(" not run (the step holds interrupts off: it would "
		       "wait for good)\nstep: now at ");
		diag_print_insn(&printk_out, f->rip + 1);
		printk("\n");
	}
	f->rip++;
	stop.kind = STOP_STEP;
	classify(&stop);
	return true;
}

/* Each stop a front end sees starts with no step asked for: a step, an
 * `s N` or a range step asked at an earlier stop that ended without running
 * (a hlt stepped over, a stop that cannot resume) is over. */
static void forget_step_requests(void)
{
	user_step = false;
	steps_left = 0;
	range_lo = range_hi = 0;
}

static void run_front_end(void)
{
	for (;;) {
		forget_step_requests();
		bool was_gdb = to_gdb;
		bool resume =
		    to_gdb ? debug_gdb_front_end() : debug_monitor_front_end();
		if (!resume || switching) {
			switching = false;
			continue;
		}
		note_changes(&stop);
		if (stop.resumable && user_step && step_over_hlt(stop.frame))
			continue;
		if (stop.resumable && stop.kind == STOP_EXCEPTION)
			crashrec_discard(); /* the crash did not end the boot */
		if (stop.resumable)
			return;
		/* GDB gets the same stop reported again; a person is told. */
		if (was_gdb && !to_gdb)
			printk("GDB detached; %s, so the stop stays: the "
			       "monitor has it ('reboot' to restart).\n",
			       stop.why_not);
		else if (!to_gdb)
			printk("cannot continue: %s. Inspect, then 'reboot'.\n",
			       stop.why_not);
	}
}

/* Does a range step go on from this step's stop? Only inside the range,
 * in the thread it began in, not onto a breakpoint (it must stop there as
 * a step to it would), not onto a kernel hlt (step_over_hlt's case), and
 * not while GDB is sending (Ctrl-C: PIC-masked steps keep its IRQ out). */
static bool range_goes_on(struct trap_frame *f)
{
	uint8_t op;
	if (range_hi <= range_lo || f->rip < range_lo || f->rip >= range_hi ||
	    bp_is_set(f->rip) || debug_stop_tid() != range_tid)
		return false;
	if ((f->cs & 3) != 3 && debug_read_mem(f->rip, &op, 1) == 1 &&
	    op == OP_HLT)
		return false;
	/* Ctrl-C: GDB hears SIGINT; another byte: the step's own stop, and
	 * the stub reads the packet it starts. */
	bool is_break;
	if (debug_gdb_input_waiting(&is_break)) {
		if (is_break)
			stop.kind = STOP_BREAK_KEY;
		return false;
	}
	return true;
}

/* Stops nobody needs to see resume at once: a breakpoint whose pid,
 * condition or ignore count says so, a step of `s N` with steps left (and
 * no breakpoint where it landed).
 * Any other stop is announced (breakpoints here, the rest by their trap
 * handlers) and ends `s N` and the internal breakpoints of n and finish. */
static bool resume_quietly(struct trap_frame *f, enum debug_stop_kind kind)
{
	const char *label = 0;
	if (kind == STOP_STEP && range_goes_on(f))
		return true; /* user_step is still set: step again */
	range_lo = range_hi = 0;
	if (kind == STOP_STEP && steps_left > 1 && !bp_is_set(f->rip)) {
		steps_left--;
		return true; /* user_step is still set: step again */
	}
	steps_left = 0;
	if (kind == STOP_BREAKPOINT) {
		label = bp_hit(f->rip, &printk_out);
		if (!label) {
			user_step = false;
			return true;
		}
		if (!to_gdb) { /* GDB learns it from the stop reply */
			printk("\n%s ", label);
			diag_print_addr(&printk_out, f->rip);
			printk("\n");
		}
	}
	bp_clear_internal();
	return false;
}

static void stop_with(struct trap_frame *f, enum debug_stop_kind kind)
{
	if (depth >= MAX_NESTING) {
		printk("debugger: fault nested %d deep inside the debugger; "
		       "halting\n",
		       depth);
		for (;;)
			hlt();
	}
	cli(); /* trap gates already did; a direct caller may not have */
	struct debug_stop_info saved = stop;
	depth++;
	enter(f, kind);
	if (resume_quietly(f, kind)) {
		leave(f);
		depth--;
		stop = saved;
		return;
	}
	if (!halt_without_debugger()) {
		run_front_end();
		leave(f);
		depth--;
		stop = saved;
		if (pending) { /* in the stopped context's stack, not ours */
			void (*fn)(void) = pending;
			pending = 0;
			fn();
		}
		return; /* iretq restores the stopped context's IF */
	}
	for (;;)
		hlt();
}

void debug_stop(struct trap_frame *f, enum debug_reason why)
{
	stop_with(f, kind_of(f, why));
}

/* "<what> at <addr>" on the console for a person at the monitor. When GDB
 * drives, GDB shows the stop itself and the console stays the program's
 * (with gdb=ttyS1 these lines would drown its output). */
/* "breakpoint at 0x… <f+0x0>" on the console, unless GDB drives (then
 * the stop reply says it); a step shows the instruction it stopped at. */
static void announce(const char *what, uint64_t addr)
{
	if (to_gdb)
		return;
	printk("\n%s at ", what);
	if (!strcmp(what, "step: now"))
		diag_print_insn(&printk_out, addr);
	else
		diag_print_addr(&printk_out, addr);
	printk("\n");
}

/* #BP: ours (rewind RIP to the breakpoint) or an int3 in the code. */
static void debug_trap_bp(struct trap_frame *f)
{
	uint64_t at = f->rip - 1;
	if (bp_inserted_at(at)) {
		f->rip = at; /* announced by resume_quietly, if it stops */
		stop_with(f, STOP_BREAKPOINT);
		return;
	}
	diag_exception(&printk_out, f);
	stop_with(f, STOP_INT3);
}

/* A data watchpoint fired (a trap: after the access): which slot and
 * address, the value when the kernel last resumed and now, as GDB says. */
static void report_watch(const struct hw_slot *s, unsigned slot, uint64_t rip)
{
	uint64_t now = 0;
	bool now_ok = debug_read_mem(s->addr, &now, s->len) == s->len;
	printk("\nwatchpoint hit at ");
	diag_print_addr(&printk_out, rip);
	printk("\n  DR%u %s ", slot,
	       s->kind == HW_RW	    ? "watch-rw"
	       : s->kind == HW_READ ? "watch-r"
				    : "watch-w");
	diag_print_addr(&printk_out, s->addr);
	printk(" len %u: ", s->len);
	if (s->value_ok && now_ok && s->value == now)
		printk("value 0x%lx (unchanged: read, or the same value "
		       "written)\n",
		       now);
	else if (s->value_ok && now_ok)
		printk("old 0x%lx, new 0x%lx\n", s->value, now);
	else
		printk("value unreadable now\n");
}

/* #DB: the end of a step (ours or the user's) or a DR0–DR3 hit. */
static void debug_trap_db(struct trap_frame *f)
{
	uint64_t dr6 = read_dr6();
	write_dr6(0);
	step_unmask_irqs();
	int slot = hw_fired(dr6);
	if ((dr6 & DR6_BS) && stepping_over && !user_step && slot < 0) {
		/* Stepped past a breakpoint: put it back, run on. */
		f->rflags &= ~RFLAGS_TF;
		bp_insert_into_memory(0);
		stepping_over = 0;
		return;
	}
	if (slot >= 0) {
		const struct hw_slot *s = hw_slot_get((unsigned)slot);
		/* a read watch that caught a write: not what it asked for */
		if (s->kind == HW_READ && !(dr6 & DR6_BS) &&
		    hw_read_slot_saw_write((unsigned)slot))
			return;
		stop.watch_addr = s->addr;
		stop.watch_type = s->kind == HW_READ ? 'r'
				  : s->kind == HW_RW ? 'a'
						     : 'w';
		if (to_gdb) {
			/* the stop reply says it */
		} else if (s->kind == HW_EXEC) {
			printk("\nhardware breakpoint at ");
			diag_print_addr(&printk_out, s->addr);
			printk(" (DR%d)\n", slot);
		} else {
			report_watch(s, (unsigned)slot, f->rip);
		}
		stop_with(f, s->kind == HW_EXEC ? STOP_HWBREAK : STOP_WATCH);
		return;
	}
	announce("step: now", f->rip);
	stop_with(f, STOP_STEP);
}

static void debug_trap_nmi(struct trap_frame *f)
{
	diag_exception(&printk_out, f);
	stop_with(f, STOP_NMI);
}

/* int VEC_DEBUG_ENTER: a deliberate stop with a real frame, no fault. */
static void debug_trap_enter(struct trap_frame *f)
{
	stop_with(f, STOP_BREAK_KEY);
}

/* What the debugger itself caused, or the fix-up table will absorb. */
static enum fault_tag tag_of(const struct trap_frame *f)
{
	uint64_t dr6;
	if (extable_lookup(f))
		return FAULT_FIXUP;
	if (f->vector == VEC_BP && bp_inserted_at(f->rip - 1))
		return FAULT_BREAKPOINT;
	if (f->vector != VEC_DB)
		return FAULT_REAL;
	__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
	if (hw_fired(dr6) >= 0)
		return FAULT_HW_DEBUG;
	if ((dr6 & DR6_BS) && (user_step || stepping_over))
		return FAULT_STEP;
	return FAULT_REAL;
}

/* Stage TRAP_STAGE_LOG: every exception is noted first, even the ones a
 * fix-up or the process layer handles (only copy-on-write breaks, asked
 * earlier, are not); the debugger's own and the fix-ups are tagged. */
static bool log_exception(struct trap_frame *f)
{
	faultlog_record(f, read_cr2(), read_cr3(), tag_of(f));
	return false;
}

/* An exception nothing handled: the diagnosis, then the debugger. */
static void unhandled_exception(struct trap_frame *f)
{
	diag_exception(&printk_out, f);
	debug_stop(f, DEBUG_EXCEPTION);
}

/* The VEC_PANIC trap: the frame is the state at the `int` in panic(). */
static void panic_trap(struct trap_frame *f)
{
	printk("\n*** PANIC: %s ***\n", panic_message());
	diag_registers(&printk_out, f);
	diag_control_registers(&printk_out);
	diag_backtrace(&printk_out, f);
	debug_stop(f, DEBUG_PANIC);
	/* A panic is never resumed, even if the debugger returns. */
	for (;;)
		hlt();
}

static void fork_end(void)
{
	bp_insert_into_memory(0);
}

/* A #BP or #DB from ring 3 is the debugger's when it planted the int3,
 * armed the DR0-DR3 slot that fired, or asked for the single-step;
 * anything else (an int3 in the program, a TF it set, int1) is the
 * program's own, and the process layer ends it with SIGTRAP. */
static bool user_trap_claimed(const struct trap_frame *f)
{
	if (f->vector == VEC_BP)
		return bp_inserted_at(f->rip - 1);
	uint64_t dr6 = read_dr6();
	if (hw_fired(dr6) >= 0)
		return true;
	return (dr6 & DR6_BS) && (user_step || stepping_over);
}

static const struct proc_debug_hooks proc_hooks = {
    .fork_begin = bp_remove_from_memory,
    .fork_end = fork_end,
    .space_freed = bp_forget_space,
    .user_trap_claimed = user_trap_claimed,
};

void debug_early_init(void)
{
	proc_set_debug_hooks(&proc_hooks);
	trap_add_hook(TRAP_STAGE_LOG, log_exception);
	trap_set_unhandled(unhandled_exception);
	trap_register(VEC_PANIC, panic_trap);
}

/* The boots before ended in resets nothing recorded (a triple fault each
 * time): stop before the rest of boot repeats it. */
static void reboot_loop_guard(void)
{
	if (kopts.debug == DEBUG_MODE_OFF || !crashrec_reboot_loop())
		return;
	printk("reboot loop: entering the monitor before the rest of boot "
	       "(test=, user space); 'c' goes on.\n");
	__asm__ volatile("int %0" : : "i"(VEC_DEBUG_ENTER));
}

void debug_init(void)
{
	debug_io_init();
	trap_register(VEC_DEBUG_ENTER, debug_trap_enter);
	trap_register(VEC_BP, debug_trap_bp);
	trap_register(VEC_DB, debug_trap_db);
	trap_register(VEC_NMI, debug_trap_nmi);
	reboot_loop_guard();
}

/* Called at the end of boot: debug=monitor / debug=gdb stop here. */
void debug_boot_hook(void)
{
	if (kopts.debug == DEBUG_MODE_MONITOR) {
		printk("debug=monitor: entering the monitor; 'c' continues.\n");
		__asm__ volatile("int %0" : : "i"(VEC_DEBUG_ENTER));
	} else if (kopts.debug == DEBUG_MODE_GDB) {
		printk("debug=gdb: waiting for GDB on the serial line.\n");
		to_gdb = true;
		__asm__ volatile("int %0" : : "i"(VEC_DEBUG_ENTER));
	}
}
