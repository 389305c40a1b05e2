"""test_lldb.py — LLDB 14 (`lldb`, Debian's) against triage's stub and against
QEMU's stub on the same VM: connect (`gdb-remote`), registers (cr3, xmm0 written and read back),
memory, a breakpoint, a step, continue, interrupt, detach, reconnect. After
every detach the kernel runs (its console echoes); the values both stubs
give agree, and agree with the ELF.

LLDB is driven interactively on a pty (pexpect): batch mode cannot interrupt
a running process. Its Python module is not usable on Debian 12 (lldb-14's
package lacks it), so the test reads LLDB's printed output.

QEMU's stub sends a stop reply unasked when a client connects to a running
VM, which LLDB takes as the answer to its first packet: the VM is paused
through QEMU's monitor before LLDB connects there (GDB does not mind).
Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_lldb.py
"""
import os
import re
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from test_gdb_kernel import (BOOT_TIMEOUT, CMDLINE, LOOP_BANNER,  # noqa: E402
                             ours, run_session, symbols)
from triage_qemu import ELF, ROOT, free_tcp_port  # noqa: E402

PROMPT = r"\(lldb\) "
CHAIN = ["gdb_test_leaf", "gdb_test_level3", "gdb_test_level2",
         "gdb_test_level1", "gdb_test_loop", "ktest_fn_gdb_loop", "ktest_run",
         "kmain", "kernel_entry64"]


class Lldb:
    """One interactive LLDB on a pty; commands answer through expect."""

    def __init__(self, log_path):
        pexpect = pytest.importorskip("pexpect")
        self.pexpect = pexpect
        self.p = pexpect.spawn("lldb", ["--no-lldbinit", "--no-use-colors"],
                               cwd=ROOT, encoding="latin-1", timeout=60,
                               env=dict(os.environ, TERM="dumb"))
        self.p.logfile_read = open(log_path, "w")
        self.p.expect(PROMPT)
        self.cmd("settings set interpreter.prompt-on-quit false")

    def cmd(self, line, until=PROMPT):
        """Run line; return the text up to `until` (a regex)."""
        self.p.sendline(line)
        self.p.expect(until)
        return self.p.before + self.p.after

    def stopped(self, line):
        """Run line, which stops the process; return the stop report."""
        out = self.cmd(line, r"stop reason = [^\r\n]*")
        self.p.expect(PROMPT)
        return out

    def close(self):
        self.p.sendline("quit")
        self.p.expect(self.pexpect.EOF)
        self.p.logfile_read.close()


def reg(out, name):
    m = re.search(r"\b%s = (0x[0-9a-f]+)" % name, out)
    assert m, "no %s in %r" % (name, out)
    return int(m.group(1), 16)


def vector(out, name):
    """The bytes of a vector register as `register read` prints them."""
    m = re.search(r"\b%s = \{([^}]*)\}" % name, out)
    assert m, "no %s in %r" % (name, out)
    return [int(b, 16) for b in m.group(1).split()]


# Written into xmm0 through triage's stub (the CPU thread: the live CPU).
XMM0 = list(range(0x10, 0x20))


def frames(out):
    module = re.escape(os.path.basename(ELF))
    return re.findall(r"frame #\d+: 0x[0-9a-f]+ %s`(\w+)" % module, out)


def session(lldb, port, before_connect, write_xmm0=False):
    """The script, against the stub on port. Returns what it saw."""
    seen = {}
    before_connect()
    lldb.cmd("gdb-remote 127.0.0.1:%d" % port, r"Process 1 stopped")
    lldb.p.expect(PROMPT)
    out = lldb.cmd("register read rip rsp cs ss cr0 cr3")
    seen["cs"], seen["ss"] = reg(out, "cs"), reg(out, "ss")
    seen["cr0"], seen["cr3"] = reg(out, "cr0"), reg(out, "cr3")
    if write_xmm0:
        lldb.cmd('register write xmm0 "{%s}"' % " ".join(
            "0x%02x" % b for b in XMM0))
    out = lldb.cmd("register read xmm0 xmm15 mxcsr fctrl fstat")
    seen["xmm0"], seen["xmm15"] = vector(out, "xmm0"), vector(out, "xmm15")
    for name in ("mxcsr", "fctrl", "fstat"):
        seen[name] = reg(out, name)
    out = lldb.cmd("memory read --size 8 --format x --count 8 gdb_test_leaf")
    seen["text"] = re.findall(r"0x[0-9a-f]{16}(?!:)", out)
    lldb.cmd("breakpoint set --name gdb_test_leaf", r"Breakpoint \d+: where")
    lldb.p.expect(PROMPT)
    out = lldb.stopped("process continue")
    assert re.search(r"breakpoint \d+\.1", out), out
    seen["bp_rip"] = reg(lldb.cmd("register read rip"), "rip")
    out = lldb.stopped("thread step-inst")
    assert "instruction step into" in out, out
    seen["step_rip"] = reg(lldb.cmd("register read rip"), "rip")
    seen["bt"] = frames(lldb.cmd("bt"))
    lldb.cmd("breakpoint delete --force")
    lldb.cmd("process continue", r"resuming")
    lldb.p.expect(PROMPT)
    out = lldb.stopped("process interrupt")
    assert "signal SIGINT" in out or "signal SIGTRAP" in out, out
    lldb.cmd("process detach", r"detached")
    lldb.p.expect(PROMPT)
    return seen


def test_lldb_against_both_stubs(tmp_path, qemu):
    if not shutil.which("lldb"):
        pytest.skip("lldb is not installed (scripts/install-deps adds it)")
    port, gport = free_tcp_port(), free_tcp_port()
    q = qemu(cmdline=CMDLINE,
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port,
             extra=["-gdb", "tcp:127.0.0.1:%d" % gport])
    q.expect(LOOP_BANNER, BOOT_TIMEOUT)
    lldb = Lldb(str(tmp_path / "lldb.log"))
    try:
        lldb.cmd("target create %s" % ELF, r"Current executable set")
        lldb.p.expect(PROMPT)
        runs = {}
        for tag, p, pause in (("ours", port, lambda: None),
                              ("qemu", gport, lambda: q.hmp("stop"))):
            runs[tag] = session(lldb, p, pause, write_xmm0=tag == "ours")
            q.send("after-%s\r" % tag)  # detached: the kernel runs
            q.expect("after-%s" % tag, 30)
        # Reconnect to triage's stub: a new client, acked and answered.
        lldb.cmd("gdb-remote 127.0.0.1:%d" % port, r"Process 1 stopped")
        lldb.p.expect(PROMPT)
        assert reg(lldb.cmd("register read cr3"), "cr3") == runs["ours"]["cr3"]
        lldb.cmd("process detach", r"detached")
        lldb.p.expect(PROMPT)
        q.send("after-reconnect\r")
        q.expect("after-reconnect", 30)
    finally:
        lldb.close()
    syms = symbols()
    a, b = runs["ours"], runs["qemu"]
    for key in ("cs", "ss", "cr0", "cr3", "bp_rip", "step_rip", "text",
                "xmm0", "xmm15", "mxcsr", "fctrl", "fstat"):
        assert a[key] == b[key], "%s: ours %r, QEMU's %r" % (key, a[key], b[key])
    assert a["bp_rip"] == syms["gdb_test_leaf"]
    assert a["step_rip"] > a["bp_rip"]
    assert a["bt"] == b["bt"] == CHAIN, (a["bt"], b["bt"])
    # The x87/SSE state: LLDB's write went into the CPU (QEMU reads it
    # back after the kernel ran on), and GDB reads what LLDB does.
    assert a["xmm0"] == XMM0 and a["mxcsr"] == 0x1f80, a
    g = run_session(tmp_path, ours(port), [
        ("xmm0", ["p/x $xmm0.v16_int8", "p/x $mxcsr"])], tag="gdb")
    assert "= %s" % ("{%s}" % ", ".join("0x%x" % v for v in XMM0)) in g["xmm0"], g.log
    assert "= 0x1f80" in g["xmm0"], g.log
    # The text both read is the ELF's (GDB reading the file, no target).
    elf = subprocess.run(["gdb", "-batch", "-nx", "-ex", "x/8xg gdb_test_leaf",
                          ELF], capture_output=True, text=True).stdout
    assert a["text"] == re.findall(r"\t(0x[0-9a-f]{16})", elf), elf
