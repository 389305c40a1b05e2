"""Hostile programs: traps no debugger asked for, long system calls, FPU
state, absurd sleeps, random system calls. Each must cost only the
offending process, never the kernel or the other processes."""
import re
import time

import pytest

from test_user import boot_shell, sh
from triage_qemu import EXIT_PASS


@pytest.mark.parametrize("debug", ["on", "off"])
def test_user_trap_kills_only_the_process(qemu, debug):
    """int3 and a set trap flag in ring 3 end that process with
    SIGTRAP and a one-line diagnosis; the shell carries on (debug=on used
    to stop everything at triage>, debug=off to halt the machine)."""
    q = boot_shell(qemu, cmdline="debug=%s" % debug)
    out = sh(q, "usertests trap", timeout=60)
    assert "usertests: trap: ok" in out, q.report("usertests trap")
    for what in [r"breakpoint \(int3\)", r"single-step"]:
        assert re.search(r"pid \d+ \(usertests\): SIGTRAP %s at rip 0x4[0-9a-f]+" % what,
                         out), q.report("no diagnosis for %s" % what)
    assert "triage> " not in q.output(), q.report("a user trap entered the monitor")
    assert sh(q, "echo still here") == "still here\n"


def test_sleep_deadline_saturates(qemu):
    """sleep(2^64-1) used to return at once (now + ms wrapped) while
    sleep(2^63) blocked: every absurd length blocks until killed."""
    q = boot_shell(qemu)
    out = sh(q, "usertests sleepmax", timeout=60)
    assert "usertests: sleepmax: ok" in out, q.report("usertests sleepmax")


LONG_WRITE = 256 << 10  # ~10 s of serial output under QEMU TCG


def test_long_write_keeps_time_and_lets_others_run(qemu):
    """One long write(1, buf, n) (interrupts used to be off for all of it:
    8 MiB took minutes while the clock advanced 40 ms): the kernel's clock
    keeps up with the wall clock, another process keeps waking every
    20 ms, and the break key enters the monitor in the middle of it."""
    q = boot_shell(qemu)
    q.send("longwrite %d\r" % LONG_WRITE)
    q.expect("longwrite: start")
    t0 = time.time()
    q.expect(r"(?:[a-z]{63}\r?\n){1000}", timeout=60)  # 64 KB on its way
    q.send(b"\x1c")
    q.expect("break key: entering the monitor", timeout=30)
    q.wait_prompt()
    assert re.search(r"running\s+longwrite", q.cmd("ps")), q.report("ps during the write")
    q.send("c\r")
    m = q.expect(r"longwrite: done after (\d+) ms of uptime; the bystander "
                 r"woke (\d+) times", timeout=600)
    wall_ms = (time.time() - t0) * 1000
    up_ms, woke = int(m.group(1)), int(m.group(2))
    print("longwrite: %.0f ms wall, %d ms uptime, bystander woke %d times"
          % (wall_ms, up_ms, woke))
    assert "longwrite: wrote %d of %d bytes" % (LONG_WRITE, LONG_WRITE) in q.output()
    assert up_ms >= wall_ms / 2, q.report("the clock lost time: %d ms uptime in %.0f ms"
                                          % (up_ms, wall_ms))
    assert woke >= up_ms / 20 / 4, q.report("the bystander woke %d times in %d ms"
                                           % (woke, up_ms))


def test_fpu_state_is_per_process(qemu):
    """Two processes interleave x87 and SSE arithmetic under different
    rounding modes, yielding to each other mid-computation; each must
    find its own registers and results (they used to share one x87 and
    SSE was off). A new program starts with the initial state."""
    q = boot_shell(qemu)
    assert re.search(r"fpu: x87 and SSE for ring 3, FXSAVE state per process", q.output())
    out = sh(q, "usertests fpu", timeout=120)
    assert "usertests: fpu: ok" in out, q.report("usertests fpu")


SYSFUZZ_CALLS = 20000


def test_sysfuzz_leaves_kernel_and_free_pages_intact(qemu):
    """Random system calls (numbers 0-511, hostile pointers and lengths,
    both entries, fixed seed): no kernel fault, no page leaked, and the
    shell still works afterwards."""
    q = boot_shell(qemu)
    out = sh(q, "sysfuzz %d" % SYSFUZZ_CALLS, timeout=600)
    m = re.search(r"sysfuzz: (\d+) calls \((\d+) syscall, (\d+) int 0x80\)", out)
    assert m, q.report("sysfuzz did not finish")
    assert int(m.group(1)) > SYSFUZZ_CALLS * 0.9
    assert int(m.group(2)) > 0 and int(m.group(3)) > 0
    m = re.search(r"free pages before (\d+) after (\d+), user pages before (\d+) after (\d+)", out)
    assert m and m.group(1) == m.group(2) and m.group(3) == m.group(4), q.report("pages leaked")
    assert "sysfuzz: ok" in out, q.report("sysfuzz failed")
    assert "EXCEPTION" not in q.output() and "triage> " not in q.output()
    assert sh(q, "echo alive") == "alive\n"


# --- hostile command lines: a warning naming the value, then boot goes on

@pytest.mark.parametrize("console,why", [
    # used to reset the machine before any output (phys + len wrapped)
    ("mmio:0xffffffffffffffff", "registers would run past the top of the address space"),
    ("mmio:0xfffffffffffff000", "0xfffffffffffff000 is above 64 GiB"),
    ("mmio:99999999999999999999", "a number that fits 64 bits"),
    # RAM echoes what is written: it used to pass the probe
    # (well above the kernel image and the initrd, which grow)
    ("mmio:0x8000000", "0x8000000 is RAM by the memory map, not a UART"),
    ("mmio32:0x101000", "0x101000 is inside the kernel image, not a UART"),
    ("mmio32:0xfe030002", "must be 4-byte aligned"),
    # used to say "console=: no UART answers there"
    ("ttyS1", "no UART answers there"),
])
def test_hostile_console_warns_and_boot_continues(qemu, console, why):
    q = qemu(cmdline="console=%s test=boot" % console)
    out = q.verdict(EXIT_PASS)
    want = r"warning: console=%s: [^\n]*%s[^\n]*; using console=auto" % (
        re.escape(console), re.escape(why))
    assert re.search(want, out), q.report("no warning naming %s" % console)
    assert re.search(r"console: 16550 at io 0x3f8", out)


def test_baud_beyond_the_uart_clock_is_refused_by_name(qemu):
    """A PC UART's 1.8432 MHz clock / 16 makes at most 115200 baud: 230400
    on console= and gdb= is refused with a message naming the limit (it
    used to be refused as "must divide 115200", or clamped), the console
    runs at 115200 and GDB stays on it; 57000 runs as 57600 (within 2%)
    and the console line says the rate the divisor gives."""
    q = qemu(cmdline="console=ttyS0,230400 gdb=ttyS1,230400 test=boot",
             serial2="null")
    out = q.verdict(EXIT_PASS)
    limit = ("230400 baud is faster than this UART can go: its 1843200 Hz "
             "clock / 16 gives at most 115200 baud")
    assert "warning: console=ttyS0,230400: %s; using 115200 baud" % limit \
        in out, q.report("no warning naming the limit")
    assert "warning: gdb=ttyS1,230400: %s; GDB stays on the console" % limit \
        in out, q.report("no gdb= warning naming the limit")
    assert re.search(r"console: 16550 at io 0x3f8[^\n]*, 115200 baud", out)
    q = qemu(cmdline="console=ttyS0,57000 test=boot")
    out = q.verdict(EXIT_PASS)
    assert re.search(r"console: 16550 at io 0x3f8[^\n]*, 57600 baud", out), \
        q.report("57000 not run as 57600")
    q = qemu(cmdline="console=ttyS0,100000 test=boot")
    out = q.verdict(EXIT_PASS)
    assert ("100000 baud is not within 2% of a rate this UART's 1843200 Hz "
            "clock makes (clock / 16 / a whole divisor): the nearest are "
            "57600 and 115200") in out, q.report("no nearest rates named")


def test_gdb_on_the_console_uart_shares_it(qemu):
    """gdb=ttyS0 with the console on ttyS0 names one UART: the stub shares
    the console's driver state (one transmit-FIFO count, one rate) instead
    of setting the UART up a second time."""
    q = qemu(cmdline="gdb=ttyS0,9600 test=boot")
    out = q.verdict(EXIT_PASS)
    assert "gdb: gdb=ttyS0,9600 is the console's UART: the stub shares the " \
        "console line" in out, q.report("no sharing message")
    assert "gdb: stub on 16550 at io 0x3f8" not in out
    assert re.search(r"console: 16550 at io 0x3f8[^\n]*, 115200 baud", out)


def test_number_too_big_is_rejected_not_wrapped(qemu):
    q = qemu(cmdline="hz=99999999999999999999 test=timer")
    out = q.verdict(EXIT_PASS)
    assert ("warning: cmdline: option 'hz' wants a number, got "
            "'99999999999999999999'; ignored") in out, q.report("no warning")
    m = re.search(r"timer: 20 ticks at (\d+) Hz", out)
    assert m and m.group(1) == "100", q.report("hz not left at its default")
