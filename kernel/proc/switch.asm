; switch.asm — kernel context switch, the syscall entry (STAR/LSTAR), and the first return to ring 3.

%include "kernel/arch/frame.inc"
%include "kernel/arch/cfi.inc"

extern syscall_dispatch
extern trap_return
extern proc_trap_return
global context_switch, syscall_entry, proc_first_return, syscall_return
global syscall_kstack_top, syscall_user_rsp

SEL_UDATA equ 0x1b
SEL_UCODE equ 0x23
SYSCALL_VECTOR equ 0x80
USER_TOP_SHIFT equ 47           ; a return RIP must be below 1 << 47

section .bss
align 8
syscall_kstack_top: resq 1      ; RSP0 of the current process (one CPU)
syscall_user_rsp: resq 1        ; scratch: user RSP during entry

section .text
bits 64

; void context_switch(uint64_t *save_rsp, uint64_t new_rsp)
; Saves the callee-saved registers on this stack, stores RSP, switches to
; new_rsp and pops the callee-saved registers saved there.
context_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; A new process's kernel stack returns here from context_switch, with RSP
; at the trap frame built by proc_spawn.
proc_first_return:
	cli
	call proc_trap_return           ; killed before it ever ran: end here
	jmp trap_return

; syscall from ring 3 (SDM vol. 3A, 5.8.8): RCX = user RIP, R11 = user
; RFLAGS, RSP still the user's, IF/TF/AC/DF cleared by IA32_FMASK. Build a
; struct trap_frame on the process's kernel stack like kernel/arch/isr.asm does.
syscall_entry:
	mov [rel syscall_user_rsp], rsp
	mov rsp, [rel syscall_kstack_top]
	push SEL_UDATA                  ; ss
	push qword [rel syscall_user_rsp] ; rsp
	push r11                        ; rflags
	push SEL_UCODE                  ; cs
	push rcx                        ; rip
	push 0                          ; error code
	push SYSCALL_VECTOR             ; vector
	PUSH_GPRS
	cld
	mov rdi, rsp
	call syscall_dispatch
syscall_return:                         ; backtraces find the frame from here
	cli
	; sysret with a non-canonical RCX faults in ring 0 on the user's stack
	; (SDM vol. 2B SYSRET, #GP; CVE-2012-0217): return by iretq instead.
	mov rcx, [rsp + FRAME_RIP]
	shr rcx, USER_TOP_SHIFT
	jnz .slow
	POP_GPRS
	add rsp, 16                     ; vector, error code
	pop rcx                         ; rip
	add rsp, 8                      ; cs
	pop r11                         ; rflags
	pop rsp                         ; user rsp (ss is implied by STAR)
	o64 sysret
.slow:
	jmp trap_return

; Unwinding: at the calls above RSP is at a trap frame from ring 3. (The
; rules cover the whole routines, no new labels: a debugger stepping
; through the pushes and pops sees a wrong caller.)
CFI_CIE cie_trap, "S"
CFI_TRAP_FRAME proc_first_return, syscall_entry
CFI_TRAP_FRAME syscall_entry, syscall_return.slow
