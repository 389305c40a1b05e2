"""test_gdb_fpu.py — x87, SSE and MXCSR through triage's stub: a process
stopped in its own code shows the values it loaded, equal to what QEMU's
stub (-s) reads from the CPU at that very stop; a write to a running
process's registers goes into the CPU, one to a blocked process's saved
copy is what it runs with when woken — the program prints what it got.

user/fpregs.c loads xmm0-xmm3, MXCSR and an x87 stack (1, pi, -2.5) and
stops at fpregs_stop (a breakpoint), then reads the console with them
still loaded, then prints xmm1 and xmm2.
Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_fpu.py
"""
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from test_gdb_kernel import (BOOT_TIMEOUT, free_tcp_port, ours, pc_of,  # noqa: E402
                             qemus, run_session)
from test_gdb_threads import user_symbols, wait_file  # noqa: E402
from triage_qemu import ROOT  # noqa: E402

XMM_IN = [[0x3f800000, 0x40000000, 0x40400000, 0x40800000],
          [0x11111111, 0x22222222, 0x33333333, 0x44444444],
          [0xa5a5a5a5, 0x5a5a5a5a, 0xdeadbeef, 0x01234567],
          [0x00000000, 0x400c0000, 0x9999999a, 0xc0599999]]
XMM2_LIVE = [0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10]
XMM1_SAVED = [0x55, 0x66, 0x77, 0x7fffffff]
# Registers both stubs show alike (QEMU's gives 0 for ftag and fiseg..fop).
COMMON = ["xmm0", "xmm1", "xmm2", "xmm3", "mxcsr", "fctrl", "fstat"]
ST = ["st%d" % i for i in range(8)]
SHOW = ["info registers " + " ".join(COMMON + ST), "p $mxcsr",
        "p $xmm0.v4_float", "p/x $xmm0.uint128"]
# Where xmm3 sits in the 'g' block: rax..gs, st0-7, fctrl..fop, xmm0-2.
XMM3_OFFSET = 16 * 8 + 8 + 4 + 6 * 4 + 8 * 10 + 8 * 4 + 3 * 16
XMM3_G = [0x77777777] * 3 + [0x12345678]
# Runs in GDB: rewrite xmm3 with one 'G' of the 'g' block it just read.
G_XMM3 = ("python import re; g = re.search(r'received: \"(\\w+)\"', "
          "gdb.execute('maint packet g', to_string=True)).group(1); "
          "o = 2 * %d; gdb.execute('maint packet G' + g[:o] + '%s' + "
          "g[o + 32:])" % (XMM3_OFFSET, "77777777" * 3 + "78563412"))


def hexes(values):
    return "{%s}" % ", ".join("0x%x" % v for v in values)


def reg_lines(out):
    """name -> the rest of its `info registers` line."""
    lines = {}
    for line in out.splitlines():
        f = line.split(None, 1)
        if len(f) == 2 and f[0] in COMMON + ST + ["ftag", "fiseg", "fioff",
                                                 "foseg", "fooff", "fop"]:
            lines[f[0]] = f[1].strip()
    return lines


def raw80(line):
    m = re.search(r"\(raw 0x([0-9a-f]{20})\)", line)
    assert m, line
    return int(m.group(1), 16)


def hmp_fprs(text):
    """QEMU's monitor: the physical x87 registers R0-R7 (80-bit values)."""
    regs = re.findall(r"FPR(\d)=([0-9a-f]{16}) ([0-9a-f]{4})", text)
    assert len(regs) == 8, text
    return {int(n): int(hi + lo, 16) for n, lo, hi in regs}


def int_of(lines, name):
    return int(lines[name].split()[0], 16)


def test_fpu_registers_against_qemu_and_writes(tmp_path, qemu):
    port, gport = free_tcp_port(), free_tcp_port()
    q = qemu(cmdline="init=fpregs debug=gdb gdb=ttyS1",
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port,
             extra=["-gdb", "tcp:127.0.0.1:%d" % gport])
    q.expect("waiting for GDB", BOOT_TIMEOUT)
    syms = user_symbols("fpregs")
    box = {}
    steps = [
        ("sym", ["add-symbol-file build/user/bin/fpregs"]),
        ("break", ["break *0x%x" % syms["fpregs_stop"]]),
        ("continue", ["continue", "@pc"]),
        ("regs", SHOW + ["info registers ftag fiseg fioff foseg fooff fop",
                         "p $st0", "p $xmm3.v2_double", "info float",
                         "maint packet p2b", "maint packet g"]),
        ("live", ["set $xmm2.v4_int32 = %s" % hexes(XMM2_LIVE),
                  "p/x $xmm2.v4_int32", G_XMM3, "flushregs",
                  "p/x $xmm3.v4_int32"]),
        ("stopped", ["@signal stopped", "@wait go"]),
        # The program blocks reading the console: the scheduler loop runs
        # with no process current, the CPU still holding its registers.
        ("blocked", ["delete",
                     "break wake_ready if 'proc.c'::procs[0].state == "
                     "PROC_BLOCKED",
                     "continue", "info threads"]),
        ("saved", ["thread 2", "p/x $xmm1.v4_int32", "p/x $xmm2.v4_int32",
                   "p/x $mxcsr",
                   "set $xmm1.v4_int32 = %s" % hexes(XMM1_SAVED),
                   "p/x $xmm1.v4_int32"]),
        ("resume", ["delete", "break *0x%x" % syms["fpregs_done"],
                    "@signal blocked", "continue", "@pc",
                    "p/x $xmm1.v4_int32"]),
        ("delete", ["delete"]),
    ]
    t = threading.Thread(target=lambda: box.update(
        s=run_session(tmp_path, ours(port), steps, tag="ours")))
    t.start()
    wait_file(tmp_path / "gdb-ours" / "stopped", t, 240)
    assert t.is_alive(), "GDB on triage's stub ended early"
    # Same stop, QEMU's stub: the CPU as triage's stub holds it stopped.
    theirs = run_session(tmp_path, qemus(gport), [
        ("regs", SHOW), ("hmp", ["@hmp info registers"])],
        hmp_path=q.monitor_path, tag="qemu")
    (tmp_path / "gdb-ours" / "go").touch()
    wait_file(tmp_path / "gdb-ours" / "blocked", t, 240)
    q.send("go\r")
    t.join(300)
    s = box["s"]
    assert pc_of(s["continue"]) == syms["fpregs_stop"], s.log
    mine, qemu_regs = reg_lines(s["regs"]), reg_lines(theirs["regs"])
    # What the program loaded, shown as GDB shows it.
    assert mine["xmm1"].endswith("v4_int32 = %s, v2_int64 = {0x2222222211111111, "
                                 "0x4444444433333333}, uint128 = "
                                 "0x44444444333333332222222211111111}"
                                 % hexes(XMM_IN[1])), mine["xmm1"]
    assert mine["xmm0"].startswith("{v4_float = %s" % hexes(XMM_IN[0]))
    assert mine["mxcsr"] == "0x9fc0              [ DAZ IM DM ZM OM UM PM FZ ]"
    assert re.search(r"= -2\.5\b", s["regs"]), s["regs"]  # p $st0
    assert "{3.5, -102.40000000000001}" in s["regs"], s["regs"]
    assert mine["st0"].startswith("-2.5 "), mine["st0"]
    assert mine["st1"].startswith("3.14159265358979323"), mine["st1"]
    assert mine["st3"].startswith("0 "), mine["st3"]  # empty
    # Full tag word: R5 (ST0) R6 R7 valid, the rest empty. (FIP, FDP and
    # FOP are in FXSAVE's image as the CPU stores them: QEMU's TCG stores
    # zeros; tests/unit/test_gdbstub.c checks where they are read from.)
    assert int_of(mine, "ftag") == 0x03ff, s["regs"]
    assert int_of(mine, "fstat") >> 11 & 7 == 5, s["regs"]
    assert "Tag Word:            0x03ff" in s["regs"], s["regs"]
    # ... and as QEMU's stub shows the CPU (xmm2 already written by ours).
    for name in COMMON:
        if name not in ("xmm2", "xmm3"):
            assert mine[name] == qemu_regs[name], (name, mine[name],
                                                   qemu_regs[name])
    values = [re.findall(r"^\$\d+ = (.*)$", out, re.M)
              for out in (s["regs"], theirs["regs"])]
    assert len(values[1]) == 3 and values[0][:3] == values[1], values
    # st(i) is R((i + TOP) mod 8): against QEMU's monitor, which names
    # the physical registers. (QEMU 7.2's stub sends R(i) as st(i); a
    # later one ST(i): either agrees with what ours sends.)
    fprs = hmp_fprs(theirs["hmp"])
    for i in range(8):
        assert raw80(mine["st%d" % i]) == fprs[(i + 5) % 8], (i, mine)
        assert raw80(qemu_regs["st%d" % i]) in (fprs[i], fprs[(i + 5) % 8])
    # Written with 'P' and 'G' while the process is live: in the CPU.
    assert "v4_int32 = %s" % hexes(XMM2_LIVE) in qemu_regs["xmm2"], theirs.log
    assert "v4_int32 = %s" % hexes(XMM3_G) in qemu_regs["xmm3"], theirs.log
    assert "= %s" % hexes(XMM3_G) in s["live"], s["live"]
    # 'p' of xmm3 (0x2b) is its slice of the 'g' block.
    p, g = re.findall(r'received: "(\w+)"', s["regs"])
    assert g[2 * XMM3_OFFSET:][:32] == p == "0000000000000c409a999999999959c0"
    # QEMU's monitor has the abridged tag (1 = in use): R5-R7.
    ftw = re.search(r"FTW=([0-9a-f]+)", theirs["hmp"])
    assert ftw and int(ftw.group(1), 16) == 0xe0, theirs["hmp"]
    # The blocked process: its saved registers, then written there.
    assert re.search(r"\b2\s+Thread 2 \(pid 1 fpregs \(blocked\)", s["blocked"]), s.log
    assert "= %s" % hexes(XMM_IN[1]) in s["saved"], s["saved"]
    assert "= %s" % hexes(XMM2_LIVE) in s["saved"], s["saved"]
    assert "= 0x9fc0" in s["saved"], s["saved"]
    assert pc_of(s["resume"]) == syms["fpregs_done"], s.log
    q.expect("fpregs: xmm1 %s xmm2 %s" % (
        " ".join("%08x" % v for v in XMM1_SAVED),
        " ".join("%08x" % v for v in XMM2_LIVE)), 60)
