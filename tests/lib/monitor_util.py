"""monitor_util — helpers shared by the monitor tests: boot to the prompt, read values."""
import re

HEX = r"([0-9a-f]+)"


def boot(qemu, mem="256M", cmdline="debug=monitor"):
    """Boot to the monitor prompt with the pager off; returns the Qemu."""
    q = qemu(cmdline=cmdline, mem=mem)
    q.wait_prompt()
    q.cmd("pager 0")
    return q


def eval_addr(q, expr):
    """The value of a monitor expression (symbols, $regs, arithmetic)."""
    out = q.cmd("eval " + expr)
    m = re.match(r"0x([0-9a-f]+) =", out)
    assert m, out
    return int(m.group(1), 16)


def hmp_reg(info, name):
    """A register from QEMU's `info registers` (or a -d int dump)."""
    m = re.search(r"\b%s\s*=\s*%s" % (re.escape(name), HEX), info)
    assert m, "no %s in QEMU's registers:\n%s" % (name, info)
    return int(m.group(1), 16)


def stop_in_gdb_loop(qemu, at="gdb_test_leaf", **kw):
    """Boot test=gdb_loop (kernel/ktests/ktests_gdb.c: a call chain looping
    forever, printing nothing), break in, set a breakpoint at `at` and run
    to it; pager off. kw goes to qemu(). Returns the Qemu."""
    q = qemu(cmdline="test=gdb_loop", **kw)
    q.expect("gdb_loop: running")
    q.send(b"\x1c")
    q.wait_prompt()
    q.cmd("pager 0")
    assert "breakpoint at" in q.cmd("bp " + at)
    out = q.cmd("c")
    assert "<%s+0x0>" % at in out, q.report(out)
    return q
