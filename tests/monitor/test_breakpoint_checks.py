"""Breakpoints and watchpoints check what they are given and say what they
did: no int3 into data, no watchpoint at 0, non-canonical or overlapping
another, and a watchpoint hit names the slot, the address and the old and
new value (compared with QEMU's view of the memory)."""
import re
import subprocess

from monitor_util import boot, eval_addr, HEX
from user_bin import BIN


def qemu_qword(q, va):
    out = q.hmp("x /1gx 0x%x" % va)
    return int(re.search(r":\s+0x([0-9a-f]+)", out).group(1), 16)


def test_bp_on_kernel_data_is_refused(qemu):
    q = boot(qemu)
    ticks = eval_addr(q, "ticks")
    before = q.hmp("x /1bx 0x%x" % ticks)
    out = q.cmd("bp ticks")
    assert "not code" in out and "watch" in out, out
    assert "no breakpoints" in q.cmd("bl")
    q.send("c\r")
    q.expect("resuming")
    q.send(b"\x1c")
    q.wait_prompt()
    assert "0xcc" not in q.hmp("x /1bx 0x%x" % ticks).lower(), before
    assert "breakpoint at" in q.cmd("bp pit_irq")   # code still works
    q.kill()


def test_bp_on_user_data_is_refused_user_code_taken(qemu):
    nm = subprocess.run(["nm", BIN + "/hello"], capture_output=True,
                        text=True, check=True).stdout
    syms = {n: int(a, 16) for a, t, n in re.findall(r"^(\w+) (\w) (\w+)$", nm, re.M)}
    q = boot(qemu, cmdline="debug=monitor init=hello")
    q.cmd("bp sys_write")
    q.send("c\r")
    q.expect(r"breakpoint at 0x[0-9a-f]+ <sys_write\+0x0>")
    q.wait_prompt()
    out = q.cmd("bp 0x%x" % syms["base"])      # .bss of hello
    assert "not code" in out, out
    assert "breakpoint at" in q.cmd("bp 0x%x" % syms["main"])
    q.kill()


def test_watch_refuses_zero_noncanonical_and_overlap(qemu):
    q = boot(qemu)
    assert "address 0 or not canonical" in q.cmd("watch 0")
    assert "address 0 or not canonical" in q.cmd("watch 0xdead000000000000")
    assert "address 0 or not canonical" in q.cmd("hbp 0")
    out = q.cmd("watch ticks 8")
    assert re.search(r"watchpoint DR0 at 0x[0-9a-f]+ <ticks\+0x0> len 8, "
                     r"stops on writes", out), out
    assert "overlaps" in q.cmd("watch ticks 4 rw")
    assert "overlaps" in q.cmd("watch ticks+4 4")
    assert len(re.findall(r"watch-", q.cmd("bl"))) == 1
    out = q.cmd("hbp pit_irq")
    assert re.search(r"hardware breakpoint DR1 at 0x[0-9a-f]+ <pit_irq\+0x0>",
                     out), out
    out = q.cmd("bc ticks")
    assert re.search(r"cleared watch-w DR0 at 0x[0-9a-f]+ <ticks\+0x0>", out), out
    out = q.cmd("bc pit_irq")
    assert re.search(r"cleared hw-exec DR1 at", out), out
    q.cmd("bp pit_irq")
    assert re.search(r"cleared int3 at 0x[0-9a-f]+ <pit_irq\+0x0>",
                     q.cmd("bc pit_irq"))
    q.kill()


def test_watch_hit_says_slot_address_old_and_new(qemu):
    q = boot(qemu)
    ticks = eval_addr(q, "ticks")
    q.cmd("hbp kmain")                   # DR0 taken: the watch gets DR1
    q.cmd("watch ticks 8")
    q.send("c\r")
    m = q.expect(r"watchpoint hit at 0x[0-9a-f]+ <clock_tick\+0x[0-9a-f]+>\r?\n"
                 r"  DR1 watch-w 0x0*%s <ticks\+0x0> len 8: old 0x%s, new 0x%s"
                 % (format(ticks, "x"), HEX, HEX))
    old, new = int(m.group(1), 16), int(m.group(2), 16)
    q.wait_prompt()
    assert new == old + 1, (old, new)          # clock_tick counts one
    assert qemu_qword(q, ticks) == new, "QEMU sees another value"
    q.kill()
