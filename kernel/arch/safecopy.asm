; safecopy.asm — memory copy that returns instead of faulting (the fault-safe accessor's core).
; size_t safe_copy(void *dst, const void *src, size_t n): returns bytes NOT copied (0 = all).
; If either side faults, the exception fix-up table (kernel/arch/extable.c) resumes at
; safe_copy_fixup with RCX = bytes left.

section .text
bits 64
global safe_copy
safe_copy:
	mov rcx, rdx
safe_copy_insn:
	rep movsb
safe_copy_fixup:
	mov rax, rcx
	ret

section extable progbits alloc noexec nowrite align=8
	dq safe_copy_insn, safe_copy_fixup
