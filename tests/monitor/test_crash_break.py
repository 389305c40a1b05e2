"""Every `crash` kind lands in the monitor with the right diagnosis; breakpoints,
watchpoints and single-step stop in the monitor; recoverable stops resume."""
import re

import pytest

KINDS = [
    # kind, headline, resumable
    ("de", r"#DE divide error \(vector 0\) at 0x[0-9a-f]+ <crash_de\+", False),
    ("ud", r"#UD invalid opcode \(vector 6\) at 0x[0-9a-f]+ <crash_ud\+", False),
    ("gp", r"#GP general protection \(vector 13\) at 0x[0-9a-f]+ <crash_gp\+", False),
    ("pf", r"#PF page fault \(vector 14\) at 0x[0-9a-f]+ <crash_pf\+", False),
    ("noncanonical", r"#GP general protection \(vector 13\).*\n(.*\n)*hint: .*non-canonical", False),
    ("stack", r"#DF double fault \(vector 8\)(.*\n)*.*guard page below the \w+ stack: kernel stack overflow", False),
    ("idt", r"#NP segment not present \(vector 11\)(.*\n)*error code 0x[0-9a-f]+: IDT entry of vector 144", False),
    ("int3", r"#BP breakpoint \(vector 3\) at 0x[0-9a-f]+ <crash_int3\+", True),
    ("nmi", r"NMI non-maskable interrupt \(vector 2\)", True),
]


def boot_to_prompt(qemu):
    q = qemu(cmdline="debug=monitor")
    q.wait_prompt()
    return q


@pytest.mark.parametrize("kind,headline,resumable", KINDS, ids=[k[0] for k in KINDS])
def test_crash_lands_in_monitor(qemu, kind, headline, resumable):
    q = boot_to_prompt(qemu)
    q.send("crash %s\r" % kind)
    q.expect(headline)
    q.wait_prompt()
    if resumable:
        q.send("c\r")
        q.expect("resuming")
        q.send("alive after %s\r" % kind)
        q.expect(r"alive after %s\r?\n" % kind)  # the idle loop echoes
    else:
        out = q.cmd("c")
        assert "cannot continue" in out, q.report(out)
        assert "still here" in q.cmd("echo still here")  # and it stays
    q.kill()


def test_double_fault_mode_refuses_unsafe_commands(qemu):
    q = boot_to_prompt(qemu)
    q.send("crash stack\r")
    q.expect("#DF double fault")
    q.wait_prompt()
    assert "hi" in q.cmd("echo hi")  # safe after a double fault
    out = q.cmd("crash de")           # not safe there
    assert re.search(r"double fault", out), q.report(out)
    q.kill()


def test_breakpoint_step_and_clear(qemu):
    q = boot_to_prompt(qemu)
    assert "breakpoint at" in q.cmd("bp pit_irq")
    assert "pit_irq" in q.cmd("bl")
    q.send("c\r")
    q.expect(r"breakpoint at 0x[0-9a-f]+ <pit_irq\+0x0>")
    q.wait_prompt()
    out = q.cmd("eval $rip")
    assert re.search(r"<pit_irq(\+0x0)?>", out), out  # RIP rewound onto the breakpoint
    q.send("s\r")
    q.expect(r"step: now at 0x[0-9a-f]+ <pit_irq\+0x[1-9a-f][0-9a-f]*>")
    q.wait_prompt()
    q.cmd("bc all")
    assert "no breakpoints" in q.cmd("bl")
    q.send("c\r")
    q.send("runs again\r")
    q.expect(r"runs again\r?\n")
    q.kill()


def test_breakpoint_bytes_hidden_while_stopped(qemu):
    """While stopped, memory shows the original byte, not int3 (0xcc)."""
    q = boot_to_prompt(qemu)
    q.cmd("bp pit_irq")
    q.send("c\r")
    q.expect("breakpoint at")
    q.wait_prompt()
    addr = int(re.search(r"0x([0-9a-f]+) =", q.cmd("eval pit_irq")).group(1), 16)
    first = q.hmp("x /1xb 0x%x" % addr)
    assert "0xcc" not in first.lower(), first
    q.kill()


def test_watchpoint_fires_on_write(qemu):
    q = boot_to_prompt(qemu)
    out = q.cmd("watch ticks 8 w")
    assert "watch:" not in out, out
    assert "watch-w" in q.cmd("bl")
    q.send("c\r")
    q.expect(r"watchpoint hit at 0x[0-9a-f]+ <clock_tick\+")
    q.wait_prompt()
    q.cmd("bc ticks")
    q.send("c\r")
    q.expect("resuming")
    q.send("echo works\r")
    q.expect(r"echo works\r?\n")
    q.kill()


def test_bad_breakpoint_input(qemu):
    q = boot_to_prompt(qemu)
    assert "not mapped" in q.cmd("bp 0xffff8ff000000000")
    assert "unknown symbol" in q.cmd("bp no_such_function")
    assert "aligned" in q.cmd("watch ticks+1 8")
    assert "none set there" in q.cmd("bc 0x1234")
    assert "ok" in q.cmd("echo ok")
    q.kill()


def test_crash_record_survives_warm_reset(qemu):
    q = qemu(cmdline="debug=monitor", allow_reboot=True)
    q.wait_prompt()
    q.send("crash pf\r")
    q.expect(r"#PF page fault")
    q.wait_prompt()
    q.send("reboot\r")
    q.expect("rebooting")
    q.expect(r"triage \S+ - x86-64 kernel debugger")  # the next boot
    m = q.expect(r"previous boot ended with: #PF page fault \(vector 14\) at 0x[0-9a-f]+ <crash_pf\+0x[0-9a-f]+>")
    q.expect(r"CR2 0x0 ")
    q.wait_prompt()
    q.send("reboot\r")  # reported once: a clean reboot says nothing
    q.expect(r"triage \S+ - x86-64 kernel debugger")
    q.wait_prompt()
    assert "previous boot ended" not in q.output()[m.end():]
    q.kill()
