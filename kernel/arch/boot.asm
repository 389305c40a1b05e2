; boot.asm — Multiboot2 header and 32-bit entry: checks, boot page tables, long mode,
; then a jump to the higher-half kernel (kernel/arch/entry64.asm) with the boot info pointer.

%include "kernel/arch/layout.inc"

MB2_MAGIC        equ 0xe85250d6   ; Multiboot2 header magic (spec 3.1.1)
MB2_ARCH_I386    equ 0            ; architecture 0 = 32-bit protected-mode i386
MB2_BOOT_MAGIC   equ 0x36d76289   ; what the loader leaves in EAX
MB2_TAG_END      equ 0
MB2_TAG_INFO_REQ equ 1            ; information request tag
MB2_INFO_MMAP    equ 6            ; memory map information type
MB2_INFO_FB      equ 8            ; framebuffer information type
MB2_TAG_FB       equ 5            ; framebuffer tag: preferred mode (spec 3.1.10)
MB2_TAG_OPTIONAL equ 1            ; flags bit 0: the loader may ignore the tag

; CR0 bits, Intel SDM vol. 3A, 2.5 "Control Registers" (figure 2-7).
CR0_PG       equ 1 << 31          ; paging
CR0_CD       equ 1 << 30          ; cache disable (11.5.1, table 11-5)
CR0_NW       equ 1 << 29          ; not write-through (11.5.1, table 11-5)
CR0_WP       equ 1 << 16          ; supervisor writes honour read-only pages
CR0_NE       equ 1 << 5           ; x87 errors as #MF, not FERR#/IRQ 13
CR0_EM       equ 1 << 2           ; emulate x87: every x87 instruction #NM
CR0_MP       equ 1 << 1           ; WAIT/FWAIT honour TS
; What the kernel relies on, whatever the firmware left: caches on in
; normal write-back mode (CD = NW = 0; a BIOS may leave both set, as
; Bochs's does), the x87 present and reporting natively (EM = 0, MP = NE =
; 1: the settings SDM vol. 3A, 9.2.1, table 9-3 recommends), and WP.
CR0_CLEAR    equ CR0_CD | CR0_NW | CR0_EM
CR0_SET      equ CR0_WP | CR0_NE | CR0_MP
CR4_PAE      equ 1 << 5
EFER_MSR     equ 0xc0000080
EFER_LME     equ 1 << 8
EFER_NXE     equ 1 << 11
CPUID_EXT_FEATURES equ 0x80000001
CPUID_LM_BIT equ 1 << 29          ; EDX bit 29: long mode
CPUID_NX_BIT equ 1 << 20          ; EDX bit 20: execute disable
PTE_P        equ 1 << 0
PTE_RW       equ 1 << 1
PTE_PS       equ 1 << 7
COM1         equ 0x3f8
VGA_TEXT     equ 0xb8000

extern boot_stack_top
extern kernel_entry64

; LINK_TABLES parent, first_child, count: parent[i] -> the i-th of count
; consecutive 4 KiB child tables starting at first_child (present, writable).
%macro LINK_TABLES 3
	xor ecx, ecx
%%next:	mov eax, ecx
	shl eax, 12
	add eax, V2P(%2) + PTE_P + PTE_RW
	mov [V2P(%1) + ecx * 8], eax
	inc ecx
	cmp ecx, %3
	jb %%next
%endmacro

section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC, MB2_ARCH_I386, mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
align 8
	dw MB2_TAG_INFO_REQ, 0
	dd 16
	dd MB2_INFO_MMAP, MB2_INFO_FB
align 8
	; Accept a linear framebuffer (width, height, depth 0 = no preference);
	; grub.cfg keeps VGA text under BIOS with gfxpayload=text.
	dw MB2_TAG_FB, MB2_TAG_OPTIONAL
	dd 20
	dd 0, 0, 0
align 8
	dw MB2_TAG_END, 0
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite
bits 32
global _start
_start:
	cli
	mov esp, V2P(boot_stack_top)
	cmp eax, MB2_BOOT_MAGIC
	jne .no_multiboot
	mov edi, ebx                      ; keep the boot info pointer in EDI
	call set_cr0                      ; clobbers EAX
	mov eax, 0x80000000               ; highest extended leaf
	cpuid
	cmp eax, CPUID_EXT_FEATURES
	jb .no_long_mode
	mov eax, CPUID_EXT_FEATURES
	cpuid
	test edx, CPUID_LM_BIT
	jz .no_long_mode
	mov esi, edx                      ; remember NX support
	call build_boot_tables
	call enter_long_mode
	lgdt [V2P(boot_gdt_ptr)]
	jmp 0x08:V2P(long_mode_trampoline)

.no_multiboot:
	mov esi, V2P(msg_no_mb2)
	jmp boot_fail
.no_long_mode:
	mov esi, V2P(msg_no_lm)
	jmp boot_fail

; Identity map and direct map share PDPT boot_pdpt_dm: 64 GiB in 2 MiB pages.
; The kernel image (phys KERNEL_PHYS .. +16 MiB) is mapped with 4 KiB pages at
; KERNEL_VMA so that guard pages can be punched into it early. No entry has
; XD (bit 63): it is reserved unless the CPU has NX and EFER.NXE is set.
build_boot_tables:
	mov eax, V2P(boot_pdpt_dm) + PTE_P + PTE_RW
	mov [V2P(boot_pml4)], eax                   ; PML4[0]   identity (dropped later)
	mov [V2P(boot_pml4) + 256 * 8], eax         ; PML4[256] direct map
	mov eax, V2P(boot_pdpt_k) + PTE_P + PTE_RW
	mov [V2P(boot_pml4) + 511 * 8], eax         ; PML4[511] kernel image
	; PDPT_dm[i] -> PD i, PD entries 2 MiB pages
	LINK_TABLES boot_pdpt_dm, boot_pd_dm, BOOT_DM_GIB
	xor ecx, ecx                                ; entry index over all PDs
.pd:	mov eax, ecx
	shl eax, 21                                 ; low 32 bits of phys
	or eax, PTE_P + PTE_RW + PTE_PS
	mov edx, ecx
	shr edx, 11                                 ; high bits of phys (i >> 11)
	mov [V2P(boot_pd_dm) + ecx * 8], eax
	mov [V2P(boot_pd_dm) + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, BOOT_DM_GIB * 512
	jb .pd
	; kernel: PDPT_k[510] -> PD_k, PD_k[0..7] -> PT_k (8 tables = 16 MiB)
	mov eax, V2P(boot_pd_k) + PTE_P + PTE_RW
	mov [V2P(boot_pdpt_k) + 510 * 8], eax
	LINK_TABLES boot_pd_k, boot_pt_k, BOOT_KPT_COUNT
	xor ecx, ecx
.ptk:	mov eax, ecx
	shl eax, 12
	add eax, KERNEL_PHYS + PTE_P + PTE_RW
	mov [V2P(boot_pt_k) + ecx * 8], eax
	inc ecx
	cmp ecx, BOOT_KPT_COUNT * 512
	jb .ptk
	ret

; CR0 as the kernel needs it (CR0_SET, CR0_CLEAR). Lines cached while NW
; was set may be newer than memory: write them back first (SDM vol. 3A,
; 11.5.3 "Preventing Caching" describes the reverse: CD, then WBINVD).
set_cr0:
	mov eax, cr0
	test eax, CR0_CD | CR0_NW
	jz .cached
	wbinvd
.cached:
	and eax, ~CR0_CLEAR
	or eax, CR0_SET
	mov cr0, eax
	ret

enter_long_mode:
	mov eax, V2P(boot_pml4)
	mov cr3, eax
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov ecx, EFER_MSR
	rdmsr
	or eax, EFER_LME
	test esi, CPUID_NX_BIT
	jz .no_nx
	or eax, EFER_NXE
.no_nx:	wrmsr
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	ret

; Print the NUL-terminated message at ESI on COM1 and the VGA text screen, halt.
boot_fail:
	mov edi, VGA_TEXT
	mov ebx, esi
.vga:	lodsb
	test al, al
	jz .serial
	mov ah, 0x4f                                ; white on red
	stosw
	jmp .vga
.serial:
	mov esi, ebx
.ser:	lodsb
	test al, al
	jz .halt
	mov ah, al
	mov dx, COM1 + 5                            ; line status register
.wait:	in al, dx
	test al, 0x20                               ; THR empty
	jz .wait
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .ser
.halt:	hlt
	jmp .halt

bits 64
long_mode_trampoline:
	mov rax, kernel_entry64
	jmp rax

; The accessed bits are preset: the CPU would otherwise set them when a
; segment register is loaded, writing to this read-only section (and
; GDB's compare-sections would find the running image differs from the ELF).
section .boot.rodata progbits alloc noexec nowrite
msg_no_mb2: db "triage: boot failed: not started by a Multiboot2 loader (EAX lacks 0x36d76289). Boot triage.elf with GRUB 2 'multiboot2'.", 13, 10, 0
msg_no_lm:  db "triage: boot failed: this CPU has no long mode (x86-64). triage needs a 64-bit CPU (QEMU: qemu-system-x86_64).", 13, 10, 0

align 16
boot_gdt:
	dq 0
	dq 0x00af9b000000ffff          ; 0x08: 64-bit code, DPL 0 (L=1, P=1, S=1, type=exec/read, accessed)
	dq 0x00cf93000000ffff          ; 0x10: data, DPL 0 (accessed)
boot_gdt_end:
global boot_gdt_ptr
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dq V2P(boot_gdt)

section .bss
align 4096
global boot_pml4, boot_pdpt_dm, boot_pd_dm, boot_pdpt_k, boot_pd_k, boot_pt_k
boot_pml4:    resb 4096
boot_pdpt_dm: resb 4096
boot_pdpt_k:  resb 4096
boot_pd_k:    resb 4096
boot_pt_k:    resb 4096 * BOOT_KPT_COUNT
boot_pd_dm:   resb 4096 * BOOT_DM_GIB
