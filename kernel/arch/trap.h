/* trap.h — the saved CPU frame of an interrupt or exception, and handler
 * registration. */
#ifndef KERNEL_ARCH_TRAP_H
#define KERNEL_ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

/* Exception vectors (Intel SDM vol. 3A, table 6-1). */
enum {
	VEC_DE = 0, /* divide error */
	VEC_DB = 1, /* debug */
	VEC_NMI = 2,
	VEC_BP = 3, /* breakpoint (int3) */
	VEC_OF = 4,
	VEC_BR = 5,
	VEC_UD = 6, /* invalid opcode */
	VEC_NM = 7,
	VEC_DF = 8,  /* double fault */
	VEC_TS = 10, /* invalid TSS */
	VEC_NP = 11, /* segment not present */
	VEC_SS = 12, /* stack-segment fault */
	VEC_GP = 13, /* general protection */
	VEC_PF = 14, /* page fault */
	VEC_MF = 16,
	VEC_AC = 17,
	VEC_MC = 18, /* machine check */
	VEC_XM = 19,
	VEC_VE = 20,
	VEC_CP = 21,
	VEC_IRQ0 = 32, /* PIC IRQs are remapped to 32..47 */
	VEC_DEBUG_ENTER =
	    0x81,	  /* software trap: enter the debugger (no fault) */
	VEC_PANIC = 0x82, /* software trap raised by panic() */
	NUM_VECTORS = 256,
};

/* Laid out by kernel/arch/isr.asm: GPRs pushed by the common stub, then the
 * vector and error code pushed by the per-vector stub, then the CPU's frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*trap_handler_fn)(struct trap_frame *f);
/* A link of the exception chain: true when it handled the exception. */
typedef bool (*trap_hook_fn)(struct trap_frame *f);

/* The exception chain (vectors 0-31), asked in this order before the
 * vector's own handler. Layers above arch register their links at boot;
 * arch owns only the fix-up table's. */
enum trap_stage {
	TRAP_STAGE_COW = 10,   /* proc: a write to a copy-on-write page */
	TRAP_STAGE_LOG = 20,   /* debug: note the exception (never handles) */
	TRAP_STAGE_FIXUP = 30, /* arch: resume at the fix-up table's entry */
	TRAP_STAGE_USER = 40,  /* proc: a ring-3 fault ends the process */
};
void trap_add_hook(enum trap_stage stage, trap_hook_fn fn);
/* An exception nothing above handled (the debugger: diagnose and stop). */
void trap_set_unhandled(trap_handler_fn fn);
/* Around every trap from ring 3: enter runs first (it also sees #DF, NMI
 * and #MC, see trap_on_ist), leave runs last, except on IST stacks. */
void trap_set_user_hooks(trap_handler_fn enter, void (*leave)(void));
/* #DF, NMI and #MC run on their own IST stacks (kernel/arch/idt.c): never
 * switch processes there, or the next one would overwrite the frame. */
bool trap_on_ist(unsigned vector);

/* Install handler for vector (replacing the default diagnosis). */
void trap_register(unsigned vector, trap_handler_fn handler);
/* Interrupts taken per vector since boot. */
uint64_t trap_count(unsigned vector);
/* Called by kernel/arch/isr.asm for every vector. */
void trap_dispatch(struct trap_frame *f);
/* The exception's short mnemonic and name: ("#PF", "page fault"). */
const char *trap_mnemonic(unsigned vector);
const char *trap_name(unsigned vector);
/* True when the CPU pushes an error code for this vector. */
bool trap_has_error_code(unsigned vector);

#endif
