; safecopy.asm — memory copy that returns instead of faulting (the fault-safe accessor's core).
; size_t safe_copy(void *dst, const void *src, size_t n): returns bytes NOT copied (0 = all).
; If either side faults, the page-fault / #GP handler sees RIP == safe_copy_insn and
; resumes at safe_copy_fixup (see kernel/trap.c), with RCX = bytes left.

section .text
bits 64
global safe_copy, safe_copy_insn, safe_copy_fixup
safe_copy:
	mov rcx, rdx
safe_copy_insn:
	rep movsb
safe_copy_fixup:
	mov rax, rcx
	ret
