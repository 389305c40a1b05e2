"""dmesg: the kernel log ring printk keeps, checked against the serial log
the same text was printed to, also once a long `s N` trace has wrapped it."""
import re
import subprocess

from monitor_util import boot, stop_in_gdb_loop
from triage_qemu import ROOT, free_tcp_port

BANNER = re.compile(r"triage \S+ - x86-64 kernel debugger\n")
ENTRY = "debug=monitor: entering the monitor; 'c' continues.\n"
WRAPPED = re.compile(r"\(the log holds the last 65536 bytes; (\d+) older ones "
                     r"were overwritten\)\n")


def boot_log(q):
    """The serial log from the banner to the monitor's entry, CRs removed."""
    serial = q.output().replace("\r", "")
    start = BANNER.search(serial).start()
    return serial[start:serial.index(ENTRY) + len(ENTRY)]


def test_dmesg_is_the_boot_log_as_printed(qemu):
    q = boot(qemu)
    log = boot_log(q)
    assert "\nmemory map (" in log and "\nusable RAM: " in log, log
    assert q.cmd("dmesg") == log
    lines = log.split("\n")[:-1]
    assert q.cmd("dmesg 3") == "\n".join(lines[-3:]) + "\n"
    assert q.cmd("dmesg 1") == ENTRY
    assert q.cmd("dmesg 9999") == log
    assert "line count 0 is out of range" in q.cmd("dmesg 0")


def test_dmesg_after_the_ring_wrapped(qemu):
    """`s 1800` prints a line per step (about 100 KiB): the ring keeps the
    newest 64 KiB, from the first whole line, and says how much it lost.
    (The loop stepped through prints nothing itself: stepping printk would
    log its characters before the console shows them.)"""
    gport = free_tcp_port()
    q = stop_in_gdb_loop(qemu, extra=["-gdb", "tcp:127.0.0.1:%d" % gport])
    q.cmd("bc gdb_test_leaf")  # `s N` would stop there again
    before = q.cmd("dmesg")
    assert not WRAPPED.match(before) and "gdb_loop: running" in before
    trace = q.cmd("s 1800", timeout=600)
    assert len(re.findall(r"^step: now at 0x[0-9a-f]{16}", trace, re.M)) == 1800
    out = q.cmd("dmesg")
    m = WRAPPED.match(out)
    assert m, out[:200]
    kept = out[m.end():]
    assert 65536 - 200 < len(kept) <= 65536 and trace.endswith(kept)
    assert kept.startswith("\n") or kept.startswith("step: now at")
    # every character printk wrote: dropped + kept
    assert int(m.group(1)) + len(kept) == len(before) + len(trace)
    tail = trace.split("\n")[:-1][-5:]
    assert q.cmd("dmesg 5") == "\n".join(tail) + "\n"
    # GDB's kdmesg reads the same ring (here through QEMU's own stub)
    gdb = subprocess.run(
        ["gdb", "-batch", "-nx", "-x", "gdbinit",
         "-ex", "connect-qemu 127.0.0.1:%d" % gport, "-ex", "echo @@ALL@@\\n",
         "-ex", "kdmesg", "-ex", "echo @@FIVE@@\\n", "-ex", "kdmesg 5",
         "-ex", "echo @@END@@\\n", "-ex", "detach"],
        cwd=ROOT, capture_output=True, text=True, timeout=120).stdout
    m = re.search(r"@@ALL@@\n(.*)@@FIVE@@\n(.*)@@END@@", gdb, re.S)
    assert m, gdb
    assert m.group(1) == out and m.group(2) == "\n".join(tail) + "\n"
