"""Ring-3 tests. With init=demos, the first process runs hello and the fault
demos; each fault kills only its process with a one-line diagnosis, the kernel
goes on. On a default boot, init runs the shell: programs with arguments,
exit statuses, usertests, and init restarting the shell."""
import re

import pytest

from shell_util import SH_PROMPT, sh, usertests_pass

DONE = r"user: every process has exited; user pages still held: (\d+)"


def boot_to_end(qemu, expect_start="demos", cmdline="init=demos", **kw):
    q = qemu(cmdline=cmdline, **kw)
    q.expect(r"user: starting %s as pid 1" % expect_start)
    q.expect(DONE, timeout=60)
    return q, q.output()


def test_hello_runs(qemu):
    q, out = boot_to_end(qemu)
    assert "Hello from userspace!" in out
    m = re.search(r"hello: pid (\d+) via syscall, (\d+) via int 0x80", out)
    assert m and m.group(1) == m.group(2), q.report("getpid differs by entry")
    assert "demos: hello (pid %s) exited with status 0" % m.group(1) in out


def test_crash_killed_and_kernel_continues(qemu):
    q, out = boot_to_end(qemu)
    m = re.search(r"pid (\d+) \(crash\): SIGSEGV page fault at rip "
                  r"(0x[0-9a-f]+) addr 0x0 \(write not-present\)", out)
    assert m, q.report("no diagnosis of the crash program")
    assert 0x400000 <= int(m.group(2), 16) < 0x500000
    assert "demos: crash (pid %s) killed by signal 11" % m.group(1) in out
    assert "crash: still alive" not in out
    # the next programs still run, and the kernel still takes the break key
    assert "demos: all programs done" in out
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    assert "(no processes)" in q.cmd("ps"), q.report("ps after every exit")


@pytest.mark.parametrize("prog,line", [
    ("kread", r"SIGSEGV page fault at rip 0x4[0-9a-f]+ addr 0xffffffff80000000 \(read protection\)"),
    ("priv", r"SIGSEGV general protection at rip 0x4[0-9a-f]+ \(error 0x0\)"),
    ("divzero", r"SIGFPE divide error at rip 0x4[0-9a-f]+"),
])
def test_fault_kinds_diagnosed(qemu, prog, line):
    q, out = boot_to_end(qemu)
    assert re.search(r"pid \d+ \(%s\): %s" % (prog, line), out), q.report(prog)
    assert "%s: still alive" % prog not in out and "(wrong!)" not in out
    sig = 8 if prog == "divzero" else 11
    assert re.search(r"demos: %s \(pid \d+\) killed by signal %d" % (prog, sig), out)


def test_syscalls_checked_and_no_pages_leaked(qemu):
    q, out = boot_to_end(qemu)
    assert "syscheck: ok (0 failures)" in out, q.report("syscheck failed")
    assert "exec README: refused: bad magic (not an ELF file)" in out
    assert re.search(DONE, out).group(1) == "0", q.report("user pages leaked")


def test_smep_smap_enforced_on_max_cpu(qemu):
    q, out = boot_to_end(qemu, cpu="max")
    assert "SMEP on, SMAP on, NX on" in out, q.report("protections not on")
    assert "syscheck: ok (0 failures)" in out, q.report("user copies under SMAP")
    assert "Hello from userspace!" in out
    assert re.search(DONE, out).group(1) == "0"


def test_init_option_picks_the_first_program(qemu):
    q, out = boot_to_end(qemu, cmdline="init=hello", expect_start="hello")
    assert "Hello from userspace!" in out
    assert "demos:" not in out.split("user: starting hello")[1]


def test_init_none_leaves_the_console_to_the_kernel(qemu):
    q = qemu(cmdline="init=none")
    q.expect("boot complete")
    q.send("typed\r")
    q.expect(r"typed\r?\n")
    assert "user:" not in q.output()


def test_malformed_init_is_refused_and_kernel_continues(qemu):
    q = qemu(cmdline="init=README")
    q.expect(r"exec README: refused: bad magic \(not an ELF file\)")
    q.expect(r"user: cannot start README \(error 8\)")
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()


def test_console_read_and_monitor_sees_the_process(qemu):
    q = qemu(cmdline="init=readline")
    q.expect("readline: type a line")
    # blocked in read: the break key still enters the monitor, ps shows it
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    out = q.cmd("ps")
    # running, or blocked when the kernel sleeps it until input comes
    assert re.search(r"\s1\s+0\s+(?:running|blocked)\s+readline\s+0x", out), q.report(out)
    q.send("c\r")
    q.send("over serial\r")
    q.expect(r"readline: got 'over serial'")
    q.expect(DONE)


# --- the shell (default boot: init runs sh)

def boot_shell(qemu, **kw):
    q = qemu(**kw)
    q.expect(r"user: starting init as pid 1")
    q.expect(SH_PROMPT, timeout=60)
    return q


def test_shell_prompt_and_hello(qemu):
    q = boot_shell(qemu)
    out = sh(q, "hello")
    assert "Hello from userspace!" in out, q.report("hello in the shell")
    assert "sh:" not in out, q.report("hello reported as failing")


def test_shell_arguments_and_exit_status(qemu):
    q = boot_shell(qemu)
    assert sh(q, 'echo one  "two  words" three') == "one two  words three\n"
    assert sh(q, "false") == "sh: false: exit status 1\n"
    assert sh(q, "echo $?") == "1\n"
    assert sh(q, "echo $?") == "0\n"
    assert sh(q, "nosuchprogram") == "sh: nosuchprogram: not found\n"
    assert "not an executable" in sh(q, "README")


def test_shell_line_editing(qemu):
    q = boot_shell(qemu)
    # backspace (DEL and ^H) erases, other control characters are ignored
    q.send("echX\x7fo\x01 abd\x08c\r")
    q.expect(r"\nabc\r?\n", timeout=30)
    q.expect(SH_PROMPT)
    q.send("\r")  # an empty line: just a new prompt
    q.expect(SH_PROMPT)
    assert "not found" not in q.output(), q.report("line editing")


def test_crash_killed_shell_continues(qemu):
    q = boot_shell(qemu)
    out = sh(q, "crash")
    assert re.search(r"pid \d+ \(crash\): SIGSEGV page fault at rip 0x4[0-9a-f]+ "
                     r"addr 0x0 \(write not-present\)", out), q.report("diagnosis")
    assert "sh: crash: killed by signal 11" in out
    assert sh(q, "echo ok") == "ok\n", q.report("shell after the crash")


def test_ls_and_ps(qemu):
    q = boot_shell(qemu)
    out = sh(q, "ls")
    assert re.search(r"^hello +\d+$", out, re.M), q.report("ls")
    assert re.search(r"^usertests +\d+$", out, re.M)
    out = sh(q, "ps")
    assert re.search(r"^ +1 +0 +\w+ +init +0x[0-9a-f]+ 0x[0-9a-f]+$", out, re.M), q.report(out)
    assert re.search(r"^ +\d+ +\d+ +running +ps +0x", out, re.M), q.report(out)


def test_exit_restarts_the_shell(qemu):
    q = boot_shell(qemu)
    q.send("exit 3\r")
    q.expect(r"init: sh exited with status 3, restarting")
    q.expect(SH_PROMPT)
    assert "Hello from userspace!" in sh(q, "hello")


@pytest.mark.parametrize("cpu", ["qemu64", "max"])  # max: SMEP and SMAP on
def test_usertests_pass_and_free_pages_return(qemu, cpu):
    q = boot_shell(qemu, cpu=cpu)
    usertests_pass(q)
    assert sh(q, "echo $?") == "0\n"


def test_cpu_without_nx_boots_and_passes_usertests(qemu):
    """A CPU without NX (or with Execute Disable off in the firmware): no
    page-table entry may carry bit 63, which is reserved there; the kernel
    says NX is unavailable, reaches the shell and passes usertests."""
    q = boot_shell(qemu, cpu="qemu64,-nx")
    out = q.output()
    assert re.search(r"^cpu: -nx ", out, re.M), q.report("cpu features line")
    assert "page tables built (2 MiB pages, NX unavailable)" in out, q.report("mm line")
    assert re.search(r"^user: .*, NX unavailable", out, re.M), q.report("user line")
    usertests_pass(q)
    # QEMU's own walk of the live tables: no entry with XD (bit 63) set
    tlb = [l for l in q.hmp("info tlb", timeout=60).split("\n") if l.strip()]
    assert len(tlb) > 10, tlb
    assert not [l for l in tlb if l.split()[-1].startswith("X")], tlb[:20]
    efer = int(re.search(r"EFER=([0-9a-f]+)", q.hmp("info registers")).group(1), 16)
    assert not efer & (1 << 11), "EFER.NXE set on a CPU without NX: 0x%x" % efer
