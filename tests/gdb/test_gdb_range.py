"""test_gdb_range.py — range stepping (vCont;r, GDB's `step`/`next` with
`set range-stepping on`) in triage's stub: the stub steps inside the range
without talking on the line and stops at the first instruction outside it,
or at once on a breakpoint or fault inside it — checked against the stub's
own single steps (`s`, one instruction each) over the same code, which the
gdb_loop kernel runs the same way on every pass, and against GDB's line
table; and against a GDB that steps one instruction at a time.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_range.py
"""
import os
import re
import struct
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_gdb_kernel import (bt_functions, ours, pc_of,  # noqa: E402
                             run_session, symbols, vm)  # noqa: F401

from test_gdb_raw import Rsp, frame, stub  # noqa: E402,F401 (fixture)
from test_gdb_threads import boot, user_symbols  # noqa: E402
from triage_qemu import ELF  # noqa: E402

RIP, RSP = 16, 7  # GDB's amd64 register numbers
UD2_NOP = "0f0b90"  # ud2 (#UD, SDM vol. 2B), nop
SIGILL = 4
MAX_TRACE = 16


def reg(r, n):
    return struct.unpack("<Q", bytes.fromhex(r.request("p%x" % n)))[0]


def stop(r, payload):
    """Send a resume/step packet; the stop reply: (signal, pc)."""
    reply = r.request(payload)
    m = re.match(r"T([0-9a-f]{2})", reply)
    assert m, "%s: %r" % (payload, reply)
    return int(m.group(1), 16), reg(r, RIP)


def to_break(r, addr):
    """Continue until a breakpoint at addr (then removed) is hit."""
    assert r.request("Z0,%x,1" % addr) == "OK"
    sig, pc = stop(r, "vCont;c")
    assert r.request("z0,%x,1" % addr) == "OK"
    assert (sig, pc) == (5, addr)


def single_steps(r, n):
    """(signal, pc) after each of up to n single steps; ends at a fault."""
    out = []
    for _ in range(n):
        out.append(stop(r, "vCont;s:1"))
        if out[-1][0] != 5:
            break
    return out


def first_outside(trace, lo, hi):
    return next(t for t in trace if not lo <= t[1] < hi)


def function_end(syms, name):
    start = syms[name]
    return min(a for a in syms.values() if a > start)


def stopped_at_level3(stub):
    """Attach and stop at gdb_test_level3: (Rsp, symbols, start, end)."""
    _, port = stub
    syms = symbols()
    f, f_end = syms["gdb_test_level3"], function_end(syms, "gdb_test_level3")
    r = Rsp(port)
    r.request("?")
    to_break(r, f)
    return r, syms, f, f_end


def test_vcont_r_is_advertised(stub):
    q, port = stub
    r = Rsp(port)
    assert "r" in r.request("vCont?").split(";")[1:]
    r.send(frame("c"))


def test_range_step_stops_where_single_steps_leave_the_range(stub):
    """One vCont;r gives the first pc outside [lo, hi) that single steps
    reach, for the whole function (the call leaves it) and for part of
    it; a breakpoint inside the range stops the range step there."""
    r, syms, f, f_end = stopped_at_level3(stub)
    trace = single_steps(r, MAX_TRACE)
    pcs = [pc for _, pc in trace]
    assert syms["gdb_test_leaf"] in pcs, trace  # the call left the range
    for lo, hi in ((f, f_end), (f, pcs[2])):
        to_break(r, f)
        assert stop(r, "vCont;r%x,%x:1;c" % (lo, hi)) == \
            first_outside(trace, lo, hi), (hex(lo), hex(hi), trace)
    # A breakpoint on the third instruction: the range step stops on it.
    to_break(r, f)
    assert r.request("Z0,%x,1" % pcs[1]) == "OK"
    assert stop(r, "vCont;r%x,%x:1;c" % (f, f_end)) == (5, pcs[1])
    assert r.request("z0,%x,1" % pcs[1]) == "OK"
    r.send(frame("c"))


def test_range_step_fault_lands_where_a_step_would(stub):
    """An instruction inside the range faults (gdb_test_level3's third one,
    `mov %rsp,%rbp`, patched to ud2): a range step over the function stops
    on the fault with the signal and pc that single steps see."""
    r, _, f, f_end = stopped_at_level3(stub)
    pcs = [pc for _, pc in single_steps(r, 2)]
    bad = pcs[1]  # the third instruction
    code = r.request("m%x,3" % bad)
    results = []
    for how in ("single", "range"):
        to_break(r, f)
        assert r.request("M%x,3:%s" % (bad, UD2_NOP)) == "OK"
        if how == "single":
            results.append(single_steps(r, MAX_TRACE)[-1])
        else:
            results.append(stop(r, "vCont;r%x,%x:1;c" % (f, f_end)))
        assert r.request("M%x,3:%s" % (bad, code)) == "OK"  # resumable
    single, ranged = results
    assert single == (SIGILL, bad), results
    assert ranged == single, results
    to_break(r, f)  # the kernel runs on
    r.send(frame("c"))


@pytest.mark.parametrize("interrupt,signal", [(b"\x03", "T02"), (frame("?"), "T05")])
def test_gdb_input_ends_a_range_step_that_never_leaves(stub, interrupt, signal):
    """A range over all of the kernel's text never ends by itself (the
    loop runs in it, with interrupts held off while stepping): GDB's
    Ctrl-C stops it with SIGINT; any other input (a packet) ends it as the
    step it is (SIGTRAP), and the stub answers that packet too."""
    q, port = stub
    syms = symbols()
    r = Rsp(port)
    r.request("?")
    to_break(r, syms["gdb_test_leaf"])
    r.send(frame("vCont;r%x,%x:1;c" % (syms["_text_start"],
                                      syms["_text_end"])))
    assert r.ack() == b"+"
    assert r.quiet(1.0) == b"", "the range step ended by itself"
    r.send(interrupt)
    reply = r.read_packet()
    assert reply.startswith(signal), reply
    if interrupt != b"\x03":
        assert r.read_packet().startswith("T05")  # the answer to '?'
    assert syms["_text_start"] <= reg(r, RIP) < syms["_text_end"]
    assert r.request("qAttached") == "1"
    r.send(frame("c"))


def idle_hlt():
    """(address of kmain's idle-loop hlt, target of the jmp after it), by
    objdump: `hlt; jmp loop` where the loop's top is a call."""
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", ELF],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"([0-9a-f]+):\thlt\s*\n\s*[0-9a-f]+:\tjmp\s+([0-9a-f]+) <kmain\+",
                  dis)
    assert m, "no hlt; jmp in kmain"
    return int(m.group(1), 16), int(m.group(2), 16)


def test_range_step_over_hlt_does_not_outlive_its_packet(stub):
    """A range step that starts on a kernel hlt is answered by stepping
    over it without running (step_over_hlt); the range must end there: the
    next plain step is one instruction (the jmp to the loop's top), not a
    range step on to the call that leaves it."""
    _, port = stub
    hlt, top = idle_hlt()
    r = Rsp(port)
    r.request("?")
    assert r.request("P%x=%s" % (RIP, struct.pack("<Q", hlt).hex())) == "OK"
    assert stop(r, "vCont;r%x,%x:1;c" % (top, hlt + 3)) == (5, hlt + 1)
    assert stop(r, "vCont;s:1") == (5, top)
    assert stop(r, "s") == (5, symbols()["console_getc"])


def packets(log, kind):
    return re.findall(r"Sending packet: \$(%s[^#]*)#" % kind, log)


def mark(name):
    """A GDB command that writes @@name@@ into the debug log (stderr)."""
    return "python gdb.write('@@%s@@\\n', gdb.STDLOG)" % name


def test_next_is_one_range_step_per_line_entry(tmp_path, vm):
    """GDB's `next` over line 33 of ktests_gdb.c (gdb_test_level3's call)
    with range stepping: vCont;r packets, no per-instruction vCont;s after
    stepping off the breakpoint, ending where `next` one instruction at a
    time ends (range-stepping off) on the next pass of the same code."""
    q, port, _ = vm
    s = run_session(tmp_path, ours(port), [
        ("break", ["break gdb_test_level3", "continue"]),
        ("on", ["set range-stepping on", mark("on"), "set debug remote 1",
                "next", "set debug remote 0", "@pc", "info line *$pc"]),
        ("again", ["continue"]),
        ("off", ["set range-stepping off", mark("off"), "set debug remote 1",
                 "next", "set debug remote 0", "@pc"]),
    ])
    err = s.log.split("--- gdb stderr:")[1]
    on, off = err.split("@@off@@")
    assert pc_of(s["on"]) == pc_of(s["off"]), s.log
    assert re.search(r"starts at address 0x%x" % pc_of(s["on"]), s["on"]), \
        s["on"]
    ranges, steps_on = packets(on, "vCont;r"), packets(on, "vCont;s")
    assert ranges and len(steps_on) <= 1, on  # <= 1: off the breakpoint
    assert len(packets(off, "vCont;s")) > len(ranges), off


def test_next_in_a_user_process(tmp_path, qemu):
    """`next` over hello's C lines with range stepping (a call into the
    user library, a system call in between) ends at the line table's
    start of the line after, and hello runs to its end."""
    q, port = boot(qemu, "init=hello debug=gdb", "waiting for GDB")
    syms = user_symbols("hello")
    s = run_session(tmp_path, ours(port), [
        ("sym", ["add-symbol-file build/user/bin/hello"]),
        ("break", ["break main", "continue", "delete"]),
        ("next", ["set range-stepping on", "set debug remote 1", "next",
                  "next", "set debug remote 0", "@pc", "info line *$pc"]),
    ])
    pc = pc_of(s["next"])
    assert syms["main"] < pc < min(a for a in syms.values() if a > syms["main"])
    assert re.search(r"starts at address 0x%x" % pc, s["next"]), s["next"]
    assert packets(s.log, "vCont;r"), s.log
    q.expect("Hello from userspace!", 60)
    q.expect("hello: pid", 60)


def test_gdb_without_our_settings_sees_the_same(tmp_path, vm):
    """A GDB without ./gdbinit (no kcache: no memory cache, breakpoints
    removed at each stop), with `set remotecache off` and `set
    range-stepping off`, and then one with gdbinit and both features,
    each on a pass of the same loop: the same pcs after `next` and three
    `stepi`, the same backtrace, the same memory."""
    q, port, _ = vm
    look = ["next", "@pc", "@stepi-trace 3", "bt", "x/16xb &idt"]
    plain = run_session(tmp_path, "target remote 127.0.0.1:%d" % port, [
        ("setup", ["file " + ELF, "set remotecache off",
                   "set range-stepping off", "show breakpoint always-inserted",
                   "info mem"]),
        ("break", ["break gdb_test_level3", "continue", "delete"]),
        ("look", look),
    ], tag="plain", gdbinit=False)
    assert "off" in plain["setup"], plain.log
    assert " cache" not in plain["setup"], plain.log
    ours_s = run_session(tmp_path, ours(port), [
        ("setup", ["set range-stepping on", "info mem"]),
        ("break", ["break gdb_test_level3", "continue", "delete"]),
        ("look", look),
    ], tag="ours")
    assert " cache" in ours_s["setup"], ours_s.log
    for s in (plain, ours_s):
        assert "Breakpoint 1, gdb_test_level3" in s["break"], s.log
    a, b = plain["look"], ours_s["look"]
    assert pc_of(a) == pc_of(b), (a, b)
    trace = re.compile(r"TRACE (.*)")
    assert trace.search(a).group(1) == trace.search(b).group(1), (a, b)
    assert bt_functions(a) == bt_functions(b), (a, b)
    assert "gdb_test_level1" in bt_functions(a), a
    mem = re.compile(r"<idt\+?\d*>:\s+(.*)")
    assert mem.findall(a) == mem.findall(b) and mem.findall(a), (a, b)
