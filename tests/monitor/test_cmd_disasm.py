"""Monitor disassembly (x/i, dis) checked against GNU objdump -d on the kernel the
harness boots (build/triage-test.elf): the same addresses, bytes and instruction text at kernel functions holding system
instructions (lgdt, ltr, swapgs, sysretq, iretq, mov to/from CRn, rep stos...)."""
import os
import re
import subprocess

from monitor_util import boot, eval_addr, stop_in_gdb_loop
from test_cmd_memory import ERR_UNMAPPED, NONCANONICAL, unmapped_gap

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
from triage_qemu import ELF  # noqa: E402  (the kernel the harness boots)
DUMP = os.path.join(ROOT, "build", "host", "disasm_dump")
# 0xffffffff80011160 <pit_irq+0x0>:  55                      push   %rbp
LINE = re.compile(r"0x([0-9a-f]{16})(?: <([^>]+)>)?:  ((?:[0-9a-f]{2} |   ){8})(.*)")
CONT = re.compile(r" +((?:[0-9a-f]{2} )+) *")
# A function's start, its first instructions, stretches with system instructions.
SYMBOLS = ["pit_irq", "kmain", "gdt_init", "syscall_entry", "trap_return", "cmd_cr",
           "crashrec_save"]
COUNT = 25


def normalise(text):
    """Whitespace collapsed, <symbol> annotations and # comments dropped."""
    text = re.sub(r"#.*$", "", text)
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(text.split())


def objdump_at(addr, n):
    """([(addr, bytes, text)], data): objdump's first n instructions from addr,
    and the addresses of the bytes it shows as data (data symbols in .text)."""
    out = subprocess.run(["objdump", "-d", "-w", "--start-address=0x%x" % addr,
                          "--stop-address=0x%x" % (addr + 15 * n), ELF],
                         capture_output=True, text=True, check=True).stdout
    rows = re.findall(r"^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$", out, re.M)
    data = set()
    for a, b in re.findall(r"^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+) {2,}\S*$", out, re.M):
        data.update(range(int(a, 16), int(a, 16) + len(b.split())))
    return [(int(a, 16), bytes.fromhex(b), t) for a, b, t in rows][:n], data


def listing(out):
    """[(addr, symbol, bytes, text)] of an x/i listing; a continuation line
    (bytes past the eighth) joins the instruction above it."""
    rows = []
    for line in out.rstrip("\n").split("\n"):
        m = LINE.fullmatch(line)
        if m:
            rows.append([int(m.group(1), 16), m.group(2), bytes.fromhex(m.group(3)),
                         m.group(4)])
            continue
        m = CONT.fullmatch(line)
        assert m and rows, "not a listing line: %r\n%s" % (line, out)
        rows[-1][2] += bytes.fromhex(m.group(1))
    return rows


def test_x_i_matches_objdump(qemu):
    q = boot(qemu)
    for sym in SYMBOLS:
        va = eval_addr(q, sym)
        out = q.cmd("x/i %s %d" % (sym, COUNT))
        rows = listing(out)
        assert len(rows) == COUNT, out
        assert rows[0][:2] == [va, sym + "+0x0"], out
        insns, data = objdump_at(va, COUNT)
        want = {a: (code, text) for a, code, text in insns if a <= rows[-1][0]}
        for addr, _, code, text in rows:
            if addr in data:  # a data symbol in .text: objdump dumps bytes
                continue
            if addr not in want:  # objdump skips zero padding ("...")
                assert code == bytes(len(code)), (sym, hex(addr), out)
                continue
            wcode, wtext = want.pop(addr)
            assert code == wcode, (sym, hex(addr), out)
            assert normalise(text) == normalise(wtext), (sym, hex(addr), text, wtext)
        assert not want, ("objdump has instructions the listing skipped", sym, want)
    # the line as the help promises it, the symbolised call target
    first = q.cmd("x/i pit_irq 1")
    assert re.fullmatch(r"0x%016x <pit_irq\+0x0>:  55                      push   %%rbp\n"
                        % eval_addr(q, "pit_irq"), first), first
    assert re.search(r"call   ffffffff[0-9a-f]{8} <\w+(\+0x[0-9a-f]+)?>",
                     q.cmd("x/i kmain %d" % COUNT)), "kmain calls something"


def test_x_i_forms_and_continuation(qemu):
    q = boot(qemu)
    out = q.cmd("x/i gdt_init 6")
    assert q.cmd("dis gdt_init 6") == out
    assert q.cmd("x /i gdt_init 6") == out
    assert q.cmd("x i gdt_init 6") == out
    rows = listing(out)
    nxt = listing(q.cmd(""))  # an empty line goes on after the last one
    assert len(nxt) == 6
    assert nxt[0][0] == rows[-1][0] + len(rows[-1][2])
    assert nxt[0][0] == objdump_at(rows[0][0], 7)[0][6][0]
    assert len(listing(q.cmd("x/i gdt_init"))) == 10  # the default count
    help_dis, help_x = q.cmd("help dis"), q.cmd("help x")
    assert "AT&T" in help_dis and "objdump -d" in help_dis, help_dis
    assert "x/i" in help_x and "AT&T" in help_x, help_x
    assert "out of range" in q.cmd("x/i kmain 0")


def test_x_i_unreadable_memory_is_reported(qemu):
    q = boot(qemu)
    assert re.fullmatch(ERR_UNMAPPED % 0 + r"\n", q.cmd("x/i 0")), "null page unmapped"
    assert re.fullmatch((ERR_UNMAPPED % 0).replace("x:", "dis:") + r"\n", q.cmd("dis 0"))
    out = q.cmd("x/i 0x%x" % NONCANONICAL)
    assert re.fullmatch(r"x: address 0x%x is not canonical.*\n" % NONCANONICAL, out), out
    # the last byte before a hole: the listing stops at the hole and says why
    gap = unmapped_gap(q)
    byte = q.cmd("x 0x%x 1" % (gap - 1)).split()[1]
    alone = subprocess.run([DUMP, "-x", byte], capture_output=True, text=True,
                           check=True).stdout.split("\t")[-1].strip()
    cut = re.fullmatch(r"\.byte 0x[0-9a-f]+|rex\S*|data16|addr32|lock|repn?z|[cdefgs]s", alone)
    lines = q.cmd("x/i 0x%x 3" % (gap - 1)).rstrip("\n").split("\n")
    assert len(lines) == 2, lines
    row = listing(lines[0])[0]
    assert row[:3] == [gap - 1, row[1], bytes.fromhex(byte)], lines
    if cut:
        assert row[3] == "(the instruction continues into unreadable memory)", lines
    else:
        assert normalise(row[3]) == normalise(alone), lines
    assert re.fullmatch(ERR_UNMAPPED % gap, lines[1]), lines


def test_bt_v_shows_each_frames_instruction(qemu):
    """bt -v at gdb_test_leaf: #0 is the leaf's first instruction, every
    deeper frame the call its return address comes back from — each the
    same text objdump prints at that address."""
    q = stop_in_gdb_loop(qemu)
    out = q.cmd("bt -v")
    frames = re.findall(r"^  #(\d+)\s+0x([0-9a-f]{16}).*\n        (.+)$", out, re.M)
    assert len(frames) >= 4, out
    for depth, addr, text in frames[:4]:
        addr = int(addr, 16)
        if depth != "0":  # the call ends where the frame returns to
            calls = [r for r in objdump_at(addr - 7, 4)[0] if r[0] + len(r[1]) == addr]
            assert calls and "call" in calls[0][2], (addr, calls, out)
            addr = calls[0][0]
        want = objdump_at(addr, 1)[0][0][2]
        assert normalise(text) == normalise(want), (depth, text, want)
    assert "<gdb_test_leaf>" in frames[1][2], out  # level3 calls the leaf
