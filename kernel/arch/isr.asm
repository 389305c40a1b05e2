; isr.asm — the 256 interrupt entry stubs and the common path into trap_dispatch().

%include "kernel/arch/frame.inc"
%include "kernel/arch/cfi.inc"

extern trap_dispatch
section .text
bits 64

; Vectors for which the CPU pushes an error code (SDM vol. 3A, 6.13).
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro ISR_STUB 1
isr_stub_%1:
%if HAS_ERR(%1) == 0
	push 0                      ; uniform frame: fake error code
%endif
	push %1
	jmp isr_common
%endmacro

%assign v 0
%rep 256
ISR_STUB v
%assign v v + 1
%endrep

isr_common:
	PUSH_GPRS
	cld
	mov rdi, rsp                ; struct trap_frame *
	; The frame is 22 quadwords and the CPU aligned RSP to 16 before it, so
	; the call below is ABI-aligned.
	call trap_dispatch
global trap_return
trap_return:
	POP_GPRS
	add rsp, 16                 ; vector and error code
	iretq

; Unwinding: where isr_common calls trap_dispatch, RSP is at the trap
; frame. The range must hold the return address itself (GDB looks up a
; signal frame's pc exactly), so it ends past trap_return's first byte.
; (It covers isr_common from its start, no new labels: a debugger
; stepping through the pushes sees a wrong caller.)
CFI_CIE cie_trap, "S"
CFI_TRAP_FRAME isr_common, trap_return + 1

section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep
