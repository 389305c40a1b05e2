; bare.asm — the boot-time baseline: a Multiboot2 kernel that only prints a line on COM1.
; bench/boot_time.py boots it and triage through GRUB in the same run and compares.

MB2_MAGIC equ 0xe85250d6
COM1      equ 0x3f8

section .multiboot2
align 8
header:
	dd MB2_MAGIC, 0, header_end - header
	dd -(MB2_MAGIC + (header_end - header))
	dw 0, 0
	dd 8
header_end:

section .text
bits 32
global _start
_start:
	mov esi, msg
.next:	lodsb
	test al, al
	jz .done
	mov ah, al
	mov dx, COM1 + 5
.wait:	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .next
.done:	mov dx, 0xf4               ; isa-debug-exit: leave QEMU
	mov eax, 0x10
	out dx, eax
	hlt

section .rodata
msg: db "bare: hello", 13, 10, 0
