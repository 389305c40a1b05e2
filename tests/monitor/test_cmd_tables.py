"""Monitor table commands (idt, gdt, tss) and the fault history (faults),
checked against the raw tables read through QEMU's own monitor (`x` at the
bases `info registers` reports) and decoded here, independently."""
import bisect
import re
import struct
import subprocess

from monitor_util import hmp_reg
from triage_qemu import ELF

HEX = r"([0-9a-f]+)"


def hmp_table(info, name):
    """(base, limit) of 'GDT=     ffffffff80019040 00000037'."""
    m = re.search(r"^%s=\s*%s %s" % (name, HEX, HEX), info, re.M)
    assert m, "no %s= in:\n%s" % (name, info)
    return int(m.group(1), 16), int(m.group(2), 16)


def hmp_seg(info, name):
    """(selector, base, limit) of 'TR =0028 ffffffff8001d000 00000067 ...'."""
    m = re.search(r"^%s\s*=%s %s %s" % (name, HEX, HEX, HEX), info, re.M)
    assert m, "no %s in:\n%s" % (name, info)
    return tuple(int(g, 16) for g in m.groups())


def read_mem(q, addr, size):
    """size bytes of guest virtual memory through QEMU's `x`, as bytes."""
    assert size % 8 == 0
    out = q.hmp("x /%dgx 0x%x" % (size // 8, addr))
    words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{16})", out)]
    assert len(words) == size // 8, out
    return struct.pack("<%dQ" % len(words), *words)


class Symbols:
    """The kernel ELF's symbols (nm -n): an independent symbolizer."""

    def __init__(self):
        out = subprocess.run(["nm", "-n", ELF], check=True, text=True,
                             capture_output=True).stdout
        self.syms = {}
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3:
                self.syms.setdefault(p[2], int(p[0], 16))
        self.text = sorted((a, n) for n, a in self.syms.items()
                           if a >= 0xffffffff80000000 and not n.startswith("."))
        self.addrs = [a for a, _ in self.text]

    def names_at(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        start = self.addrs[i]
        return {n for a, n in self.text if a == start}, start


def monitor(qemu, cmdline="debug=monitor"):
    q = qemu(cmdline=cmdline)
    q.wait_prompt()
    q.cmd("pager 0")
    return q


# ---- idt

def decode_gate(raw):
    """A 16-byte long-mode gate (SDM vol. 3A, fig. 6-8)."""
    lo, hi = struct.unpack("<QQ", raw)
    return {
        "handler": (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | (hi & 0xffffffff) << 32,
        "selector": (lo >> 16) & 0xffff,
        "ist": (lo >> 32) & 7,
        "type": (lo >> 40) & 0xf,
        "dpl": (lo >> 45) & 3,
        "present": bool(lo >> 47 & 1),
    }


IDT_LINE = re.compile(
    r"^\s*(\d+) (\S*)\s+(interrupt|trap|invalid)\s+(\d)\s+(\d)\s+([P-]) "
    r"0x([0-9a-f]{4}) 0x([0-9a-f]{16})(?: <(\w+)\+0x([0-9a-f]+)>)?(.*)$", re.M)


def parse_idt(out):
    gates = {}
    for m in IDT_LINE.finditer(out):
        gates[int(m.group(1))] = {
            "type": {"interrupt": 0xe, "trap": 0xf}.get(m.group(3)),
            "dpl": int(m.group(4)), "ist": int(m.group(5)),
            "present": m.group(6) == "P", "selector": int(m.group(7), 16),
            "handler": int(m.group(8), 16), "sym": m.group(9),
            "off": int(m.group(10), 16) if m.group(10) else None,
            "flags": m.group(11)}
    return gates


def check_idt_against_raw(q, out, first, count):
    base, limit = hmp_table(q.hmp("info registers"), "IDT")
    head = re.search(r"IDT base 0x([0-9a-f]{16}) limit 0x%s" % HEX, out)
    assert head and (int(head.group(1), 16), int(head.group(2), 16)) == (base, limit), out
    raw = read_mem(q, base + 16 * first, 16 * count)
    gates = parse_idt(out)
    assert sorted(gates) == list(range(first, first + count)), out
    syms = Symbols()
    text = (syms.syms["_text_start"], syms.syms["_text_end"])
    for i, v in enumerate(range(first, first + count)):
        want, got = decode_gate(raw[16 * i:16 * i + 16]), gates[v]
        for key in ("handler", "selector", "ist", "dpl", "present"):
            assert got[key] == want[key], (v, key, got, want)
        if want["type"] in (0xe, 0xf):
            assert got["type"] == want["type"], (v, got, want)
        else:
            assert "!type" in got["flags"], (v, got)
        assert ("!not present" in got["flags"]) == (not want["present"]), (v, got)
        outside = not text[0] <= want["handler"] < text[1]
        assert ("!outside kernel text" in got["flags"]) == outside, (v, got)
        if not outside:
            names, start = syms.names_at(want["handler"])
            assert got["sym"] in names and got["off"] == want["handler"] - start, (v, got, names)
    return gates


def test_idt_matches_raw_idt(qemu):
    q = monitor(qemu)
    out = q.cmd("idt 0 256")
    gates = check_idt_against_raw(q, out, 0, 256)
    assert gates[8]["ist"] != 0 and gates[3]["dpl"] == 3  # #DF on IST, int3 from ring 3
    assert "suspicious" not in out, out
    # One vector, then Enter continues with the next.
    one = q.cmd("idt 14")
    assert list(parse_idt(one)) == [14] and "#PF" in one, one
    assert list(parse_idt(q.cmd(""))) == [15]
    check_idt_against_raw(q, q.cmd("idt 250 100"), 250, 6)  # clipped at 255
    assert "vector 256 is out of range" in q.cmd("idt 256")
    assert "count 0 is out of range" in q.cmd("idt 0 0")
    assert "bad number" in q.cmd("idt 0x1q")


def test_idt_flags_a_not_present_gate(qemu):
    """test=bad_idt clears a gate's present bit and jumps through it (#NP);
    `idt` must mark exactly the gates the raw IDT says are not present."""
    q = qemu(cmdline="test=bad_idt debug=monitor")
    q.expect(r"#NP segment not present")
    q.wait_prompt()
    q.cmd("pager 0")
    out = q.cmd("idt")
    gates = check_idt_against_raw(q, out, 0, 256)
    absent = [v for v, g in gates.items() if not g["present"]]
    assert len(absent) == 1, out
    assert re.search(r"^\s*%d .* !not present" % absent[0], out, re.M), out
    assert "1 suspicious gate (marked !)" in out, out


# ---- gdt

def decode_desc(raw, i):
    """Slot i of the raw GDT (SDM vol. 3A, 3.4.5 and table 3-2)."""
    d = struct.unpack_from("<Q", raw, 8 * i)[0]
    e = {"raw": d, "type": (d >> 40) & 0xf, "s": bool(d >> 44 & 1),
         "dpl": (d >> 45) & 3, "p": (d >> 47) & 1, "l": (d >> 53) & 1,
         "db": (d >> 54) & 1, "g": (d >> 55) & 1, "avl": (d >> 52) & 1,
         "base": ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24,
         "limit": (d & 0xffff) | ((d >> 48) & 0xf) << 16, "slots": 1}
    if not e["s"] and e["type"] in (0x2, 0x9, 0xb, 0xc) and 8 * i + 16 <= len(raw):
        e["base"] |= (struct.unpack_from("<Q", raw, 8 * i + 8)[0] & 0xffffffff) << 32
        e["slots"] = 2
    return e


GDT_ENTRY = re.compile(r"^0x([0-9a-f]{2,4})  (\S+)(.*)\n(?:\s+base=0x([0-9a-f]+) limit=0x([0-9a-f]+))?", re.M)


def test_gdt_matches_raw_gdt(qemu):
    q = monitor(qemu)
    out = q.cmd("gdt")
    info = q.hmp("info registers")
    base, limit = hmp_table(info, "GDT")
    assert re.search(r"GDT base 0x%016x limit 0x%x " % (base, limit), out), out
    raw = read_mem(q, base, (limit + 1 + 7) // 8 * 8)
    shown = {int(m.group(1), 16): m for m in GDT_ENTRY.finditer(out)}
    i, seen = 0, []
    while 8 * i <= limit:
        want, sel = decode_desc(raw, i), 8 * i
        assert sel in shown, "selector 0x%x missing:\n%s" % (sel, out)
        m = shown[sel]
        seen.append(sel)
        if want["raw"] == 0:
            assert m.group(2) == "null", out
            i += 1
            continue
        fields = dict(re.findall(r"(\w+)=(?:0x)?([0-9a-f]+)", m.group(3)))
        assert int(fields["type"], 16) == want["type"], (sel, out)
        for k in ("dpl", "p", "g"):
            assert int(fields[k]) == want[k], (sel, k, out)
        if want["s"]:
            kind = "data" if not want["type"] & 8 else ("code64" if want["l"] else "code32")
            assert m.group(2) == kind, (sel, out)
            assert int(fields["l"]) == want["l"] and int(fields["db"]) == want["db"]
        else:
            assert m.group(2) == {0x9: "tss", 0xb: "tss", 0x2: "ldt"}.get(want["type"], "system")
        assert int(m.group(4), 16) == want["base"], (sel, out)
        assert int(m.group(5), 16) == want["limit"], (sel, out)
        i += want["slots"]
    assert sorted(shown) == seen, out
    # The loaded selectors are marked; TR's descriptor is a busy TSS.
    tr, tr_base, tr_limit = hmp_seg(info, "TR")
    cs = hmp_seg(info, "CS")[0]
    assert "[TR]" in shown[tr & ~7].group(3) and "busy" in shown[tr & ~7].group(3)
    assert int(shown[tr & ~7].group(4), 16) == tr_base
    assert "[CS]" in shown[cs & ~7].group(3)


# ---- tss

def test_tss_matches_raw_tss(qemu):
    q = monitor(qemu)
    out = q.cmd("tss")
    info = q.hmp("info registers")
    tr, base, limit = hmp_seg(info, "TR")
    assert re.search(r"TR 0x%x: TSS at 0x%016x limit 0x%x \(64-bit TSS, busy\)"
                     % (tr, base, limit), out), out
    raw = read_mem(q, base, 104)  # SDM vol. 3A, fig. 8-11
    rsp = struct.unpack_from("<3Q", raw, 4)
    ist = struct.unpack_from("<7Q", raw, 36)
    iomap = struct.unpack_from("<H", raw, 102)[0]
    for i, v in enumerate(rsp):
        assert re.search(r"^RSP%d 0x%016x" % (i, v), out, re.M), (i, out)
    idt = parse_idt(q.cmd("idt 0 256"))
    for n, v in enumerate(ist, 1):
        line = re.search(r"^IST%d 0x([0-9a-f]{16})(.*)$" % n, out, re.M)
        assert line and int(line.group(1), 16) == v, (n, out)
        users = sorted(vec for vec, g in idt.items() if g["ist"] == n)
        listed = re.search(r"used by vector ([\d ,()#A-Za-z]+)", line.group(2))
        got = [int(x) for x in re.findall(r"(\d+)", listed.group(1))] if listed else []
        assert got == users, (n, line.group(0), users)
        if v == 0:
            assert "(unused)" in line.group(2)
    assert re.search(r"^I/O map base 0x%x" % iomap, out, re.M), out
    assert iomap > limit and "no I/O permission bitmap" in out
    # The #DF gate's stack is the one registered as the double-fault stack.
    df = re.search(r"^IST%d .*top of the (.*) stack" % idt[8]["ist"], out, re.M)
    assert df and "double fault" in df.group(1), out


# ---- faults

def test_faults_after_breakpoint_and_gp(qemu):
    q = monitor(qemu, cmdline="test=breakpoint debug=monitor")
    info = q.hmp("info registers")
    out = q.cmd("faults")
    recs = re.findall(r"^#(\d+)\s+vector\s+(\d+) (\S+)\s+error 0x([0-9a-f]+)\s+"
                      r"rip 0x([0-9a-f]{16})(?: <(\w+)\+0x([0-9a-f]+)>)?\n"
                      r"\s+rsp 0x([0-9a-f]{16}) cr2 0x([0-9a-f]{16}) cr3 0x([0-9a-f]+)",
                      out, re.M)
    assert recs, out
    seq, vec, mnem, err, rip, sym, off, rsp, cr2, cr3 = recs[0]
    assert (int(vec), mnem, int(err, 16)) == (3, "#BP", 0), out
    rip = int(rip, 16)
    assert re.search(r"0xcc\b", q.hmp("x /1bx 0x%x" % (rip - 1))), "no int3 before 0x%x" % rip
    names, start = Symbols().names_at(rip)
    assert sym in names and int(off, 16) == rip - start, (out, names)
    assert int(cr3, 16) == hmp_reg(info, "CR3")
    # The trap frame's RSP is the one logged.
    regs = q.cmd("regs")
    assert int(re.search(r"RSP ([0-9a-f]{16})", regs).group(1), 16) == int(rsp, 16)
    # A caught #GP becomes the newest record, with a TSC delta.
    q.cmd("wrmsr 0x6e1 0x100000000")
    out = q.cmd("faults")
    first = re.search(r"^#(\d+)\s+vector 13 #GP .*\n.* \+(\d+) cycles$", out, re.M)
    assert first and int(first.group(1)) == int(seq) + 1, out
    assert out.index("vector 13") < out.index("vector  3"), out  # newest first
    assert "count 65 is out of range" in q.cmd("faults 65")
    assert len(re.findall(r"^#\d+", q.cmd("faults 1"), re.M)) == 1


def test_safe_commands_after_double_fault(qemu):
    """A kernel stack overflow double-faults; the table and register
    commands still work there, and the history shows the #DF."""
    q = qemu(cmdline="test=stack_overflow debug=monitor")
    q.expect(r"#DF double fault")
    q.wait_prompt()
    q.cmd("pager 0")
    for cmd in ("regs", "cr", "idt 8", "gdt", "tss", "irq", "cpuid", "ticks"):
        out = q.cmd(cmd)
        assert "not safe after a double fault" not in out, (cmd, out)
        assert out.strip(), cmd
    out = q.cmd("faults")
    assert re.search(r"^#\d+\s+vector  8 #DF .*<recurse\+0x", out, re.M), out
    assert "not safe after a double fault" in q.cmd("rdmsr 0x10")
