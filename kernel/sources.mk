# sources.mk — the kernel's explicit object list, one block per layer (bottom first), included by the Makefile.
KERNEL_SRCS := \
	kernel/lib/format.c kernel/lib/string.c kernel/lib/ring.c \
	kernel/arch/boot.asm kernel/arch/entry64.asm kernel/arch/isr.asm kernel/arch/safecopy.asm \
	kernel/arch/gdt.c kernel/arch/idt.c kernel/arch/trap.c kernel/arch/stacks.c \
	kernel/arch/extable.c kernel/arch/cpufeat.c kernel/arch/regs.c kernel/arch/fpu.c \
	kernel/options.c kernel/cmdline.c kernel/multiboot.c kernel/printk.c kernel/panic.c \
	kernel/ksyms.c kernel/clock.c \
	mm/bootmm.c mm/mm_init.c mm/pmm.c mm/pagetable.c mm/slab.c mm/slab_pmm.c mm/vmm.c \
	drivers/uart16550.c drivers/serial.c drivers/vga.c drivers/console.c drivers/pic.c \
	drivers/pit.c drivers/kbdmap.c drivers/ps2kbd.c \
	drivers/fbcon.c drivers/font8x16.c drivers/pci.c drivers/uart_find.c drivers/acpi.c \
	drivers/qemu_exit.c drivers/ata.c drivers/ata_hw.c drivers/rtc.c \
	fs/bcache.c fs/ext2.c fs/ext2_mount.c fs/ext2_alloc.c fs/ext2_bmap.c \
	fs/ext2_dir.c fs/ext2_file.c fs/ext2_ops.c fs/ext2_rename.c fs/ext2_vfs.c fs/ext2_dump.c fs/ext2_dindex.c \
	fs/vfs.c fs/vfs_path.c fs/vfs_ops.c fs/initrd.c fs/initrd_boot.c fs/initrd_fs.c fs/storage.c fs/devfs.c \
	kernel/proc/switch.asm kernel/proc/user.c kernel/proc/proc.c kernel/proc/proc_fpu.c \
	kernel/proc/uspace.c kernel/proc/elf.c \
	kernel/proc/syscall.c kernel/proc/usercopy.c \
	kernel/proc/fd.c kernel/proc/sys_file.c kernel/proc/exec_file.c \
	kernel/proc/ufault.c kernel/proc/proc_hooks.c \
	kernel/debug/debug_core.c kernel/debug/faultlog.c kernel/debug/debug_io.c \
	kernel/debug/debug_mem.c kernel/debug/debug_regs.c kernel/debug/breakpoints.c \
	kernel/debug/diag.c kernel/debug/backtrace.c kernel/debug/debug_pt.c \
	kernel/debug/crash.c kernel/debug/crashrec.c \
	kernel/debug/gdb_kernel.c kernel/debug/gdbstub.c kernel/debug/gdb_query.c \
	kernel/debug/debug_proc.c \
	kernel/debug/gdb_rsp.c kernel/debug/gdb_regs.c kernel/debug/gdb_target_xml.c \
	kernel/debug/gdb_xfer.c kernel/debug/gdb_fpu.c \
	kernel/debug/lineedit.c kernel/debug/mon_expr.c kernel/debug/monitor.c \
	kernel/debug/monitor_cmds.c kernel/debug/cmd_run.c kernel/debug/cmd_state.c \
	kernel/debug/cmd_cpu.c kernel/debug/cmd_tables.c kernel/debug/cmd_faults.c \
	kernel/debug/cmd_memory.c kernel/debug/cmd_pagetable.c kernel/debug/cmd_alloc.c \
	kernel/debug/cmd_break.c kernel/debug/cmd_crash.c kernel/debug/cmd_ps.c \
	kernel/debug/disasm.c kernel/debug/disasm_operands.c \
	kernel/debug/disasm_tables.c kernel/debug/cmd_disasm.c \
	kernel/debug/cmd_dmesg.c kernel/debug/mon_proc.c kernel/debug/cmd_search.c \
	kernel/debug/cmd_step.c \
	kernel/debug/cmd_disk.c kernel/debug/cmd_ext2.c kernel/debug/cmd_fds.c \
	kernel/main.c

# The in-kernel tests (test=NAME): linked into build/triage-test.elf, and into
# build/triage.elf only when CMDLINE names test= (see the Makefile); without
# them ktest_off.c answers test= with a message.
KTEST_SRCS := \
	kernel/ktests/ktest.c kernel/ktests/ktests_faults.c kernel/ktests/ktests_mm.c \
	kernel/ktests/ktests_gdb.c kernel/ktests/ktests_disk.c
KTEST_OFF_SRCS := kernel/ktests/ktest_off.c
