"""test_gdb_threads.py — processes as GDB threads over triage's stub: `info threads` lists
them, `thread N` shows a process's saved user registers and memory, and
breakpoints in user code (symbols from `add-symbol-file`) hit.

Thread ids (kernel/debug/debug_proc.h): 1 is the CPU as it stopped, pid + 1
is process pid.
Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_threads.py
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from test_gdb_kernel import (BOOT_TIMEOUT, free_tcp_port, ours, pc_of,  # noqa: E402
                             reg_value, run_session)
from triage_qemu import ROOT  # noqa: E402
from user_bin import syscall_insn  # noqa: E402

USER_LO, USER_HI = 0x400000, 0x800000000000


def user_symbols(prog):
    out = subprocess.run(["nm", os.path.join(ROOT, "build", "user", "bin", prog)],
                         capture_output=True, text=True, check=True).stdout
    return {f[2]: int(f[0], 16) for f in (l.split() for l in out.splitlines())
            if len(f) == 3}


def boot(qemu, cmdline, banner):
    port = free_tcp_port()
    q = qemu(cmdline=cmdline + " gdb=ttyS1",
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port)
    q.expect(banner, BOOT_TIMEOUT)
    return q, port


def test_blocked_process_is_a_thread_and_user_breakpoint_hits(tmp_path, qemu):
    """init=readline blocks reading the console. GDB breaks in: the process
    is thread 2 with its user registers; a breakpoint on printf (in
    readline's own copy of the user library) hits once a line is typed."""
    q, port = boot(qemu, "init=readline", "readline: type a line")
    syms = user_symbols("readline")
    box = {}
    steps = [
        ("threads", ["info threads"]),
        ("user", ["thread 2", "info registers rip rsp cr3", "@pc"]),
        ("sym", ["add-symbol-file build/user/bin/readline"]),
        ("mem", ["x/4xb main"]),
        ("break", ["break printf"]),
        ("ready", ["@signal ready"]),
        ("continue", ["continue"]),
        ("hit", ["@pc", "info threads", "bt"]),
        ("delete", ["delete"]),
    ]
    t = threading.Thread(target=lambda: box.update(
        s=run_session(tmp_path, ours(port), steps, tag="rl")))
    t.start()
    ready = tmp_path / "gdb-rl" / "ready"
    deadline = time.time() + 120
    while not ready.exists() and t.is_alive() and time.time() < deadline:
        time.sleep(0.2)
    q.send("typed\r")  # held in the UART while stopped; read after continue
    t.join(300)
    s = box["s"]
    assert re.search(r"\b2\s+Thread 2 \(pid 1 readline \((blocked|runnable|running)\)\)",
                     s["threads"]), s.log
    assert re.search(r"Thread 1 \(cpu: kernel", s["threads"]), s.log
    rip = reg_value(s["user"], "rip")
    assert USER_LO <= rip < USER_HI, s["user"]
    assert USER_LO <= reg_value(s["user"], "rsp") < USER_HI, s["user"]
    # Thread 2's memory is readline's address space: its own code.
    code = open(os.path.join(ROOT, "build", "user", "bin", "readline"), "rb").read()
    words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{2})\b", s["mem"].split(":", 1)[1])]
    assert len(words) == 4 and bytes(words) in code, s["mem"]
    assert "Breakpoint 1, " in s["continue"] and "printf" in s["continue"], s.log
    assert pc_of(s["hit"]) == syms["printf"], s["hit"]
    assert "main" in s["hit"] and "readline.c" in s["hit"], s["hit"]
    # Stopped in readline's ring-3 code: the stop is in its thread.
    assert re.search(r"\*\s+2\s+Thread 2", s["hit"]), s["hit"]
    q.expect("readline: got 'typed'", 60)


def test_break_main_before_the_program_runs(tmp_path, qemu):
    """debug=gdb stops at the end of boot, before init exists; `break main`
    from hello's symbols (not mapped anywhere yet) hits when hello runs."""
    q, port = boot(qemu, "init=hello debug=gdb", "waiting for GDB")
    syms = user_symbols("hello")
    s = run_session(tmp_path, ours(port), [
        ("sym", ["add-symbol-file build/user/bin/hello"]),
        ("break", ["break main"]),
        ("continue", ["continue"]),
        ("hit", ["@pc", "info registers rip cs", "info threads"]),
        ("delete", ["delete"]),
        # Thread 1 (the CPU) is the same context as hello's thread here:
        # stepping it steps hello (it used to answer E22).
        ("cpu-step", ["thread 1", "stepi", "@pc"]),
    ])
    assert "Breakpoint 1, main ()" in s["continue"], s.log
    assert pc_of(s["hit"]) == syms["main"]
    assert reg_value(s["hit"], "cs") & 3 == 3, s["hit"]
    assert "pid 1 hello" in s["hit"], s["hit"]
    after = [a for a in syms.values() if a > syms["main"]]
    assert syms["main"] < pc_of(s["cpu-step"]) < min(after), s["cpu-step"]
    q.expect("Hello from userspace!", 60)


def test_breakpoint_in_one_of_two_forked_twins(tmp_path, qemu):
    """twins forks without exec: parent and child map the same code frames.
    A breakpoint set in the parent's thread gets the parent its own copy of
    the page, so every hit is the parent's and the child runs on."""
    q, port = boot(qemu, "init=twins", r"twins: parent pid 1, child pid 2")
    syms = user_symbols("twins")
    s = run_session(tmp_path, ours(port), [
        ("sym", ["add-symbol-file build/user/bin/twins"]),
        ("sel", ["thread 2"]),
        ("break", ["break twin_tick"]),
        ("c1", ["continue"]), ("h1", ["@pc", "thread"]),
        ("c2", ["continue"]), ("h2", ["@pc", "thread"]),
        ("c3", ["continue"]), ("h3", ["@pc", "thread"]),
        ("delete", ["delete"]),
    ])
    for n in (1, 2, 3):
        assert "Breakpoint 1, twin_tick" in s["c%d" % n], s.log
        assert pc_of(s["h%d" % n]) == syms["twin_tick"], s["h%d" % n]
        assert re.search(r"Current thread is 2\b", s["h%d" % n]), s.log
    q.expect(r"twins: child tick \d+", 60)  # the child kept running
    out = q.output()
    assert "SIGTRAP" not in out and "killed" not in out, out[-2000:]


def wait_file(path, t, timeout=120):
    deadline = time.time() + timeout
    while not path.exists() and t.is_alive() and time.time() < deadline:
        time.sleep(0.2)


def test_breakpoint_set_before_fork_stays_in_the_parent(tmp_path, qemu):
    """A breakpoint on the return of sh's fork() set in sh's thread: both
    parent and child return there, but the int3 is the parent's alone — the
    child must not trap (before the fix it got SIGTRAP mid-instruction)."""
    q, port = boot(qemu, "init=sh", r"\$ ")
    ret = syscall_insn("sh", "fork") + 2  # both return here
    box = {}
    steps = [
        ("sym", ["add-symbol-file build/user/bin/sh"]),
        ("sel", ["thread 2"]),
        ("break", ["break *0x%x" % ret]),
        ("ready", ["@signal ready"]),
        ("c1", ["continue"]), ("h1", ["@pc", "thread"]),
        ("again", ["@signal again"]),
        ("c2", ["continue"]), ("h2", ["@pc", "thread"]),
        ("delete", ["delete"]),
    ]
    t = threading.Thread(target=lambda: box.update(
        s=run_session(tmp_path, ours(port), steps, tag="fork")))
    t.start()
    wait_file(tmp_path / "gdb-fork" / "ready", t)
    q.send("hello\r")
    wait_file(tmp_path / "gdb-fork" / "again", t)
    q.expect("Hello from userspace!", 60)  # the first child ran clean
    q.send("hello\r")                       # the parent forks again
    t.join(300)
    s = box["s"]
    for n in (1, 2):
        assert "Breakpoint 1, " in s["c%d" % n], s.log
        assert pc_of(s["h%d" % n]) == ret, s["h%d" % n]
        assert re.search(r"Current thread is 2\b", s["h%d" % n]), s.log
    assert "SIGTRAP" not in s.log, s.log


def test_memory_write_in_one_twin_only(tmp_path, qemu):
    """Writing a byte of twins' code (read-only, shared after fork) in the
    parent's thread changes the parent's copy only."""
    q, port = boot(qemu, "init=twins", r"twins: parent pid 1, child pid 2")
    addr = user_symbols("twins")["main"]  # code the loop never runs again
    s = run_session(tmp_path, ours(port), [
        ("r3", ["thread 3", "x/1xb 0x%x" % addr]),
        ("w2", ["thread 2", "set {unsigned char}0x%x = 0xcc" % addr,
                "x/1xb 0x%x" % addr]),
        ("r3b", ["thread 3", "x/1xb 0x%x" % addr]),
    ])
    before = s["r3"].split(":")[-1].strip()
    assert re.fullmatch(r"0x[0-9a-f]{2}", before) and before != "0xcc", s.log
    assert s["w2"].split(":")[-1].strip() == "0xcc", s.log
    assert s["r3b"].split(":")[-1].strip() == before, s.log  # the child's own
