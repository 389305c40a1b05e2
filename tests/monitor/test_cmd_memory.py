"""Monitor memory commands (x, w, bt) and allocator commands (mem, heap, memmap),
checked against QEMU's own monitor and the symbol table."""
import re
import subprocess

import pytest

from monitor_util import boot, eval_addr
from triage_qemu import ELF

NONCANONICAL = 0x0000800000000000 + 0x1234  # bit 47 clear, bit 48 set: never valid
PAGE = 4096
ERR_UNMAPPED = r"x: address 0x%x not mapped at (PML4|PDPT|PD|PT) level \(entry 0x[0-9a-f]+\)"


def dump_bytes(out):
    """Bytes of an `x` dump (any width) with the address of its first line."""
    data, first = b"", None
    for l in out.strip().split("\n"):
        m = re.match(r"([0-9a-f]{16}):((?: [0-9a-f ]+?))  \|.*\|$", l)
        assert m, (l, out)
        first = int(m.group(1), 16) if first is None else first
        for unit in m.group(2).split():
            data += int(unit, 16).to_bytes(len(unit) // 2, "little")
    return first, data


def qemu_bytes(q, va, n, phys=False):
    """n bytes at va as QEMU's monitor reads them (x, or xp for physical)."""
    out = q.hmp("%s /%dxb 0x%x" % ("xp" if phys else "x", n, va))
    return bytes(int(b, 16) for l in out.strip().split("\n") if ":" in l
                 for b in l.split(":", 1)[1].split())


def gva2gpa(q, va):
    m = re.search(r"gpa: 0x([0-9a-f]+)", q.hmp("gva2gpa 0x%x" % va))
    assert m
    return int(m.group(1), 16)


def unmapped_gap(q):
    """An address in the upper half just past a mapped range, not mapped."""
    rs = [tuple(int(x, 16) for x in re.match(r"(\w+)-(\w+)", l).groups())
          for l in q.cmd("vmmap").strip().split("\n")]
    starts = {s for s, _ in rs}
    for _, e in rs:
        if e not in starts and e & (1 << 63):
            return e
    raise AssertionError(rs)


# ---- x ----

def test_x_matches_qemu_bytes(qemu):
    q = boot(qemu)
    va = eval_addr(q, "kmain")
    first, data = dump_bytes(q.cmd("x kmain 100"))
    assert first == va and len(data) == 100
    assert data == qemu_bytes(q, va, 100)
    # other widths show the same bytes as little-endian units
    for w, digits in (("w", 4), ("d", 8), ("q", 16)):
        out = q.cmd("x /%s kmain 64" % w)
        assert re.search(r": [0-9a-f]{%d} " % digits, out), out
        assert dump_bytes(out)[1] == data[:64], (w, out)
        assert q.cmd("x %s kmain 64" % w) == out  # the word form
    # default length 128, and the direct map shows the same bytes
    assert len(dump_bytes(q.cmd("x kmain"))[1]) == 128
    dm = eval_addr(q, "0xffff800000000000 + 0x%x" % gva2gpa(q, va))
    assert dump_bytes(q.cmd("x 0x%x 64" % dm))[1] == data[:64]
    assert qemu_bytes(q, gva2gpa(q, va), 64, phys=True) == data[:64]


def test_x_empty_line_continues(qemu):
    q = boot(qemu)
    va = eval_addr(q, "kmain")
    a, d1 = dump_bytes(q.cmd("x /q kmain 32"))
    b, d2 = dump_bytes(q.cmd(""))
    c, d3 = dump_bytes(q.cmd(""))
    assert (a, b, c) == (va, va + 32, va + 64)
    assert d1 + d2 + d3 == qemu_bytes(q, va, 96)


def test_x_slash_suffix(qemu):
    q = boot(qemu)
    assert q.cmd("x/q kmain 32") == q.cmd("x /q kmain 32")
    assert "takes no /suffix" in q.cmd("echo/q hi")


def test_x_unmapped_and_noncanonical_are_reported(qemu):
    q = boot(qemu)
    gap = unmapped_gap(q)
    out = q.cmd("x 0x%x" % gap)
    assert re.fullmatch(ERR_UNMAPPED % gap + r"\n", out), out
    # a dump running off the end of a mapping shows what it can, then why
    out = q.cmd("x 0x%x 64" % (gap - 32))
    first, data = dump_bytes("\n".join(out.strip().split("\n")[:2]))
    assert first == gap - 32 and len(data) == 32
    assert re.search(ERR_UNMAPPED % gap, out), out
    out = q.cmd("x 0x%x" % NONCANONICAL)
    assert "x: address 0x%x is not canonical" % NONCANONICAL in out, out
    assert re.search(ERR_UNMAPPED % 0, q.cmd("x 0")), "null page must be unmapped"
    assert "usage: x" in q.cmd("x")
    assert "x: unknown width '/z'" in q.cmd("x /z kmain")
    assert "w: unknown width '/y'" in q.cmd("w /y kmain 1")
    assert "out of range" in q.cmd("x kmain 0")
    assert "alive" in q.cmd("echo alive")


# ---- w ----

def test_w_writes_and_qemu_sees_it(qemu):
    q = boot(qemu)
    va = eval_addr(q, "kmain")  # kernel text: read-only, patched via the direct map
    orig = qemu_bytes(q, va, 16)
    out = q.cmd("w /q kmain 0x1122334455667788")
    assert re.search(r"0x%s -> 0x1122334455667788" % orig[:8][::-1].hex(), out), out
    out = q.cmd("w d kmain+8 0xcafef00d")
    assert "-> 0xcafef00d" in out, out
    q.cmd("w /w kmain+12 0xbeef")
    q.cmd("w kmain+14 0x5a")
    want = bytes.fromhex("8877665544332211") + bytes.fromhex("0df0feca") + \
        bytes.fromhex("efbe") + b"\x5a" + orig[15:]
    assert dump_bytes(q.cmd("x kmain 16"))[1] == want
    assert qemu_bytes(q, va, 16) == want
    assert qemu_bytes(q, gva2gpa(q, va), 16, phys=True) == want
    # put it back
    q.cmd("w q kmain 0x%s" % orig[:8][::-1].hex())
    q.cmd("w q kmain+8 0x%s" % orig[8:][::-1].hex())
    assert qemu_bytes(q, va, 16) == orig


def test_w_errors(qemu):
    q = boot(qemu)
    assert "does not fit in 1 byte" in q.cmd("w kmain 0x100")
    assert "does not fit in 2 bytes" in q.cmd("w /w kmain 0x10000")
    gap = unmapped_gap(q)
    out = q.cmd("w /q 0x%x 1" % gap)
    assert re.search(r"w: address 0x%x not mapped" % gap, out), out
    assert "not canonical" in q.cmd("w 0x%x 1" % NONCANONICAL)
    assert "usage: w" in q.cmd("w kmain")
    assert "alive" in q.cmd("echo alive")


# ---- bt ----

def symbols():
    """(address, name) of the booted kernel's text symbols, by nm."""
    out = []
    nm = subprocess.run(["nm", ELF], check=True, capture_output=True, text=True).stdout
    for l in nm.splitlines():
        addr, kind, name = (l.split() + ["", ""])[:3]
        if kind in "tTwW" and name:
            out.append((int(addr, 16), name))
    return sorted(out)


def symbol_of(syms, addr):
    best = None
    for a, n in syms:
        if a <= addr:
            best = n
        else:
            break
    return best


def test_bt_through_known_call_chain(qemu):
    q = boot(qemu, cmdline="test=breakpoint debug=monitor")
    out = q.cmd("bt")
    frames = re.findall(r"#(\d+) +0x([0-9a-f]{16}) <([\w.]+)\+0x[0-9a-f]+>", out)
    names = [f[2] for f in frames]
    chain = ["ktest_fn_breakpoint", "ktest_run", "kmain"]
    assert all(n in names for n in chain), out
    assert [names.index(n) for n in chain] == sorted(names.index(n) for n in chain), out
    assert [int(f[0]) for f in frames] == list(range(len(frames)))
    # the names agree with the linker's symbol table (nm of the booted ELF)
    syms = symbols()
    for _, addr, name in frames:
        assert symbol_of(syms, int(addr, 16)) == name, (addr, name)
    # and the saved return addresses are the ones QEMU reads on the stack
    rbp = eval_addr(q, "$rbp")
    raw = q.hmp("x /2xg 0x%x" % rbp).split(":")[1].split()
    assert int(raw[1], 16) in [int(f[1], 16) for f in frames], (raw, out)
    # bt from an explicit frame pointer: the same chain from that frame on
    out2 = q.cmd("bt $rbp")
    assert "ktest_run" in out2 and "kmain" in out2, out2


def test_bt_bad_frame_pointers(qemu):
    q = boot(qemu)
    assert "not 8-byte aligned" in q.cmd("bt 0x1234")
    gap = unmapped_gap(q)
    out = q.cmd("bt 0x%x" % gap)
    assert "cannot read the frame" in out and "not mapped at" in out, out
    assert "not canonical" in q.cmd("bt 0x%x" % (NONCANONICAL & ~7))
    assert "kmain" in q.cmd("bt")  # debug=monitor stops in kmain's call chain
    assert "alive" in q.cmd("echo alive")


# ---- mem, heap, memmap ----

def memmap(q):
    out = q.cmd("memmap")
    entries = [(int(a, 16), int(b, 16), t) for a, b, t in
               re.findall(r"0x([0-9a-f]{16}) 0x([0-9a-f]{16}) +[\d.]+ \w+ +(.+)", out)]
    assert entries, out
    return entries


def mem_stats(q):
    out = q.cmd("mem")
    st = {k: int(v) for k, v in re.findall(r"^  (\w+) +(\d+) pages", out, re.M)}
    blocks = [(int(o), int(n), int(p)) for o, n, p in
              re.findall(r"^ +(\d+) +[\d.]+ \w+ +(\d+) +(\d+)", out, re.M)]
    return out, st, blocks


@pytest.mark.parametrize("mem_mib", [128, 512])
def test_mem_totals_match_memory_size_and_map(qemu, mem_mib):
    q = boot(qemu, mem="%dM" % mem_mib)
    out, st, blocks = mem_stats(q)
    # total = whole pages of the available ranges in the boot memory map
    avail = sum((end + 1) // PAGE - (base + PAGE - 1) // PAGE
                for base, end, t in memmap(q) if t.strip() == "available")
    assert st["total"] == avail, out
    # ... which is -m minus the BIOS holes (under 1 MiB in all)
    assert mem_mib * 256 - 256 <= st["total"] <= mem_mib * 256, out
    assert st["usable"] == st["total"] - st["reserved"]
    assert st["allocated"] + st["free"] == st["usable"]
    assert [b[0] for b in blocks] == list(range(11)), out
    assert sum(n << o for o, n, _ in blocks) == st["free"]
    assert all(p == n << o for o, n, p in blocks)
    largest = max(o for o, n, _ in blocks if n)
    assert "largest free block: order %d" % largest in out
    assert re.search(r"fragmentation: \d+\.\d%", out)
    assert "#" * 40 in out  # the most common order has the full bar


def test_heap_lists_caches(qemu):
    q = boot(qemu)
    out = q.cmd("heap")
    rows = re.findall(r"^  ([\w-]+) +(\d+|pages) +(\d+|-) +(\d+) +(\d+|-) +(\d+|-) +(\d+)$",
                      out, re.M)
    names = [r[0] for r in rows]
    for n in ("kmalloc-16", "kmalloc-2048", "kmalloc-large"):
        assert n in names, out
    m = re.search(r"(\d+) caches, (\d+) objects in use", out)
    assert m and int(m.group(1)) == len(rows), out
    assert int(m.group(2)) == sum(int(r[3]) for r in rows)
    for r in rows:
        if r[2] != "-":
            assert int(r[6]) >= 0 and int(r[3]) + int(r[4]) == int(r[2]) * int(r[5]), r


def test_memmap_matches_boot_log(qemu):
    q = boot(qemu)
    boot_log = q.output()
    ents = memmap(q)
    for base, end, t in ents:
        assert "0x%016x 0x%016x" % (base, end) in boot_log
    assert any(t.strip() == "available" and base == 0x100000 for base, _, t in ents)


def test_after_double_fault(qemu):
    """A kernel stack overflow ends in a double fault: bt folds the
    recursion, and the memory commands marked safe still work."""
    q = boot(qemu, cmdline="test=stack_overflow debug=monitor")
    out = q.cmd("bt")
    assert re.search(r"<recurse\+0x[0-9a-f]+>\n +\.\.\. the same frame \d+ more times\n", out), out
    assert out.index("recurse") < out.index("ktest_run") < out.index("kmain"), out
    va = eval_addr(q, "kmain")
    assert dump_bytes(q.cmd("x kmain 32"))[1] == qemu_bytes(q, va, 32)
    assert "-> phys" in q.cmd("pt kmain")
    assert q.cmd("vmmap").strip().split("\n") == q.hmp("info mem").strip().split("\n")
    assert re.search(r"total +\d+ pages", q.cmd("mem"))
    assert "not safe after a double fault" in q.cmd("heap")
    # the guard page the stack ran into is reported, not touched
    out = q.cmd("x $rsp-0x100")
    assert re.search(r"x: address 0x[0-9a-f]+ not mapped at PT level", out), out


def test_x_quit_at_more_then_enter_resumes_at_the_first_unseen_line(qemu):
    q = boot(qemu)
    va = eval_addr(q, "kmain")
    q.cmd("pager 4")
    start = len(q.buf)
    q.send("x kmain 256\r")
    q.expect("--More--")
    q.send("q")
    q.wait_prompt()
    shown = re.findall(r"^([0-9a-f]{16}):", q.buf[start:].decode("latin-1"), re.M)
    assert [int(a, 16) for a in shown] == [va + 16 * i for i in range(4)], shown
    q.send("\r")  # continue: the first line not shown comes next
    m = q.expect(r"\n([0-9a-f]{16}):")
    assert int(m.group(1), 16) == va + 64


def test_bt_before_the_frame_is_set_up(qemu):
    """Stopped on a function's first instructions, RBP is still the
    caller's frame: bt finds the caller on the stack instead of skipping it."""
    q = boot(qemu, cmdline="debug=monitor init=none")  # no shell reading
    assert "breakpoint at" in q.cmd("bp console_getc")  # the idle loop calls it
    q.cmd("c")
    for _ in range(3):  # at push rbp, at mov rbp,rsp, then with the frame
        out = q.cmd("bt")
        names = re.findall(r"#\d+ +0x[0-9a-f]+ <([\w.]+)\+", out)
        assert names[:2] == ["console_getc", "kmain"], out
        q.cmd("s")
