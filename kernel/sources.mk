# sources.mk — the kernel's explicit object list (one line per room), included by the Makefile.
KERNEL_SRCS := \
	kernel/boot.asm kernel/entry64.asm kernel/isr.asm kernel/safecopy.asm \
	kernel/main.c kernel/options.c kernel/cmdline.c kernel/multiboot.c \
	kernel/format.c kernel/printk.c kernel/string.c kernel/ring.c \
	kernel/gdt.c kernel/idt.c kernel/trap.c kernel/diag.c kernel/panic.c \
	kernel/ksyms.c kernel/stacks.c kernel/bootmm.c kernel/ktest.c \
	kernel/ktests_faults.c \
	kernel/debug/debug_core.c kernel/debug/faultlog.c \
	drivers/serial.c drivers/vga.c drivers/console.c drivers/pic.c \
	drivers/pit.c drivers/kbdmap.c drivers/ps2kbd.c
