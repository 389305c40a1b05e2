"""Monitor CPU commands (regs, cr, cpuid, rdmsr/wrmsr, in/out, irq, ticks)
checked against QEMU's own view of the same guest: `info registers`, the
`-d int` log of the CPU state at the exception, `qom-get` of the CPU model's
properties, and `info pic`."""
import bisect
import re
import subprocess
import time

import pytest

from monitor_util import hmp_reg
from triage_qemu import ELF

HEX = r"([0-9a-f]+)"

# Bit names as the SDM defines them (vol. 3A 2.5 for CR0/CR4, table 2-1
# for EFER), written down here independently of the kernel's tables.
CR0_BITS = {0: "PE", 1: "MP", 2: "EM", 3: "TS", 4: "ET", 5: "NE", 16: "WP",
            18: "AM", 29: "NW", 30: "CD", 31: "PG"}
CR4_BITS = {0: "VME", 1: "PVI", 2: "TSD", 3: "DE", 4: "PSE", 5: "PAE",
            6: "MCE", 7: "PGE", 8: "PCE", 9: "OSFXSR", 10: "OSXMMEXCPT",
            11: "UMIP", 12: "LA57", 13: "VMXE", 14: "SMXE", 16: "FSGSBASE",
            17: "PCIDE", 18: "OSXSAVE", 20: "SMEP", 21: "SMAP", 22: "PKE"}
EFER_BITS = {0: "SCE", 8: "LME", 10: "LMA", 11: "NXE"}
RFLAGS_BITS = {0: "CF", 2: "PF", 4: "AF", 6: "ZF", 7: "SF", 8: "TF",
               9: "IF", 10: "DF", 11: "OF", 14: "NT", 16: "RF", 18: "AC",
               21: "ID"}


def hmp_seg(info, name):
    """(selector, base) of a segment line like 'FS =0000 0000000000000000'."""
    m = re.search(r"^%s\s*=%s %s" % (name, HEX, HEX), info, re.M)
    assert m, "no %s segment in:\n%s" % (name, info)
    return int(m.group(1), 16), int(m.group(2), 16)


def mon_reg(out, name):
    """A 'NAME 0123abcd' value printed by the monitor."""
    m = re.search(r"(?:^|\s)%s\s+%s\b" % (re.escape(name), HEX), out, re.M)
    assert m, "no %s in monitor output:\n%s" % (name, out)
    return int(m.group(1), 16)


def decoded(out, name):
    """The set of bit names in 'NAME value [ A B C ]'."""
    m = re.search(r"^%s\s+[0-9a-f]+ \[([^\]]*)\]" % name, out, re.M)
    assert m, "no decoded %s in:\n%s" % (name, out)
    return set(m.group(1).split())


def names_of(value, table):
    return {n for bit, n in table.items() if value >> bit & 1}


class Symbols:
    """The kernel ELF's text symbols (nm -n): an independent symbolizer."""

    def __init__(self):
        out = subprocess.run(["nm", "-n", ELF], check=True, text=True,
                             capture_output=True).stdout
        self.syms = []
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "Tt":
                self.syms.append((int(p[0], 16), p[2]))
        self.addrs = [a for a, _ in self.syms]

    def names_at(self, addr):
        """Names of the symbol(s) containing addr (aliases included)."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        assert i >= 0, "0x%x below every symbol" % addr
        start = self.addrs[i]
        return {n for a, n in self.syms if a == start}, start


def monitor(qemu, **kw):
    q = qemu(**kw)
    q.wait_prompt()
    q.cmd("pager 0")
    return q


def test_cr_matches_qemu_info_registers(qemu):
    q = monitor(qemu, cmdline="debug=monitor")
    out = q.cmd("cr")
    info = q.hmp("info registers")
    for reg in ("CR0", "CR2", "CR3", "CR4", "EFER"):
        assert mon_reg(out, reg) == hmp_reg(info, reg), (reg, out, info)
    assert decoded(out, "CR0") == names_of(hmp_reg(info, "CR0"), CR0_BITS)
    assert decoded(out, "CR4") == names_of(hmp_reg(info, "CR4"), CR4_BITS)
    assert decoded(out, "EFER") == names_of(hmp_reg(info, "EFER"), EFER_BITS)
    assert {"PE", "PG"} <= decoded(out, "CR0")  # long mode needs both
    assert re.search(r"CR3\s+[0-9a-f]{16} \(PML4 at phys 0x%x" %
                     (hmp_reg(info, "CR3") & ~0xfff), out), out
    assert re.search(r"^CR8\s+[0-9a-f]{16}", out, re.M), out


def int3_state(log_path):
    """QEMU's CPU dump at the (last) int3: the registers it was taken with."""
    with open(log_path) as f:
        log = f.read()
    starts = [m.start() for m in re.finditer(r"^\s*\d+: v=03 e=", log, re.M)]
    assert starts, "no int3 (v=03) in QEMU's -d int log"
    block = log[starts[-1]:]
    end = block.find("\nEFER=")
    return block[:end if end > 0 else len(block)]


def test_regs_equal_cpu_state_at_int3(qemu, tmp_path):
    """test=breakpoint stops on a compiled-in int3. QEMU's -d int log holds
    the CPU state the exception was taken with: every general register,
    RSP and RFLAGS must equal the trap frame `regs` prints, RIP must be just
    past the int3 (0xcc in memory) and symbolised as nm says."""
    log = str(tmp_path / "int.log")
    q = monitor(qemu, cmdline="test=breakpoint debug=monitor",
                extra=("-d", "int", "-D", log))
    out = q.cmd("regs")
    live = q.hmp("info registers")
    at_int3 = int3_state(log)
    for r in ("RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
              "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"):
        assert mon_reg(out, r) == hmp_reg(at_int3, r), (r, out, at_int3)
    rflags = mon_reg(out, "RFLAGS")
    assert rflags == hmp_reg(at_int3, "RFL"), (out, at_int3)
    assert decoded(out, "RFLAGS") == names_of(rflags, RFLAGS_BITS)
    rip = mon_reg(out, "RIP")
    assert rip == hmp_reg(at_int3, "RIP") + 1, (out, at_int3)
    assert re.search(r"0xcc\b", q.hmp("x /1bx 0x%x" % (rip - 1))), \
        "no int3 byte before RIP 0x%x" % rip
    names, start = Symbols().names_at(rip - 1)
    m = re.search(r"^RIP [0-9a-f]{16} <(\w+)\+0x%s>" % HEX, out, re.M)
    assert m and m.group(1) in names and int(m.group(2), 16) == rip - start, \
        (out, names)
    # Segments: CS/SS from the frame, DS/ES/FS/GS and bases live.
    assert mon_reg(out, "CS") == hmp_seg(at_int3, "CS")[0]
    assert mon_reg(out, "SS") == hmp_seg(at_int3, "SS")[0]
    for seg in ("DS", "ES", "FS", "GS"):
        assert mon_reg(out, seg) == hmp_seg(live, seg)[0], (seg, out, live)
    assert mon_reg(out, "FS_BASE") == hmp_seg(live, "FS")[1]
    assert mon_reg(out, "GS_BASE") == hmp_seg(live, "GS")[1]
    assert re.search(r"vector 3: #BP breakpoint, error 0x0", out), out


def cpu_prop(q, prop):
    """A property of the guest's CPU object from QEMU (None if unknown)."""
    out = q.hmp("qom-get /machine/unattached/device[0] %s" % prop).strip()
    if out.startswith("Error"):
        return None
    return out.strip('"')


@pytest.mark.parametrize("cpu", ["qemu64", "max"])
def test_cpuid_matches_qemu_cpu_model(qemu, cpu):
    q = monitor(qemu, cmdline="debug=monitor", cpu=cpu)
    out = q.cmd("cpuid")
    vendor = re.search(r"^vendor (\S+),", out, re.M)
    assert vendor and vendor.group(1) == cpu_prop(q, "vendor"), out
    brand = re.search(r'^brand "(.*)"', out, re.M)
    assert brand and brand.group(1) == cpu_prop(q, "model-id").strip(), out
    m = re.search(r"^family (\d+) model (\d+) stepping (\d+)", out, re.M)
    assert m, out
    for i, prop in enumerate(("family", "model", "stepping")):
        assert int(m.group(i + 1)) == int(cpu_prop(q, prop)), (prop, out)
    flags = dict((name, sign == "+") for sign, name in
                 re.findall(r"(?<!\S)([+-])([a-z0-9.-]+)", out.split(
                     "features", 1)[1]))
    for must in ("nx", "pdpe1gb", "smep", "smap", "pcid", "x2apic", "lm"):
        assert must in flags, "feature %s not in the summary:\n%s" % (must, out)
    checked = 0
    for name, has in flags.items():
        prop = cpu_prop(q, name)
        if prop is None:
            continue
        assert has == (prop == "true"), "%s: monitor %s, QEMU %s\n%s" % (
            name, has, prop, out)
        checked += 1
    assert checked >= 30, out
    if cpu == "qemu64":  # the model QEMU documents: NX, no 1 GiB pages
        assert flags["nx"] and not flags["pdpe1gb"], out


def test_cpuid_raw_leaf_and_bad_leaf(qemu):
    q = monitor(qemu, cmdline="debug=monitor", cpu="qemu64")
    out = q.cmd("cpuid 0")
    m = re.search(r"leaf 0x0 sub 0x0: eax 0x%s ebx 0x%s ecx 0x%s edx 0x%s"
                  % (HEX, HEX, HEX, HEX), out)
    assert m, out
    vendor = b"".join(int(m.group(i), 16).to_bytes(4, "little")
                      for i in (2, 4, 3)).decode()
    assert vendor == cpu_prop(q, "vendor")
    max_leaf = int(m.group(1), 16)
    out = q.cmd("cpuid 0x%x" % (max_leaf + 1))
    assert "is not supported" in out and "max leaf 0x%x" % max_leaf in out
    assert "bad number" in q.cmd("cpuid 0xzz")
    assert "out of range" in q.cmd("cpuid 0x100000000")


def test_rdmsr_wrmsr(qemu):
    q = monitor(qemu, cmdline="debug=monitor")
    info = q.hmp("info registers")
    out = q.cmd("rdmsr 0xc0000080")
    m = re.search(r"MSR 0xc0000080 \(IA32_EFER\) = 0x([0-9a-f]{16})", out)
    assert m and int(m.group(1), 16) == hmp_reg(info, "EFER"), (out, info)
    # A nonexistent MSR: real CPUs raise #GP (caught); QEMU's TCG reads 0.
    out = q.cmd("rdmsr 0x12345678")
    assert re.search(r"rdmsr: MSR 0x12345678 does not exist \(#GP\)|"
                     r"MSR 0x12345678 = 0x[0-9a-f]{16}", out), out
    # FS_BASE round trip, checked in QEMU's register view.
    out = q.cmd("wrmsr 0xc0000100 0x12345000")
    assert "MSR 0xc0000100 (FS_BASE) = 0x0000000012345000" in out, out
    assert hmp_seg(q.hmp("info registers"), "FS")[1] == 0x12345000
    q.cmd("wrmsr 0xc0000100 0")
    assert hmp_seg(q.hmp("info registers"), "FS")[1] == 0
    # IA32_PKRS (0x6e1) with reserved bits 63:32 set: #GP even under TCG.
    # The fault is caught, reported, logged, and the monitor goes on.
    out = q.cmd("wrmsr 0x6e1 0x100000000")
    assert "wrmsr: MSR 0x6e1 refused 0x100000000 (#GP)" in out, out
    assert re.search(r"^#\d+\s+vector 13 #GP", q.cmd("faults 1"), re.M)
    assert "out of range" in q.cmd("rdmsr 0x1_0000_0000")
    assert "bad number" in q.cmd("rdmsr 0xg")
    assert "usage: wrmsr" in q.cmd("wrmsr 0x10")
    assert "still-here" in q.cmd("echo still-here")


def pic_imr(q):
    """QEMU's 8259 interrupt mask registers (master, slave)."""
    text = q.hmp("info pic")
    master = re.search(r"pic0: .*imr=%s" % HEX, text)
    slave = re.search(r"pic1: .*imr=%s" % HEX, text)
    assert master and slave, text
    return int(master.group(1), 16), int(slave.group(1), 16)


def test_ports_irq_and_ticks(qemu):
    q = monitor(qemu, cmdline="debug=monitor hz=250")
    master, slave = pic_imr(q)
    irq = q.cmd("irq")
    m = re.search(r"master 0x%s slave 0x%s" % (HEX, HEX), irq)
    assert m and (int(m.group(1), 16), int(m.group(2), 16)) == (master, slave), irq
    assert "port 0x21: 0x%02x" % master in q.cmd("inb 0x21")
    assert "port 0xa1: 0x%02x" % slave in q.cmd("inb 0xa1")
    assert "IRQ0(timer)" in irq and not master & 1
    # outb really writes: mask IRQ3 (COM2, unused), see it in QEMU, undo.
    q.cmd("outb 0x21 0x%x" % (master | 0x08))
    assert pic_imr(q)[0] == master | 0x08
    q.cmd("outb 0x21 0x%x" % master)
    assert pic_imr(q)[0] == master
    assert re.search(r"port 0x21: 0x[0-9a-f]{4}\n", q.cmd("inw 0x21"))
    assert re.search(r"port 0xcf8: 0x[0-9a-f]{8}\n", q.cmd("inl 0xcf8"))
    assert "out of range" in q.cmd("inb 0x10000")
    assert "out of range" in q.cmd("outb 0x80 0x100")
    assert "out of range" in q.cmd("outw 0x80 0x10000")

    def ticks():
        out = q.cmd("ticks")
        m = re.search(r"ticks (\d+) at (\d+) Hz, uptime (\d+)\.(\d{3}) s", out)
        assert m, out
        n, hz = int(m.group(1)), int(m.group(2))
        assert hz == 250
        assert int(m.group(3)) * 1000 + int(m.group(4)) == n * 1000 // hz
        return n

    t1 = ticks()
    assert ticks() == t1  # stopped: interrupts are off
    q.send("c\r")
    q.expect("resuming")
    time.sleep(0.5)
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    t2 = ticks()
    assert t2 > t1, (t1, t2)
    irq = q.cmd("irq")
    timer = re.search(r"^\s*32 0x20\s+(\d+)  IRQ0 timer", irq, re.M)
    assert timer and int(timer.group(1)) >= t2 - t1, irq
    assert re.search(r"^\s*36 0x24\s+[1-9]\d*  IRQ4 COM1", irq, re.M), irq
