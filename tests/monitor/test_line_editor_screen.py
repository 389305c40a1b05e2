"""The monitor's line editor as a terminal shows it: the serial bytes are
rendered by a VT100 emulator (pyte) and the line under the cursor is read
back, so a redraw that loses its carriage return shows up as the garbled
line a person would see (`histriage> history`)."""
import time

import pyte
import pytest

from monitor_util import boot

UP = "\x1b[A"
CTRL_U = "\x15"
CTRL_W = "\x17"


def screen(q):
    """A 80x24 terminal fed with everything the serial line sent."""
    s = pyte.Screen(80, 24)
    pyte.ByteStream(s).feed(q.output().encode("latin-1"))
    return s


def cursor_line(q):
    s = screen(q)
    return s.display[s.cursor.y].rstrip()


def wait_line(q, want, timeout=15):
    """Poll the emulated screen until the cursor's line reads want."""
    deadline = time.time() + timeout
    while True:
        got = cursor_line(q)
        if got == want:
            return
        if time.time() > deadline:
            raise AssertionError(q.report("screen line %r, expected %r\n%s" % (
                got, want, "\n".join(screen(q).display))))
        time.sleep(0.05)


@pytest.fixture
def mon(qemu):
    q = boot(qemu)
    wait_line(q, "triage>")
    return q


def test_tab_completion_redraws_one_line(mon):
    mon.send("hist\t")
    wait_line(mon, "triage> history")


def test_ctrl_u_clears_the_line(mon):
    mon.send("echo abcdef" + CTRL_U + "eval 1")
    wait_line(mon, "triage> eval 1")


def test_ctrl_w_erases_a_word(mon):
    mon.send("echo one two" + CTRL_W)
    wait_line(mon, "triage> echo one")


def test_cursor_edit_in_the_middle(mon):
    mon.send("echo ac" + "\x1b[D" + "b")   # left arrow, insert
    wait_line(mon, "triage> echo abc")


def test_history_recall(mon):
    mon.cmd("echo first-line")
    mon.send("eval 12345" + UP)
    wait_line(mon, "triage> echo first-line")


def test_more_prompt_is_erased(mon):
    mon.cmd("pager 5")
    mon.send("help\r")
    mon.expect("--More--")
    mon.send("q")
    mon.wait_prompt()
    wait_line(mon, "triage>")
    assert "--More--" not in "\n".join(screen(mon).display)


def test_idt_quit_at_more_then_enter_resumes_at_the_first_unseen_gate(mon):
    import re
    mon.cmd("pager 6")
    start = len(mon.buf)
    mon.send("idt\r")
    mon.expect("--More--")
    mon.send("q")
    mon.wait_prompt()
    shown = [int(v) for v in re.findall(r"^\s*(\d+) ", mon.buf[start:].decode(
        "latin-1"), re.M)]
    assert shown == list(range(len(shown))) and shown, shown
    mon.send("\r")  # continue: the gate cut off by q comes first
    m = mon.expect(r"\n\s*(\d+) \S+\s+(?:intr|trap|\S+)")
    assert int(m.group(1)) == shown[-1] + 1, mon.report(m.group(0))


def test_key_typed_ahead_of_more_starts_the_next_line(mon):
    """A command typed while a long output pauses at --More-- is not eaten
    as a page answer: the output stops and the whole line runs."""
    mon.cmd("pager 5")
    mon.send("help\recho typed-ahead\r")
    mon.expect(r"\ntyped-ahead\r?\n")
    mon.wait_prompt()
    wait_line(mon, "triage>")
