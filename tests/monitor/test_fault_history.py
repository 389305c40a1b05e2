"""The fault history keeps the debugger's own exceptions apart: fix-ups,
its single-steps and planted int3s are listed by `faults` with a tag, and
left out of the chain a crash diagnosis and the crash record show."""
import re


def history_lines(text):
    """The '#DF'-diagnosis' exception history: [(vector, tag)]."""
    part = text[text.index("exception history"):]
    part = part[:part.index("backtrace:")] if "backtrace:" in part else part
    return [(int(v), t) for v, t in re.findall(
        r"^#\d+\s+vector\s+(\d+) .*?(?:\[([^\]]+)\])?$", part, re.M)]


def test_debugger_events_tagged_and_kept_out_of_the_crash(qemu):
    q = qemu(cmdline="debug=monitor", allow_reboot=True)
    q.wait_prompt()
    q.cmd("pager 0")
    q.cmd("wrmsr 0x6e1 0x100000000")       # #GP absorbed by the fix-up
    q.cmd("bp pit_irq")
    q.send("c\r")
    q.expect("breakpoint at")                # #BP of a planted int3
    q.wait_prompt()
    q.cmd("bc pit_irq")
    q.send("s\r")
    q.expect("step: now at")                 # #DB of the debugger's step
    q.wait_prompt()
    out = q.cmd("faults")
    tags = dict((int(v), t) for v, t in re.findall(
        r"^#\d+\s+vector\s+(\d+) .*\[([^\]]+)\]$", out, re.M))
    assert tags == {13: "fix-up", 3: "debugger breakpoint",
                    1: "debugger step"}, out
    q.send("c\r")
    q.expect("resuming")
    q.send(b"\x1c")
    q.wait_prompt()
    start = len(q.output())
    q.send("crash stack\r")
    q.expect(r"#DF double fault")
    q.wait_prompt()
    hist = history_lines(q.output()[start:])
    assert hist and all(t == "" for _, t in hist), q.report(str(hist))
    assert {v for v, _ in hist} <= {8, 14}, q.report(str(hist))
    q.send("reboot\r")
    q.expect(r"previous boot ended with: #DF double fault")
    m = q.expect(r"last exceptions[^\n]*:\r?\n((?:    \S+ at .*\n)*)bootloader")
    listed = re.findall(r"^    (\S+) at", m.group(1).decode(), re.M)
    assert listed and set(listed) <= {"#DF", "#PF"}, q.report(str(listed))
    q.kill()


def test_copy_on_write_breaks_are_counted_not_listed(qemu):
    """fork's copy-on-write breaks never reach the log: `faults` says how
    many there were instead of listing them (QEMU's count of #PFs taken is
    the truth for the total)."""
    q = qemu(cmdline="")
    q.expect(r"\$ ")
    q.send("hello\r")                          # the shell forks: CoW
    q.expect("Hello from userspace")
    q.expect(r"\$ ")
    q.send(b"\x1c")
    q.wait_prompt()
    q.cmd("pager 0")
    out = q.cmd("faults")
    m = re.search(r"\(and (\d+) copy-on-write page faults?, handled before "
                  r"the log and not listed\)", out)
    assert m and int(m.group(1)) > 0, out
    q.kill()
