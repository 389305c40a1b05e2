"""Boots as a person makes them (`make run`, scripts/run-qemu --cmdline):
no isa-debug-exit device, user space present, reboots allowed."""
import os
import re

from triage_qemu import ROOT, Qemu


def test_test_scenario_without_exit_device_lands_in_monitor(qemu):
    """test=pf_null booted without QEMU's exit device (make run of a test=
    ISO, real hardware): the diagnosed fault stops at the monitor prompt
    instead of halting, and the monitor works there."""
    q = qemu(cmdline="test=pf_null", exit_device=False)
    q.expect(r"#PF page fault \(vector 14\)")
    q.wait_prompt(timeout=30)
    assert "qemu_exit" not in q.output(), q.report("halted instead")
    assert "ktest_fn_pf_null" in q.cmd("bt")
    q.kill()


def test_test_list_passes(qemu):
    """test=list lists the scenarios and is a success, not a FAIL."""
    q = qemu(cmdline="test=list")
    out = q.verdict(33, timeout=60)
    assert "ktest: available tests:" in out and "pf_null" in out, out
    assert "FAIL" not in out, out


def test_run_qemu_cmdline_boots_user_space(tmp_path):
    """scripts/run-qemu --cmdline puts the initrd in its ISO: /init and
    the shell start."""
    q = Qemu(tmp_path, cmdline="")
    q.args = [a for a in q.args if not a.endswith(".iso")]
    i = q.args.index("--")
    q.args[i:i] = ["--cmdline", "debug=on hz=100"]
    q.start()
    try:
        q.expect(r'command line: "debug=on hz=100"')
        q.expect(r"user: starting \S*init as pid 1")
        q.expect(r"\$ ")
    finally:
        q.kill()


def test_type_to_echo_only_without_user_space(qemu):
    """"type to echo" is said only when the kernel's echo loop has the
    console, not when the shell starts."""
    q = qemu(cmdline="")
    q.expect(r"\$ ")
    assert "type to echo" not in q.output(), q.report("said with a shell")
    q.kill()
    q = qemu(cmdline="init=none")
    q.expect("no user space running; type to echo")
    q.send("echoed\r")
    q.expect(r"echoed\r?\n")
    q.kill()


def test_make_run_allows_reboots():
    """`make run` boots without -no-reboot: a reset reboots, and the next
    boot can tell what happened."""
    import subprocess
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True,
                         text=True).stdout
    run = [l for l in out.splitlines() if "scripts/run-qemu" in l]
    assert run and "--allow-reboot" in run[-1], out


def test_triple_fault_loop_is_reported_and_stopped(qemu):
    """test=triple_fault with reboots allowed resets over and over: each
    boot says the previous one reset without a crash record, and the third
    in a row stops in the monitor before the scenario runs again."""
    q = qemu(cmdline="test=triple_fault", allow_reboot=True)
    banner = r"triage \S+ - x86-64 kernel debugger"
    q.expect(banner)
    q.expect("ktest: running 'triple_fault'")
    assert "previous boot ended" not in q.output()  # a cold boot: nothing
    for n in (1, 2, 3):
        q.expect(banner, timeout=60)
        q.expect(r"previous boot ended in a reset without a crash record")
    q.expect(r"reboot loop: 3 resets in a row without a record")
    q.expect(r"reboot loop: entering the monitor")
    q.wait_prompt()
    start = q.pos
    q.send("reboot\r")            # a deliberate reset: nothing to report
    q.expect(banner, timeout=60)
    q.expect("ktest: running 'triple_fault'", timeout=60)
    assert "previous boot ended" not in q.output()[start:], q.report("")
    q.kill()
