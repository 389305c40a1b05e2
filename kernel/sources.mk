# sources.mk — the kernel's explicit object list (one line per room), included by the Makefile.
KERNEL_SRCS := \
	kernel/boot.asm kernel/entry64.asm kernel/isr.asm kernel/safecopy.asm \
	kernel/main.c kernel/options.c kernel/cmdline.c kernel/multiboot.c \
	kernel/format.c kernel/printk.c kernel/string.c kernel/ring.c \
	kernel/gdt.c kernel/idt.c kernel/trap.c kernel/diag.c kernel/panic.c \
	kernel/ksyms.c kernel/stacks.c kernel/bootmm.c kernel/ktest.c \
	kernel/ktests_faults.c kernel/mm_init.c kernel/crash.c kernel/crashrec.c kernel/extable.c kernel/cpufeat.c \
	kernel/debug/debug_core.c kernel/debug/faultlog.c kernel/debug/debug_io.c \
	kernel/debug/debug_mem.c kernel/debug/debug_regs.c kernel/debug/breakpoints.c \
	kernel/debug/gdb_kernel.c kernel/debug/gdbstub.c kernel/debug/gdb_query.c \
	kernel/debug/debug_proc.c \
	kernel/debug/gdb_rsp.c kernel/debug/gdb_regs.c kernel/debug/gdb_target_xml.c \
	kernel/debug/lineedit.c kernel/debug/mon_expr.c kernel/debug/monitor.c \
	kernel/debug/monitor_cmds.c kernel/debug/cmd_run.c \
	kernel/debug/cmd_cpu.c kernel/debug/cmd_tables.c kernel/debug/cmd_faults.c \
	kernel/debug/cmd_memory.c kernel/debug/cmd_pagetable.c kernel/debug/cmd_alloc.c \
	kernel/debug/cmd_break.c kernel/debug/cmd_crash.c kernel/ktests_mm.c \
	kernel/ktests_gdb.c \
	mm/pmm.c mm/pagetable.c mm/slab.c mm/slab_pmm.c mm/vmm.c \
	drivers/serial.c drivers/vga.c drivers/console.c drivers/pic.c \
	drivers/pit.c drivers/kbdmap.c drivers/ps2kbd.c \
	drivers/fbcon.c drivers/font8x16.c drivers/pci.c drivers/uart_find.c \
	kernel/acpi.c \
	kernel/proc/switch.asm kernel/proc/user.c kernel/proc/proc.c \
	kernel/proc/uspace.c kernel/proc/elf.c kernel/proc/initrd.c \
	kernel/proc/initrd_boot.c kernel/proc/syscall.c kernel/proc/usercopy.c \
	kernel/proc/ufault.c kernel/proc/cmd_ps.c
