"""Monitor basics over the serial line: entry at boot, help, errors, resume."""
import re


def test_debug_monitor_enters_at_boot_and_c_resumes(qemu):
    q = qemu(cmdline="debug=monitor")
    q.expect("debug=monitor: entering the monitor")
    q.wait_prompt()
    q.cmd("pager 0")  # help is longer than a page
    out = q.cmd("help")
    assert "help" in out and "echo" in out and "vmmap" in out
    q.send("c\r")
    q.expect("resuming")
    q.send("typed after resume\r")
    q.expect(r"typed after resume\r?\n")  # the idle loop echoes again
    q.kill()


def test_garbage_input_keeps_monitor_alive(qemu):
    q = qemu(cmdline="debug=monitor")
    q.wait_prompt()
    assert "unknown command 'frobnicate'" in q.cmd("frobnicate 1 2")
    assert "bad number" in q.cmd("eval 0xzz") or "unknown symbol" in q.cmd("eval 0xzz")
    q.cmd("x" * 4096)
    q.send(bytes(range(0, 256)) * 2 + b"\x15\r")  # every byte, then Ctrl-U
    q.send("echo still-alive-%d\r" % (6 * 7))
    q.expect(r"\nstill-alive-42")
    q.wait_prompt()
    assert "hello" in q.cmd("echo hello")
    q.kill()


def test_break_key_enters_monitor_from_running_kernel(qemu):
    q = qemu(cmdline="")
    q.expect("boot complete")
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    out = q.cmd("eval $rip")
    assert re.search(r"<\w+(\+0x[0-9a-f]+)?>", out), out  # +0 prints bare
    q.send("c\r")
    q.expect("resuming")
    q.kill()


def test_debug_off_ignores_break_key(qemu):
    """debug=off: locked down - the break key is ordinary input, no monitor."""
    q = qemu(cmdline="debug=off")
    q.expect("boot complete")
    q.send(b"\x1c")
    q.send("after break\r")
    q.expect(r"after break\r?\n")
    assert "entering the monitor" not in q.output()
    assert "triage> " not in q.output()
    q.kill()
