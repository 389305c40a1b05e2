"""triage.py — kernel-aware GDB commands for triage (sourced by the top-level gdbinit).

kidt, kpt, kmem, kfaults and kdmesg only read memory and registers through GDB, so they
work the same over triage's serial stub and over QEMU's -s stub.
connect-qemu and connect-serial set up the connection. See gdbinit for a
summary of every command.
"""
import gdb

DIRECT_MAP_BASE = 0xFFFF800000000000  # kernel/arch/layout.h: all RAM at base + phys
PAGE_SIZE = 4096
PHYS_MASK = 0x000FFFFFFFFFF000  # bits 51..12 of a page-table entry

# Page-table entry bits (SDM vol. 3A, 4.5).
PTE_P, PTE_W, PTE_U, PTE_PWT, PTE_PCD, PTE_A, PTE_D, PTE_PS, PTE_G = (
    1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8)
PTE_NX = 1 << 63

# IDT gate type field (SDM vol. 3A, 6.14.1).
GATE_TYPES = {0xE: "intr", 0xF: "trap"}

VECTOR_NAMES = [
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack-segment fault",
    "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 FP error", "#AC alignment check", "#MC machine check",
    "#XM SIMD FP", "#VE virtualization", "#CP control protection",
]


def vector_name(v):
    if v < len(VECTOR_NAMES):
        return VECTOR_NAMES[v]
    if 32 <= v < 48:
        return "IRQ %d" % (v - 32)
    if v == 0x81:
        return "debugger entry"
    if v == 0x82:
        return "panic"
    return "vector %d" % v


# --- helpers ---------------------------------------------------------------

def read_bytes(addr, n):
    """n bytes of target memory at addr (gdb.MemoryError when unreadable)."""
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def read_u64(addr):
    return int.from_bytes(read_bytes(addr, 8), "little")


def reg(name):
    """A register of the selected frame as an unsigned integer."""
    v = gdb.parse_and_eval("$" + name)
    return int(v.cast(gdb.lookup_type("unsigned long"))) & (2 ** 64 - 1)


def symbolise(addr):
    """'name+0xoff' for a code or data address, or '' when unknown."""
    try:
        out = gdb.execute("info symbol 0x%x" % addr, to_string=True).strip()
    except gdb.error:
        return ""
    if out.startswith("No symbol"):
        return ""
    # "gdb_test_leaf + 7 in section .text" -> "gdb_test_leaf+0x7"
    name = out.split(" in section")[0]
    if " + " in name:
        base, off = name.split(" + ")
        return "%s+0x%x" % (base, int(off))
    return name


def symbol_address(expr):
    """Address of a kernel symbol (static ones may be given as 'file'::name)."""
    return int(gdb.parse_and_eval("(unsigned long)&" + expr))


def parse_number(arg, what):
    if not arg.strip():
        raise gdb.GdbError("%s: an address or expression is required" % what)
    try:
        return int(gdb.parse_and_eval(arg).cast(
            gdb.lookup_type("unsigned long"))) & (2 ** 64 - 1)
    except gdb.error as e:
        raise gdb.GdbError("%s: cannot evaluate '%s': %s" % (what, arg, e))


# --- kidt --------------------------------------------------------------------

def decode_gate(raw):
    """Fields of one 16-byte 64-bit IDT gate (kernel/arch/idt.h struct idt_gate)."""
    lo = int.from_bytes(raw[0:8], "little")
    hi = int.from_bytes(raw[8:16], "little")
    offset = (lo & 0xFFFF) | ((lo >> 48) & 0xFFFF) << 16 | (hi & 0xFFFFFFFF) << 32
    attr = (lo >> 40) & 0xFF
    return {
        "offset": offset,
        "selector": (lo >> 16) & 0xFFFF,
        "ist": (lo >> 32) & 7,
        "type": attr & 0xF,
        "dpl": (attr >> 5) & 3,
        "present": bool(attr & 0x80),
    }


class KIdt(gdb.Command):
    """Decode the live IDT: kidt [vector]
Reads the kernel's `idt` array (256 gates of 16 bytes) from memory and shows
each present gate: handler address and symbol, selector, IST, type, DPL."""

    def __init__(self):
        super().__init__("kidt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        only = parse_number(arg, "kidt") if arg.strip() else None
        if only is not None and not 0 <= only < 256:
            raise gdb.GdbError("kidt: vector %d out of range 0..255" % only)
        base = symbol_address("idt")
        try:
            table = read_bytes(base, 256 * 16)
        except gdb.MemoryError as e:
            raise gdb.GdbError("kidt: cannot read the IDT at 0x%x: %s" % (base, e))
        print("IDT at 0x%016x (kernel symbol idt), 256 gates" % base)
        print("vec  handler             sel  ist type dpl  symbol / vector")
        shown = 0
        for v in range(256):
            if only is not None and v != only:
                continue
            g = decode_gate(table[v * 16:v * 16 + 16])
            if not g["present"] and only is None:
                continue
            shown += 1
            print("%3d  0x%016x  %04x  %d  %-4s  %d   %s  (%s)%s" % (
                v, g["offset"], g["selector"], g["ist"],
                GATE_TYPES.get(g["type"], "0x%x" % g["type"]), g["dpl"],
                symbolise(g["offset"]) or "?", vector_name(v),
                "" if g["present"] else "  NOT PRESENT"))
        if only is None:
            print("%d present gates" % shown)


# --- kpt ---------------------------------------------------------------------

def pte_flags(e, level):
    f = []
    f.append("P" if e & PTE_P else "-")
    f.append("W" if e & PTE_W else "R")
    f.append("U" if e & PTE_U else "S")
    if e & PTE_PWT:
        f.append("PWT")
    if e & PTE_PCD:
        f.append("PCD")
    if e & PTE_A:
        f.append("A")
    if e & PTE_D and level != "PML4":
        f.append("D")
    if e & PTE_PS and level in ("PDPT", "PD"):
        f.append("PS")
    if e & PTE_G and level != "PML4":
        f.append("G")
    f.append("NX" if e & PTE_NX else "X")
    return " ".join(f)


def walk(va, cr3, read=read_u64):
    """Walk the tables for va. Returns (steps, phys or None, why) where steps
    are (level, index, entry address (phys), entry)."""
    if not (va < 0x0000800000000000 or va >= 0xFFFF800000000000):
        return [], None, "is not canonical (bits 63..47 differ)"
    table = cr3 & PHYS_MASK
    steps = []
    levels = (("PML4", 39), ("PDPT", 30), ("PD", 21), ("PT", 12))
    for name, shift in levels:
        idx = (va >> shift) & 0x1FF
        ea = table + idx * 8
        try:
            e = read(DIRECT_MAP_BASE + ea)
        except gdb.MemoryError:
            return steps, None, ("cannot read the %s entry at phys 0x%x through "
                                 "the direct map" % (name, ea))
        steps.append((name, idx, ea, e))
        if not e & PTE_P:
            return steps, None, ("not mapped at %s level (entry 0x%x)" % (name, e))
        if name in ("PDPT", "PD") and e & PTE_PS:
            size = 1 << shift
            base = e & PHYS_MASK & ~(size - 1)
            return steps, base | (va & (size - 1)), "%s page" % (
                "1 GiB" if name == "PDPT" else "2 MiB")
        table = e & PHYS_MASK
    return steps, table | (va & 0xFFF), "4 KiB page"


class KPt(gdb.Command):
    """Walk the page tables for a virtual address: kpt <va>
Starts at $cr3 and reads each table through the direct map
(0xffff800000000000 + phys); prints every level's entry and flags, then the
physical address or the level where the walk stopped."""

    def __init__(self):
        super().__init__("kpt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        va = parse_number(arg, "kpt")
        try:
            cr3 = reg("cr3")
        except gdb.error as e:
            raise gdb.GdbError("kpt: $cr3 is not available from this target: %s" % e)
        print("kpt 0x%016x (cr3 0x%x)" % (va, cr3))
        steps, phys, why = walk(va, cr3)
        for name, idx, ea, e in steps:
            print("  %-4s[%3d] @phys 0x%012x = 0x%016x  %s" % (
                name, idx, ea, e, pte_flags(e, name)))
        if phys is None:
            print("  address 0x%x %s" % (va, why))
        else:
            print("  -> phys 0x%x (%s)" % (phys, why))


# --- kmem --------------------------------------------------------------------

PMM_MAX_ORDER = 10  # mm/pmm.h


class KMem(gdb.Command):
    """Physical memory allocator state: kmem
Reads mm/pmm.c's `pmm` structure: page counts, free blocks per buddy order,
allocation counters and where the frame descriptors live."""

    def __init__(self):
        super().__init__("kmem", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        try:
            p = gdb.parse_and_eval("'mm/pmm.c'::pmm")
        except gdb.error:
            p = gdb.parse_and_eval("pmm")
        try:
            total = int(p["total"])
            reserved = int(p["reserved"])
            free = int(p["free_pages"])
            nfree = [int(p["nfree"][o]) for o in range(PMM_MAX_ORDER + 1)]
            vals = {k: int(p[k]) for k in ("ignored", "allocs", "frees", "failed",
                                           "meta_phys", "meta_bytes", "npages")}
        except gdb.MemoryError as e:
            raise gdb.GdbError("kmem: cannot read pmm: %s" % e)
        usable = total - reserved
        mib = lambda pages: pages * PAGE_SIZE / (1 << 20)
        print("pmm: %d pages total (%.1f MiB), %d reserved, %d usable" % (
            total, mib(total), reserved, usable))
        print("     %d free (%.1f MiB), %d allocated, %d ignored above the limit" % (
            free, mib(free), usable - free, vals["ignored"]))
        print("     allocs %d, frees %d, failed %d" % (
            vals["allocs"], vals["frees"], vals["failed"]))
        print("     frame descriptors: %d bytes at phys 0x%x (%d frames)" % (
            vals["meta_bytes"], vals["meta_phys"], vals["npages"]))
        print("free blocks per order:")
        for o, n in enumerate(nfree):
            print("  order %2d (%5d KiB): %d" % (o, 4 << o, n))
        largest = max([o for o, n in enumerate(nfree) if n] or [-1])
        listed = sum(n << o for o, n in enumerate(nfree))
        print("largest free block: %s; pages on free lists %d%s" % (
            "order %d" % largest if largest >= 0 else "none", listed,
            "" if listed == free else "  (MISMATCH with free count %d)" % free))


# --- kfaults -------------------------------------------------------------------

FAULT_FIELDS = ("seq", "vector", "error", "rip", "rsp", "cr2", "cr3", "tsc")


class KFaults(gdb.Command):
    """The exception history, newest first: kfaults [n]
Decodes kernel/debug/faultlog.c's ring of the last exceptions (vector, error
code, RIP, RSP, CR2, CR3, TSC)."""

    def __init__(self):
        super().__init__("kfaults", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        limit = parse_number(arg, "kfaults") if arg.strip() else None
        try:
            ring = gdb.parse_and_eval("'kernel/debug/faultlog.c'::ring")
            total = int(gdb.parse_and_eval("'kernel/debug/faultlog.c'::total"))
        except gdb.error as e:
            raise gdb.GdbError("kfaults: cannot read the fault log: %s" % e)
        size = int(ring.type.sizeof // ring[0].type.sizeof)
        n = min(total, size)
        if limit is not None:
            n = min(n, limit)
        print("%d exceptions since boot (ring holds the last %d)" % (total, size))
        if not n:
            return
        print("  seq vec name                      error   rip                 "
              "rsp                 cr2                 cr3       tsc")
        for k in range(n):
            r = ring[(total - 1 - k) % size]
            f = {name: int(r[name]) for name in FAULT_FIELDS}
            print("%5d %3d %-24s %6x   0x%016x  0x%016x  0x%016x  0x%-7x %d" % (
                f["seq"], f["vector"], vector_name(f["vector"]), f["error"],
                f["rip"], f["rsp"], f["cr2"], f["cr3"], f["tsc"]))
            sym = symbolise(f["rip"])
            if sym:
                print("      at %s" % sym)


# --- kdmesg -------------------------------------------------------------------

def kernel_log():
    """The text kernel/printk.c's log ring holds, oldest first, and how many
    older characters were overwritten (their partial line is dropped)."""
    try:
        buf = symbol_address("printk_log_buf")
        size = int(gdb.parse_and_eval("sizeof(printk_log_buf)"))
        end = int(gdb.parse_and_eval("printk_log_head"))
    except gdb.error as e:
        raise gdb.GdbError("kdmesg: cannot find the kernel log: %s" % e)
    start = max(0, end - size)
    first, last = start % size, (end - 1) % size + 1 if end else 0
    if end == 0:
        data = b""
    elif first < last:
        data = read_bytes(buf + first, last - first)
    else:  # wrapped: the older part at the end of the buffer, then the start
        data = read_bytes(buf + first, size - first) + read_bytes(buf, last)
    text = data.decode("latin-1")
    if start:
        cut = text.find("\n") + 1
        text, start = text[cut:], start + cut
    return text, start


class KDmesg(gdb.Command):
    """The kernel log, as the monitor's dmesg shows it: kdmesg [lines]
Everything printk wrote since boot, from kernel/printk.c's ring
(printk_log_buf, printk_log_head); with lines, only the last that many."""

    def __init__(self):
        super().__init__("kdmesg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        limit = parse_number(arg, "kdmesg") if arg.strip() else None
        text, lost = kernel_log()
        if lost and limit is None:
            print("(the log holds the last %d bytes; %d older ones were "
                  "overwritten)" % (int(gdb.parse_and_eval(
                      "sizeof(printk_log_buf)")), lost))
        if limit is not None:  # lines end at "\n" only, as in dmesg
            ends = text.endswith("\n")
            lines = (text[:-1] if ends else text).split("\n")
            text = "\n".join(lines[-limit:]) + ("\n" if ends else "") \
                if limit else ""
        gdb.write(text)


# --- connecting ----------------------------------------------------------------

class ConnectQemu(gdb.Command):
    """Attach to QEMU's own gdbstub: connect-qemu [[host:]port]  (default :1234, -s)"""

    def __init__(self):
        super().__init__("connect-qemu", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        where = arg.strip() or "localhost:1234"
        if ":" not in where:
            where = "localhost:" + where
        gdb.execute("target remote " + where, from_tty)


class ConnectSerial(gdb.Command):
    """Attach to triage's stub: connect-serial [dev|host:port]  (default /dev/ttyUSB0)
A device gets `set serial baud` (115200, or $triage_baud); host:port is a TCP
serial port (QEMU -serial tcp:...). remotetimeout is raised to 10 s."""

    def __init__(self):
        super().__init__("connect-serial", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        where = arg.strip() or "/dev/ttyUSB0"
        gdb.execute("set remotetimeout 10")
        if where.startswith("/") or not (":" in where):
            baud = 115200
            try:
                v = gdb.parse_and_eval("$triage_baud")
                if v.type.code != gdb.TYPE_CODE_VOID:
                    baud = int(v)
            except gdb.error:
                pass
            gdb.execute("set serial baud %d" % baud)
        gdb.execute("target remote " + where, from_tty)
        gdb.execute("kcache on")


# --- GDB's memory cache over a slow line ------------------------------------------

USER_HALF_END = 0x0000800000000000  # kernel/debug/gdb_kernel.c: each process's own
# Bytes per `m` read through the cache. Measured on the paced link (bench/
# gdb_bench.py --paced, 1 ms): a stepi reads one stack line per stop, so
# it costs 408 wire bytes with 128-byte lines, 325 with 64, 292 with 32;
# x/4096xb costs 1.77, 1.99 and 2.43 wire bytes a byte. 64 is the
# smallest line that keeps x/4096xb under 2.2.
DCACHE_LINE = 64


def mem_regions():
    """[(lo, hi, mode)] from `info mem` (the target's memory map)."""
    out = gdb.execute("info mem", to_string=True)
    regs = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5 and f[0].isdigit() and f[2].startswith("0x"):
            mode = f[4] if f[4] in ("rw", "ro", "wo") else "rw"
            regs.append((int(f[2], 16), int(f[3], 16), mode))
    return regs


class KCache(gdb.Command):
    """GDB's memory cache for kernel RAM while stopped: kcache [on|off]
on (what connect-serial does): the stub's memory map (qXfer:memory-map:read,
RAM only) becomes user regions with the `cache` attribute, read in lines of
64 bytes: `x/4096xb` costs 64 packets instead of 4096. The user half stays
uncached (each process's own: a thread switch changes it); device memory is
not in the map, so it stays uncached and inaccessible. Breakpoints stay
inserted while stopped (always-inserted), so a stepi does not remove and
re-insert them. GDB drops the cache whenever the target resumes: no read
crosses a stop. off: `mem auto` (the target's map, no cache), GDB's
breakpoint default back."""

    def __init__(self):
        super().__init__("kcache", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        arg = arg.strip() or "on"
        if arg not in ("on", "off"):
            raise gdb.GdbError("kcache: say `kcache on` or `kcache off`")
        gdb.execute("mem auto")
        gdb.execute("set breakpoint always-inserted %s" % arg)
        if arg == "off":
            return
        regs = mem_regions()
        if not regs:
            print("kcache: the target gave no memory map; nothing cached")
            return
        gdb.execute("set dcache line-size %d" % DCACHE_LINE)
        gdb.execute("delete mem")
        for lo, hi, mode in regs:
            gdb.execute("mem 0x%x 0x%x %s %s" % (
                lo, hi, mode, "nocache" if hi <= USER_HALF_END else "cache"))


for cls in (KIdt, KPt, KMem, KFaults, KDmesg, ConnectQemu, ConnectSerial,
            KCache):
    cls()
