# gdbinit — GDB set-up for triage: symbols, connect helpers, kernel-aware commands.
#
# Use from the top of the tree:   gdb -x gdbinit
# (`make debug` and `make gdb-serial` do this for you.) It loads build/triage.elf,
# or the ELF named by $TRIAGE_ELF (e.g. build/triage-test.elf, the kernel with
# its in-kernel tests, which a test= command line boots).
#
# Connecting
#   connect-qemu [host:]port      QEMU's own gdbstub (-s = :1234, the default).
#                                 Sees the CPU exactly; needs no help from the kernel.
#   connect-serial [dev|host:port]
#                                 triage's own stub over a serial line: a device
#                                 (default /dev/ttyUSB0; sets `serial baud` to 115200,
#                                 override with `set $triage_baud = 9600` first) or
#                                 a TCP serial port of QEMU (-serial tcp:...).
#                                 Sets remotetimeout 10: a 4 KiB reply takes 0.36 s
#                                 at 115200 baud, and QEMU under TCG can be slow.
#   The kernel attaches the stub by itself when the first GDB packet arrives
#   (from a running kernel or from the monitor); `debug=gdb` on the kernel
#   command line waits for GDB at the end of boot, `gdb=ttyS1` puts the stub on
#   the second UART, and the monitor's `gdb` command hands the line over.
#   Ctrl-C stops a running kernel; `detach` lets it run on (the console returns).
#
# Processes are threads over triage's stub (kernel/debug/debug_proc.h):
#   thread 1 is the CPU as it stopped; thread pid+1 is process pid, with the
#   user registers saved at its last kernel entry and its own address space
#   for memory. `info threads`, `thread 2`, `info registers rip`.
#   User code: `add-symbol-file build/user/bin/PROG`, then `break main`: a
#   breakpoint goes into the selected process's address space, or (address
#   not mapped there yet, e.g. before PROG runs) into a DR0-DR3 slot, which
#   fires in whichever process executes that address.
#
# Real hardware (null-modem cable or USB-serial adapter on the PC's COM port):
#   (gdb) set serial baud 115200        # what connect-serial does for a device
#   (gdb) target remote /dev/ttyUSB0    # = connect-serial /dev/ttyUSB0
#
# Kernel-aware commands (scripts/gdb/triage.py, GDB's Python API). They read
# memory only — through whichever stub is connected — so they work over both:
#   kidt [vector]   decode the IDT in memory (the kernel's `idt` array): per gate
#                   the handler (symbolised), selector, IST, type, DPL, present.
#   kpt <va>        walk the 4-level page tables from $cr3 for a virtual address:
#                   each level's entry and flags, large pages, the physical
#                   address; tables are read through the direct map
#                   (0xffff800000000000 + phys).
#   kmem            the physical allocator (mm/pmm.c's `pmm`): pages total /
#                   reserved / free / allocated, free blocks per buddy order,
#                   allocation counters, where the frame descriptors live.
#   kfaults [n]     the exception history ring (kernel/debug/faultlog.c), newest
#                   first: sequence, vector by name, error code, RIP
#                   (symbolised), RSP, CR2, CR3, TSC.
#   kdmesg [n]      the kernel log (kernel/printk.c's printk_log_buf ring):
#                   everything printk wrote since boot, or its last n lines,
#                   as the monitor's dmesg shows it.
#   kcache [on|off]  GDB's memory cache for kernel RAM while stopped (connect-serial
#                   turns it on): the stub's memory map (RAM only) as `mem` regions
#                   with `cache`, 64-byte lines, breakpoints always inserted; the
#                   cache is dropped on every resume. `kcache off` restores the map.
#   The monitor's own commands are there too, over triage's stub only:
#   `monitor help`, `monitor idt`, `monitor pt 0x...`, `monitor mem`.

set pagination off
set confirm off
set architecture i386:x86-64
# The kernel's symbols: build/triage.elf, or $TRIAGE_ELF (scripts/kernel-elf
# names build/triage-test.elf for a test= command line; the test harness sets it).
python gdb.execute("file " + __import__("os").environ.get("TRIAGE_ELF", "build/triage.elf"))
source scripts/gdb/triage.py
