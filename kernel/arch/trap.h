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

/* The trap frame, lowest address first, as kernel/arch/isr.asm builds it:
 * the GPRs (PUSH_GPRS in frame.inc pushes rax first, so it sits highest),
 * the vector and error code the per-vector stub pushed, then the CPU's own
 * interrupt frame. kernel/arch/regs.h names the registers for everyone
 * else (GDB order). */
/* clang-format off */
#define TRAP_FRAME_LAYOUT(X)                                                   \
	X(r15) X(r14) X(r13) X(r12) X(r11) X(r10) X(r9) X(r8)                  \
	X(rbp) X(rdi) X(rsi) X(rdx) X(rcx) X(rbx) X(rax)                       \
	X(vector) X(error)                                                     \
	X(rip) X(cs) X(rflags) X(rsp) X(ss)
/* clang-format on */

#define TRAP_FRAME_FIELD(name) uint64_t name;
struct trap_frame {
	TRAP_FRAME_LAYOUT(TRAP_FRAME_FIELD)
};
#undef TRAP_FRAME_FIELD

/* FRAME_RIP and FRAME_SIZE in kernel/arch/frame.inc: the assembly's view. */
#define TRAP_FRAME_RIP_OFFSET (17 * 8)
#define TRAP_FRAME_SIZE (22 * 8)
_Static_assert(__builtin_offsetof(struct trap_frame, rip) ==
		   TRAP_FRAME_RIP_OFFSET,
	       "frame.inc's FRAME_RIP");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE,
	       "frame.inc's FRAME_SIZE");

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
/* Where `call trap_dispatch` in isr.asm returns: a frame whose return
 * address is this sits right below a struct trap_frame. */
extern const char trap_return[];
/* The exception's short mnemonic and name: ("#PF", "page fault"). */
const char *trap_mnemonic(unsigned vector);
const char *trap_name(unsigned vector);
/* True when the CPU pushes an error code for this vector. */
bool trap_has_error_code(unsigned vector);

#endif
