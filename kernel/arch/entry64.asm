; entry64.asm — first 64-bit code in the higher half: stack, segments, then kmain().

%include "kernel/arch/layout.inc"
%include "kernel/arch/cfi.inc"

extern kmain
extern boot_gdt_ptr
extern boot_pml4

section .text
bits 64
global kernel_entry64
kernel_entry64:
	mov rsp, boot_stack_top
	xor ebp, ebp                       ; terminates frame-pointer backtraces
	; The GDT base is still physical; point GDTR at the higher-half alias,
	; built on the stack: boot_gdt_ptr (read-only data) stays as the ELF
	; has it, so the running image equals the file (compare-sections).
	mov rax, boot_gdt_ptr
	mov rcx, KERNEL_VMA - KERNEL_PHYS
	add rcx, [rax + 2]
	sub rsp, 16
	mov dx, [rax]                      ; limit
	mov [rsp], dx
	mov [rsp + 2], rcx                 ; base
	lgdt [rsp]
	add rsp, 16
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	; Drop the identity map: from here a null pointer faults.
	mov rax, boot_pml4
	mov qword [rax], 0
	mov rax, cr3
	mov cr3, rax
	mov edi, edi                       ; zero-extend the boot info physical address
	call kmain
.hang:	cli
	hlt
	jmp .hang

; Unwinding: kmain's caller is the outermost frame (GRUB does not return).
CFI_CIE cie_call, ""
CFI_OUTERMOST kernel_entry64, kernel_entry64.hang

section .bss
align 4096
global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:  resb 4096              ; unmapped in kmain: overflow faults
boot_stack_bottom: resb KSTACK_SIZE
boot_stack_top:
