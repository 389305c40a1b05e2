"""Stepping and breakpoint options: n (over calls), finish, s N, bp ... if /
skip, tbp. The addresses are checked against objdump's listing of the
kernel, counters against QEMU's own reading of memory."""
import re
import subprocess

from monitor_util import boot, eval_addr, stop_in_gdb_loop
from triage_qemu import ELF

NOW = re.compile(r"step: now at 0x([0-9a-f]{16})")


def listing(func):
    """[(address, mnemonic)] of func's instructions, from objdump -d."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", ELF],
                         capture_output=True, text=True, check=True).stdout
    body = out.split("<%s>:\n" % func, 1)[1].split("\n\n", 1)[0]
    return [(int(a, 16), m) for a, m in
            re.findall(r"^([0-9a-f]+):\s+(\S+)", body, re.M)]


def after_call_to(caller, callee):
    """The return address of caller's call to callee (objdump)."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", ELF],
                         capture_output=True, text=True, check=True).stdout
    body = out.split("<%s>:\n" % caller, 1)[1].split("\n\n", 1)[0]
    lines = body.split("\n")
    for i, l in enumerate(lines):
        if re.search(r"\scall\s+[0-9a-f]+ <%s>" % callee, l):
            return int(lines[i + 1].split(":")[0], 16)
    raise AssertionError("%s does not call %s:\n%s" % (caller, callee, body))


def qemu_u64(q, addr):
    """8 bytes at addr as QEMU's own monitor reads them."""
    m = re.search(r":\s*0x([0-9a-f]+)", q.hmp("x /1gx 0x%x" % addr))
    assert m
    return int(m.group(1), 16)


def now(out):
    m = NOW.search(out)
    assert m, out
    return int(m.group(1), 16)


def test_n_steps_over_the_call(qemu):
    """n through gdb_test_level3 lands on each next instruction, over the
    call (the leaf runs: gdb_test_counter changes), then out through ret."""
    q = stop_in_gdb_loop(qemu, "gdb_test_level3")
    q.cmd("bc all")
    counter = eval_addr(q, "gdb_test_counter")
    arg = eval_addr(q, "$rdi")
    insns = listing("gdb_test_level3")
    for (addr, mnem), (nxt, _) in zip(insns, insns[1:]):
        assert eval_addr(q, "$rip") == addr
        assert now(q.cmd("n")) == nxt, (mnem, hex(addr))
        if mnem == "call":  # the leaf ran: counter = n * 3 + 1
            assert qemu_u64(q, counter) == (arg * 3 + 1) & (2**64 - 1)
    assert insns[-1][1] == "ret"
    assert now(q.cmd("n")) == after_call_to("gdb_test_level2", "gdb_test_level3")
    assert NOW.search(q.cmd(""))  # Enter repeats n
    assert "no breakpoints" in q.cmd("bl")  # the internal ones are gone


def test_finish_returns_to_the_caller(qemu):
    q = stop_in_gdb_loop(qemu, "gdb_test_leaf")
    q.cmd("bc all")
    # at the first byte of a frameless function: the return address at RSP
    out = q.cmd("finish")
    want = after_call_to("gdb_test_level3", "gdb_test_leaf")
    assert "finish: running until the return to 0x%016x" % want in out, out
    assert re.search(r"finish: returned to 0x%016x <gdb_test_level3\+0x[0-9a-f]+>"
                     % want, out), out
    assert eval_addr(q, "$rip") == want
    # inside a function with a frame: the return address at RBP+8
    out = q.cmd("finish")
    assert "returned to 0x%016x" % after_call_to("gdb_test_level2", "gdb_test_level3") in out
    # in a prologue, after push %rbp: at RSP+8
    assert "breakpoint at" in q.cmd("bp gdb_test_level2")
    assert "<gdb_test_level2+0x0>" in q.cmd("c")
    q.cmd("bc gdb_test_level2")
    assert "<gdb_test_level2+0x1>" in q.cmd("s")
    out = q.cmd("finish")
    assert "returned to 0x%016x" % after_call_to("gdb_test_level1", "gdb_test_level2") in out
    assert "no breakpoints" in q.cmd("bl")


def test_s_count_traces_and_stops_at_a_breakpoint(qemu):
    q = stop_in_gdb_loop(qemu, "gdb_test_leaf")
    # s 1000 goes once round the loop and stops on reaching the breakpoint
    trace = [int(a, 16) for a in NOW.findall(q.cmd("s 1000"))]
    assert 10 < len(trace) < 1000 and trace[-1] == eval_addr(q, "gdb_test_leaf")
    assert eval_addr(q, "$rip") == trace[-1]
    # the same path one s at a time (the loop does not branch on data)
    single = [now(q.cmd("s")) for _ in range(10)]
    assert single == trace[:10]
    assert "s: count 0 is out of range; give 1-65535" in q.cmd("s 0")


def test_bp_skip_and_condition(qemu):
    """clock_tick increments `ticks` once per timer tick: skip 4 stops with
    4 more ticks counted, a condition on *ticks holds at every stop. QEMU
    reads ticks, not the monitor."""
    q = boot(qemu)
    ticks = eval_addr(q, "ticks")
    t0 = qemu_u64(q, ticks)
    assert "breakpoint at" in q.cmd("bp clock_tick skip 4")
    assert re.search(r"int3 +0x[0-9a-f]+ <clock_tick\+0x0> skip 4 \(hits 0\)", q.cmd("bl"))
    assert "breakpoint at" in q.cmd("c")
    assert qemu_u64(q, ticks) == t0 + 4
    assert "(hits 5)" in q.cmd("bl")
    q.cmd("bc clock_tick")
    assert "breakpoint at" in q.cmd("bp clock_tick if *ticks % 5 == 3 && $rip == clock_tick")
    seen = []
    for _ in range(3):
        assert "<clock_tick+0x0>" in q.cmd("c")
        seen.append(qemu_u64(q, ticks))
    assert all(t % 5 == 3 for t in seen) and seen[1] - seen[0] == 5 == seen[2] - seen[1], seen
    assert " if *ticks % 5 == 3 && $rip == clock_tick (hits " in q.cmd("bl")
    q.cmd("bc all")
    # a condition that cannot be evaluated at a hit stops and says why
    q.cmd("bp clock_tick if *0 == 1")
    out = q.cmd("c")
    assert "condition '*0 == 1' cannot be evaluated: cannot read 8 bytes at 0x0" in out, out
    q.cmd("bc all")
    # mistakes are caught when the breakpoint is set
    assert "condition '(1 +': expected" in q.cmd("bp clock_tick if (1 +")
    assert "unknown register '$rxx'" in q.cmd("bp clock_tick if $rxx")
    assert "usage: bp" in q.cmd("bp clock_tick if")
    assert "usage: bp" in q.cmd("bp clock_tick skip")
    assert "no breakpoints" in q.cmd("bl")


def test_tbp_is_cleared_at_its_stop(qemu):
    q = boot(qemu)
    assert "temporary breakpoint at" in q.cmd("tbp clock_tick skip 1")
    assert "int3-tmp" in q.cmd("bl")
    assert "<clock_tick+0x0>" in q.cmd("c")
    assert "no breakpoints" in q.cmd("bl")
