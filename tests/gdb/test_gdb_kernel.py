"""test_gdb_kernel.py — real GDB (batch mode, ./gdbinit) against triage's stub in QEMU, checked
against QEMU's own monitor and QEMU's own gdbstub looking at the same guest.

The kernel runs `test=gdb_loop` (kernel/ktests/ktests_gdb.c: a loop through
gdb_test_level1..3 into gdb_test_leaf, which writes gdb_test_counter), with
triage's stub on the second UART (`gdb=ttyS1`, a TCP port) and QEMU's stub
(`-gdb tcp:...`) on the same VM. A session is a list of steps run by a small
driver inside GDB (DRIVER below): each step's output, error and time are
written to JSON, so what GDB printed can be checked step by step.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_kernel.py
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from triage_qemu import ELF, ROOT, Qemu, free_tcp_port  # noqa: E402

GDB_TIMEOUT = 300  # a whole session, on a loaded 2-core TCG machine
BOOT_TIMEOUT = 90
CMDLINE = "test=gdb_loop gdb=ttyS1"
LOOP_BANNER = "gdb_loop: running"
CHAIN = ["gdb_test_leaf", "gdb_test_level3", "gdb_test_level2",
         "gdb_test_level1", "gdb_test_loop"]
KERNEL_VMA, KERNEL_PHYS = 0xFFFFFFFF80000000, 0x100000

# Runs inside GDB (-x): executes the steps in $GDBDRV_STEPS and writes
# [{name, out, error, t0, t1}] to $GDBDRV_OUT. Besides GDB commands a step
# may use: "@pc" (print $pc), "@stepi-trace N" ($pc after each of N stepi),
# "@hmp CMD" (QEMU's human monitor via $GDBDRV_HMP, at this very moment),
# "@signal NAME" (create NAME beside $GDBDRV_OUT, for a test that waits),
# "@wait NAME" (until the test creates NAME there: it looked meanwhile).
DRIVER = r'''
import json, os, socket, sys, time
import gdb
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "lib"))  # GDB runs in ROOT
from hmp import hmp_exchange

def _pc():
    return int(gdb.parse_and_eval("(unsigned long)$pc")) & (2**64 - 1)

def _hmp(cmd):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(20)
    s.connect(os.environ["GDBDRV_HMP"])
    return hmp_exchange(s, cmd)

def _run(cmd):
    if cmd == "@pc":
        gdb.write("pc 0x%x\n" % _pc())
    elif cmd.startswith("@stepi-trace "):
        out = []
        for _ in range(int(cmd.split()[1])):
            gdb.execute("stepi", to_string=True)
            out.append("0x%x" % _pc())
        gdb.write("\nTRACE " + " ".join(out) + "\n")
    elif cmd.startswith("@signal "):
        # Tell the test (which waits for this file) that we got here.
        d = os.path.dirname(os.environ["GDBDRV_OUT"])
        open(os.path.join(d, cmd[8:]), "w").close()
    elif cmd.startswith("@wait "):
        path = os.path.join(os.path.dirname(os.environ["GDBDRV_OUT"]), cmd[6:])
        deadline = time.monotonic() + 240
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                raise RuntimeError("the test never created " + cmd[6:])
            time.sleep(0.1)
    elif cmd.startswith("@hmp "):
        gdb.write(_hmp(cmd[5:]))
    elif cmd.startswith("monitor "):
        # The stub's output goes to GDB's target stream: capture it.
        gdb.write(gdb.execute(cmd, to_string=True))
    else:
        # Not to_string: stop reports ("Breakpoint 1, ...") would bypass it.
        # Everything goes to stdout, in order, between step markers.
        gdb.execute(cmd)

results = []
with open(os.environ["GDBDRV_STEPS"]) as f:
    steps = json.load(f)
for name, cmds in steps:
    gdb.write("\n@@STEP %s@@\n" % name)
    gdb.flush()
    r = {"name": name, "error": None, "t0": time.monotonic()}
    for c in cmds:
        try:
            _run(c)
        except Exception as e:
            r["error"] = "%s: %s" % (c, e)
            gdb.write("@@ERROR %s@@\n" % r["error"])
            break
    gdb.flush()
    r["t1"] = time.monotonic()
    results.append(r)
    with open(os.environ["GDBDRV_OUT"], "w") as f:
        json.dump(results, f)
gdb.write("\n@@STEP end@@\n")
gdb.flush()
'''


def symbols():
    """name -> address of the booted ELF's symbols (nm)."""
    out = subprocess.run(["nm", ELF], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    return syms


def wait_loop_runs(q, timeout=30):
    """Poll QEMU's view of gdb_test_counter until it changes: the kernel
    runs the gdb_loop chain (not the stub's polling loop)."""
    addr = symbols()["gdb_test_counter"]

    def counter():
        m = re.search(r":\s*0x([0-9a-f]+)", q.hmp("x /1gx 0x%x" % addr))
        assert m, "cannot read gdb_test_counter through QEMU"
        return int(m.group(1), 16)

    deadline, first = time.time() + timeout, counter()
    while counter() == first:
        assert time.time() < deadline, "the gdb_loop kernel never ran"
        time.sleep(0.05)


class Session:
    """The results of one driver run: step name -> output; errors named."""

    def __init__(self, results, log):
        self.results = results
        self.by_name = {r["name"]: r for r in results}
        self.log = log

    def __getitem__(self, name):
        r = self.by_name.get(name)
        assert r is not None, "step %r never ran\n%s" % (name, self.log)
        assert r["error"] is None, "step %r failed: %s\n%s" % (
            name, r["error"], self.log)
        return r["out"]

    def error(self, name):
        return self.by_name[name]["error"]

    def seconds(self, name):
        r = self.by_name[name]
        return r["t1"] - r["t0"]


def run_session(tmp_path, connect, steps, hmp_path=None, tag="s",
                timeout=GDB_TIMEOUT, gdbinit=True):
    """Run GDB in batch mode with ./gdbinit (unless gdbinit=False: a bare
    GDB), `connect` (a GDB command), then steps [(name, [commands])]; a
    last step detaches. Returns a Session."""
    d = tmp_path / ("gdb-" + tag)
    d.mkdir(exist_ok=True)
    (d / "driver.py").write_text(DRIVER)
    steps = [("connect", ["set remotetimeout 10", connect])] + list(steps) + [
        ("detach", ["detach"])]
    (d / "steps.json").write_text(json.dumps(steps))
    env = dict(os.environ, GDBDRV_STEPS=str(d / "steps.json"),
               GDBDRV_OUT=str(d / "out.json"), GDBDRV_HMP=hmp_path or "")
    args = ["gdb", "-batch", "-nx"] + (["-x", "gdbinit"] if gdbinit else []) + [
        "-x", str(d / "driver.py")]
    try:
        p = subprocess.run(args, cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=timeout)
        log = "--- gdb stdout:\n%s\n--- gdb stderr:\n%s" % (p.stdout, p.stderr)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("latin-1") if isinstance(e.stdout, bytes) else e.stdout
        log = "--- gdb timed out after %ds\n%s" % (timeout, out or "")
    try:
        results = json.loads((d / "out.json").read_text())
    except (OSError, ValueError):
        results = []
    stdout = log.split("--- gdb stderr:")[0]
    parts = re.split(r"\n@@STEP (.*?)@@\n", stdout)
    texts = dict(zip(parts[1::2], parts[2::2]))
    for r in results:
        r["out"] = texts.get(r["name"], "")
    return Session(results, log)


def ours(port):
    return "connect-serial 127.0.0.1:%d" % port


def qemus(port):
    return "connect-qemu 127.0.0.1:%d" % port


@pytest.fixture
def vm(qemu):
    """A booted gdb_loop kernel with triage's stub on a TCP port (ttyS1) and
    QEMU's gdbstub on another; returns (Qemu, stub port, QEMU stub port)."""
    port, gport = free_tcp_port(), free_tcp_port()
    q = qemu(cmdline=CMDLINE,
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port,
             extra=["-gdb", "tcp:127.0.0.1:%d" % gport])
    q.expect(LOOP_BANNER, BOOT_TIMEOUT)
    return q, port, gport


def pc_of(out):
    m = re.search(r"pc 0x([0-9a-f]+)", out)
    assert m, out
    return int(m.group(1), 16)


def bt_functions(out):
    """Function names of a `bt`, innermost first."""
    names = []
    for line in out.splitlines():
        m = re.match(r"#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(", line)
        if m:
            names.append(m.group(1))
    return names


def trace_of(out):
    m = re.search(r"^TRACE (.*)$", out, re.M)
    assert m, out
    return m.group(1).split()


def reg_value(out, name):
    m = re.search(r"^%s\s+0x([0-9a-f]+)" % name, out, re.M)
    assert m, "no %s in:\n%s" % (name, out)
    return int(m.group(1), 16)


def hmp_reg(text, name):
    m = re.search(r"\b%s=([0-9a-f]+)" % name, text, re.I)
    assert m, "no %s in QEMU's info registers:\n%s" % (name, text)
    return int(m.group(1), 16)


def memory_words(out):
    """The values of an x/..x output, without the addresses."""
    words = []
    for line in out.splitlines():
        if ":" in line:
            words += line.split(":", 1)[1].split()
    return words


BREAK_AT_LEAF = [("break", ["break gdb_test_leaf"]),
                 ("continue", ["continue"]),
                 ("pc", ["@pc"])]


def test_sw_breakpoint_registers_and_backtrace(tmp_path, vm):
    q, port, _ = vm
    syms = symbols()
    s = run_session(tmp_path, ours(port), BREAK_AT_LEAF + [
        ("regs", ["info registers rip cr3"]),
        ("hmp", ["@hmp info registers"]),
        ("bt", ["bt"]),
        ("again", ["continue", "@pc"]),
    ], hmp_path=q.monitor_path)
    assert "Breakpoint 1, gdb_test_leaf" in s["continue"], s.log
    assert pc_of(s["pc"]) == syms["gdb_test_leaf"]
    assert reg_value(s["regs"], "rip") == syms["gdb_test_leaf"]
    # cr3 as our stub reports it == as QEMU sees the CPU, at the same stop.
    assert reg_value(s["regs"], "cr3") == hmp_reg(s["hmp"], "CR3"), s.log
    assert bt_functions(s["bt"])[:5] == CHAIN, s["bt"]
    # The breakpoint was re-inserted after stepping over it: hit again.
    assert pc_of(s["again"]) == syms["gdb_test_leaf"], s["again"]
    # Detached: the kernel runs on and answers on its console.
    q.send("alive\r")
    q.expect("alive", 30)


def test_hw_breakpoint(tmp_path, vm):
    q, port, _ = vm
    syms = symbols()
    s = run_session(tmp_path, ours(port), [
        ("hbreak", ["hbreak gdb_test_level2"]),
        ("first", ["continue", "@pc", "p n"]),
        ("second", ["continue", "@pc", "p n"]),
        ("bt", ["bt"]),
    ])
    assert pc_of(s["first"]) == syms["gdb_test_level2"], s.log
    assert pc_of(s["second"]) == syms["gdb_test_level2"], s.log
    n1 = int(re.search(r"= (\d+)", s["first"]).group(1))
    n2 = int(re.search(r"= (\d+)", s["second"]).group(1))
    assert n2 == n1 + 1, "the second hit should be the next pass:\n" + s.log
    assert bt_functions(s["bt"])[:3] == CHAIN[2:5]


def test_watchpoint_fires_on_write(tmp_path, vm):
    q, port, _ = vm
    syms = symbols()
    s = run_session(tmp_path, ours(port), [
        ("watch", ["watch gdb_test_counter"]),
        ("hit1", ["continue", "@pc", "p/d gdb_test_counter"]),
        ("hit2", ["continue", "@pc", "p/d gdb_test_counter"]),
        ("delete", ["delete"]),
    ])
    for step in ("hit1", "hit2"):
        out = s[step]
        assert "Hardware watchpoint" in out and "New value = " in out, s.log
        new = int(re.search(r"New value = (\d+)", out).group(1))
        assert re.search(r"\$\d+ = %d\b" % new, out), out
        # Stopped just after the store, inside gdb_test_leaf.
        assert syms["gdb_test_leaf"] < pc_of(out) < syms["gdb_test_level3"], out
    assert s["hit1"] != s["hit2"]


def test_monitor_commands(tmp_path, vm):
    q, port, _ = vm
    s = run_session(tmp_path, ours(port), [
        ("help", ["monitor help"]),
        ("idt", ["monitor idt"]),
        ("gate14", ["kidt 14"]),
    ])
    assert "help" in s["help"] and "continue" in s["help"], s.log
    handler = re.search(r"0x([0-9a-f]{16})", s["gate14"]).group(1)
    idt = s["idt"].lower()
    assert "unknown" not in idt and handler.lstrip("0") in idt, (
        "monitor idt should list the #PF handler %s:\n%s" % (handler, s["idt"]))


def test_session_agrees_with_qemu_stub(tmp_path, vm):
    """The same script against both stubs, on the same VM one after the
    other: breakpoint hit, rip, bt, symbols and memory must agree."""
    q, port, gport = vm
    script = BREAK_AT_LEAF + [
        ("regs", ["info registers rip cs ss"]),
        ("bt", ["bt"]),
        ("sym", ["info symbol $pc"]),
        ("idt", ["x/512xg &idt"]),
        ("text", ["x/256xb gdb_test_loop"]),
        ("rodata", ["x/8xg &kopts"]),
        ("kidt", ["kidt"]),
        ("kpt", ["kpt gdb_test_leaf", "kpt &gdb_test_counter", "kpt 0"]),
        ("kmem", ["kmem"]),
        ("kdmesg", ["kdmesg"]),
        ("kdmesg2", ["kdmesg 2"]),
        ("delete", ["delete"]),
    ]
    a = run_session(tmp_path, ours(port), script, tag="ours")
    b = run_session(tmp_path, qemus(gport), script, tag="qemu")
    # kdmesg: the kernel log ring is what the console printed, from the
    # banner on (the second session may see a longer log)
    serial = q.output().replace("\r", "")
    serial = serial[serial.index("triage "):]
    assert a["kdmesg"].startswith("triage ") and "\nmemory map (" in a["kdmesg"]
    assert serial.startswith(a["kdmesg"]) and serial.startswith(b["kdmesg"])
    assert b["kdmesg"].startswith(a["kdmesg"])
    assert a["kdmesg2"] == "".join(a["kdmesg"].splitlines(True)[-2:])
    assert "Breakpoint 1, gdb_test_leaf" in a["continue"], a.log
    assert "Breakpoint 1, gdb_test_leaf" in b["continue"], b.log
    assert pc_of(a["pc"]) == pc_of(b["pc"])
    for r in ("rip", "cs", "ss"):
        assert reg_value(a["regs"], r) == reg_value(b["regs"], r), (
            a["regs"], b["regs"])
    assert bt_functions(a["bt"])[:7] == bt_functions(b["bt"])[:7]
    assert a["sym"] == b["sym"]
    for m in ("idt", "text"):
        assert memory_words(a[m]) == memory_words(b[m]), m
        assert len(memory_words(a[m])) in (256, 512)
    assert memory_words(a["rodata"]) == memory_words(b["rodata"])
    # The Python commands only read memory: identical output over both.
    for c in ("kidt", "kpt", "kmem"):
        assert a[c] == b[c], "%s differs:\n%s\n---\n%s" % (c, a[c], b[c])
    leaf = symbols()["gdb_test_leaf"]
    phys = leaf - KERNEL_VMA + KERNEL_PHYS
    assert "-> phys 0x%x" % phys in a["kpt"], a["kpt"]
    # ...and QEMU's own MMU agrees with the walk.
    gpa = q.hmp("gva2gpa 0x%x" % leaf)
    assert "0x%x" % phys in gpa, gpa


def disassembly():
    """address -> mnemonic of every instruction in the kernel."""
    insns = {}
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", ELF],
                         capture_output=True, text=True).stdout
    for line in dis.splitlines():
        m = re.match(r"\s*(ffffffff[0-9a-f]{8}):\t(\S+)(?:\s+(\S+))?", line)
        if m:
            insns[int(m.group(1), 16)] = (m.group(2), m.group(3) or "")
    return insns


def shadowed(insn):
    """True for the instructions after which a TF single-step trap is
    held back one instruction (STI's interrupt shadow, MOV/POP SS)."""
    op, args = insn
    return op == "sti" or (op in ("mov", "pop") and args.endswith("%ss"))


def test_stepi_agrees_with_qemu_stub(tmp_path, vm):
    """100 stepi from the breakpoint at gdb_test_leaf, with our stub and then
    with QEMU's (same VM, same start point; the loop does not branch on data
    and no input is typed, so both must walk the same instructions).

    Our stub steps with the CPU's trap flag, QEMU's stub inside the emulator:
    after an STI the CPU holds the trap back one instruction (the interrupt
    shadow; QEMU models it), so there our trace skips exactly one address.

    This used to differ at irq_restore's `je` after `pushf`: our stub held
    interrupts off by clearing IF for the step, so the stepped pushf saw
    IF=0 and the code skipped its sti. Interrupts are now held off at the
    PIC and the stepped code sees its real RFLAGS.
    """
    q, port, gport = vm
    script = BREAK_AT_LEAF + [("delete", ["delete"]),
                              ("trace", ["@stepi-trace 100"]),
                              ("final", ["info registers rip"])]
    a = run_session(tmp_path, ours(port), script, tag="ours")
    b = run_session(tmp_path, qemus(gport), script, tag="qemu")
    ta = [int(x, 16) for x in trace_of(a["trace"])]
    tb = [int(x, 16) for x in trace_of(b["trace"])]
    assert len(ta) == 100 and len(tb) == 100, a.log + b.log
    assert reg_value(a["final"], "rip") == ta[-1]
    insns = disassembly()
    # Every stop is an instruction boundary of the kernel's disassembly.
    assert all(x in insns for x in ta + tb)
    j, prev, skipped, stalls = 0, pc_of(a["pc"]), 0, 0
    for i, x in enumerate(ta):
        # QEMU's stub has been seen (once in some ten runs) to report a
        # step that did not move, at a `call`: its trace repeats the pc.
        while j < len(tb) and tb[j] == prev and x != prev:
            j += 1
            stalls += 1
        if j >= len(tb):
            break
        if tb[j] != x:
            assert shadowed(insns[prev]) and j + 1 < len(tb) and tb[j + 1] == x, (
                "step %d: our stub at 0x%x, QEMU's at 0x%x (previous 0x%x %s)" % (
                    i, x, tb[j], prev, insns[prev]))
            j += 1
            skipped += 1
        j += 1
        prev = x
    assert stalls <= 2, "QEMU's trace stood still %d times" % stalls
    assert j >= 90, "compared only %d of QEMU's steps" % j
    # The trace left the leaf and came back through the whole chain.
    assert symbols()["gdb_test_leaf"] in ta[1:]


def test_ctrl_c_stops_running_kernel(tmp_path, vm):
    """Interactive GDB (pexpect): continue, Ctrl-C, look, continue, Ctrl-C."""
    pexpect = pytest.importorskip("pexpect")
    q, port, _ = vm
    g = pexpect.spawn("gdb", ["-nx", "-q", "-x", "gdbinit"], cwd=ROOT,
                      timeout=60, encoding="latin-1")
    g.logfile_read = open(str(tmp_path / "gdb-ctrlc.log"), "w")
    try:
        g.expect_exact("(gdb) ")
        g.sendline("set remotetimeout 10")
        g.expect_exact("(gdb) ")
        g.sendline(ours(port))
        g.expect_exact("(gdb) ")
        for _ in range(2):
            g.sendline("continue")
            g.expect_exact("Continuing.")
            wait_loop_runs(q)
            g.sendcontrol("c")
            g.expect(r"received signal SIGINT")
            g.expect_exact("(gdb) ")
            g.sendline("bt")
            g.expect_exact("(gdb) ")
            assert "ktest_fn_gdb_loop" in g.before or "gdb_test_" in g.before, g.before
        g.sendline("detach")
        g.expect("Detached|detached")
        g.sendline("quit")
        g.expect(pexpect.EOF)
    finally:
        g.close(force=True)
        g.logfile_read.close()
    q.send("after-ctrl-c\r")
    q.expect("after-ctrl-c", 30)


class SharedLineQemu(Qemu):
    """Console and GDB on the same UART, on a TCP port (server, wait=on)."""

    def __init__(self, tmpdir, cmdline):
        super().__init__(tmpdir, cmdline=cmdline)
        self.port = free_tcp_port()
        i = self.args.index("--serial")
        self.args[i + 1] = "tcp:127.0.0.1:%d,server=on,wait=on" % self.port

    def start(self):
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=self.stderr, stderr=self.stderr)
        return self

    def line(self, timeout=30):
        deadline = time.time() + timeout
        while True:
            try:
                return socket.create_connection(("127.0.0.1", self.port), 2)
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise AssertionError(self.report("no serial port"))
                time.sleep(0.1)


def read_until(sock, needle, timeout):
    sock.settimeout(1)
    buf, deadline = b"", time.time() + timeout
    while needle not in buf:
        assert time.time() < deadline, "no %r in %r" % (needle, buf[-2000:])
        try:
            d = sock.recv(4096)
        except socket.timeout:
            continue
        assert d, "line closed before %r: %r" % (needle, buf[-2000:])
        buf += d
    return buf


def test_shared_console_line_and_detach(tmp_path):
    """GDB on the console's own UART: the packet attaches the stub, console
    output is muted while GDB owns the line (else the 'breakpoint at' line
    would reach GDB as junk), and after detach the console echoes again."""
    q = SharedLineQemu(tmp_path / "shared", "test=gdb_loop")
    os.makedirs(q.dir, exist_ok=True)
    q.start()
    try:
        s = q.line()
        buf = read_until(s, LOOP_BANNER.encode(), BOOT_TIMEOUT)
        if b"\n" not in buf.split(LOOP_BANNER.encode(), 1)[1]:
            read_until(s, b"\n", 10)  # the rest of the banner line
        s.close()
        syms = symbols()
        r = run_session(tmp_path, ours(q.port), BREAK_AT_LEAF + [
            ("bt", ["bt"]), ("mon", ["monitor help"]), ("delete", ["delete"])])
        assert pc_of(r["pc"]) == syms["gdb_test_leaf"], r.log
        assert bt_functions(r["bt"])[:5] == CHAIN
        assert "continue" in r["mon"]
        s = q.line()
        s.sendall(b"echo-after-detach\r")
        read_until(s, b"echo-after-detach", 30)
        s.close()
        assert q.proc.poll() is None, q.report("QEMU exited")
    finally:
        q.kill()


def test_shared_line_gdb_killed_then_break_key(tmp_path):
    """GDB on the console's UART is killed while the kernel runs: it never
    detached, so the console stays muted for GDB. The break key typed on
    that line is a person: the GDB session is dropped, the monitor answers,
    and after `c` the console echoes again."""
    pexpect = pytest.importorskip("pexpect")
    q = SharedLineQemu(tmp_path / "shared", "test=gdb_loop")
    os.makedirs(q.dir, exist_ok=True)
    q.start()
    try:
        s = q.line()
        read_until(s, LOOP_BANNER.encode(), BOOT_TIMEOUT)
        s.close()
        g = pexpect.spawn("gdb", ["-nx", "-q", "-batch", "-x", "gdbinit",
                                  "-ex", "set remotetimeout 10",
                                  "-ex", "set debug remote 1",
                                  "-ex", ours(q.port), "-ex", "continue"],
                          cwd=ROOT, timeout=60, encoding="latin-1")
        try:
            g.expect_exact("vCont;c#")
            wait_loop_runs(q)  # the stub took it: the kernel runs
        finally:
            g.close(force=True)  # SIGKILL: no detach reaches the kernel
        s = q.line()
        s.sendall(b"\x1c")
        buf = read_until(s, b"triage> ", 30)
        assert b"GDB's session dropped" in buf, buf
        s.sendall(b"c\r")
        s.sendall(b"echo-after-break\r")
        read_until(s, b"echo-after-break", 30)
        s.close()
    finally:
        q.kill()


def stop_values(out):
    """(n, gdb_test_counter) printed by a stop's `p/d n` and `p/d counter`."""
    v = [int(x) for x in re.findall(r"^\$\d+ = (\d+)$", out, re.M)]
    assert len(v) == 2, out
    return v


def test_memory_cache_never_crosses_a_stop(tmp_path, vm):
    """connect-serial turns on GDB's memory cache for kernel RAM (kcache):
    gdb_test_counter, read through it at one stop, must be read anew at the
    next: the kernel wrote it in between (the leaf stores its n, so the
    counter at stop k+1 is n at stop k). The same with the cache off and
    `set remotecache off`, as a GDB without these settings runs."""
    q, port, _ = vm
    look = ["x/64xb &gdb_test_counter", "p/d n", "p/d gdb_test_counter"]
    s = run_session(tmp_path, ours(port), [
        ("mem", ["info mem"]),
        ("break", ["break gdb_test_leaf"]),
        ("stop1", ["continue"] + look),
        ("stop2", ["continue"] + look),
        ("off", ["kcache off", "set remotecache off", "info mem"]),
        ("stop3", ["continue"] + look),
        ("stop4", ["continue"] + look),
    ])
    # RAM in the image is cached; the user half is not.
    assert re.search(r"0xffffffff80000000 0x\w+ rw cache", s["mem"]), s.log
    assert re.search(r"0x0+ 0x0*800000000000 rw nocache", s["mem"]), s.log
    assert "Using memory regions provided by the target" in s["off"], s.log
    assert " cache" not in s["off"], s["off"]
    for a, b in (("stop1", "stop2"), ("stop3", "stop4")):
        n_a, _ = stop_values(s[a])
        n_b, counter_b = stop_values(s[b])
        assert counter_b == n_a, "stale read across a stop:\n" + s.log
        assert n_b != n_a
