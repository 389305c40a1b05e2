"""Stepping and resuming: a step never hangs (not even on hlt), and a
fault's stop becomes resumable once the user changed the state (`set`,
`w` at RIP, `skip`)."""
import re

from monitor_util import boot, eval_addr


def test_step_through_idle_hlt_never_hangs(qemu):
    """Break key while idle, a breakpoint on the idle loop's hlt, then
    steps from there: every step (the hlt's included) comes back to the
    prompt, and the break key still works after `c`."""
    q = qemu(cmdline="")
    q.expect(r"\$ ")            # the shell waits for input: the CPU idles
    q.wait_halted()
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    q.cmd("pager 0")
    after = eval_addr(q, "$rip")  # the IRQ came in after the hlt
    hlt = after - 1
    assert "0xf4" in q.hmp("x /1xb 0x%x" % hlt), "no hlt before 0x%x" % after
    assert "breakpoint at" in q.cmd("bp 0x%x" % hlt)
    q.send("c\r")
    q.expect(r"breakpoint at 0x%x" % hlt, timeout=15)
    q.wait_prompt()
    q.cmd("bc 0x%x" % hlt)
    out = q.cmd("s", timeout=15)  # before the fix: halted for good
    assert re.search(r"step: .*hlt.*\n.*now at 0x%x" % after, out), out
    for _ in range(5):            # Enter steps on through the idle loop
        assert "step: now at" in q.cmd("", timeout=15)
    q.send("c\r")
    q.expect("resuming")
    q.send(b"\x1c")
    q.expect("break key: entering the monitor", timeout=15)
    q.wait_prompt()
    q.kill()


def objdump_insn_len(addr):
    """Length of the instruction at addr in the booted ELF, by objdump."""
    import subprocess
    from triage_qemu import ELF
    out = subprocess.run(["objdump", "-d", "--start-address=0x%x" % addr,
                          "--stop-address=0x%x" % (addr + 16), ELF],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*%x:\s+((?:[0-9a-f]{2} )+)" % addr, out, re.M)
    assert m, out
    return len(m.group(1).split())


def shell_alive(q, word):
    q.send("echo %s\r" % word)
    q.expect(r"\n%s\r?\n" % word, timeout=20)


def test_fault_resumes_after_set_rip(qemu):
    """crash ud: c and s refuse; `set $rip` past the ud2 (2 bytes by
    objdump) lets c go on, and the kernel runs again."""
    q = boot(qemu)
    q.send("crash ud\r")
    q.expect(r"#UD invalid opcode")
    q.wait_prompt()
    assert "cannot continue" in q.cmd("c")
    assert "cannot step" in q.cmd("s")
    rip = eval_addr(q, "$rip")
    n = objdump_insn_len(rip)
    out = q.cmd("set $rip = $rip + %d" % n)
    assert "rip: 0x%x -> 0x%x" % (rip, rip + n) in out, out
    assert eval_addr(q, "$rip") == rip + n
    q.send("c\r")
    q.expect("resuming")
    shell_alive(q, "after-set-rip")
    q.kill()


def test_fault_resumes_after_patching_code_at_rip(qemu):
    """crash pf: NOPs written over the faulting store (its length by
    objdump) make the stop resumable."""
    q = boot(qemu)
    q.send("crash pf\r")
    q.expect(r"#PF page fault")
    q.wait_prompt()
    assert "cannot continue" in q.cmd("c")
    rip = eval_addr(q, "$rip")
    for i in range(objdump_insn_len(rip)):
        assert "-> 0x90" in q.cmd("w 0x%x 0x90" % (rip + i))
    q.send("c\r")
    q.expect("resuming")
    shell_alive(q, "after-nops")
    q.kill()


def test_set_registers_and_refusals(qemu):
    q = boot(qemu)
    out = q.cmd("set $rax = 0x1234 + 1")
    assert re.search(r"rax: 0x[0-9a-f]+ -> 0x1235", out), out
    assert eval_addr(q, "$rax") == 0x1235
    assert "r15: " in q.cmd("set r15=7")
    assert eval_addr(q, "$r15") == 7
    assert "not a register" in q.cmd("set $cs = 0")
    assert "not a register" in q.cmd("set $cr3 = 0")
    assert "not canonical" in q.cmd("set $rip = 0xdead000000000000")
    assert "reserved" in q.cmd("set $rflags = 0x20000")   # VM
    assert "usage" in q.cmd("set $rax")
    q.kill()


def test_regs_hides_the_steps_own_tf(qemu):
    """After `s`, RFLAGS shows the stepped code's flags: TF was the
    debugger's (QEMU's own view of the code's flags has no TF either)."""
    q = boot(qemu)
    q.cmd("bp pit_irq")
    q.send("c\r")
    q.expect("breakpoint at")
    q.wait_prompt()
    q.cmd("bc pit_irq")
    q.send("s\r")
    q.expect(r"step: now at")
    q.wait_prompt()
    out = q.cmd("regs")
    m = re.search(r"RFLAGS [0-9a-f]+ \[([A-Z ]*)\]", out)
    assert m, out
    assert "TF" not in m.group(1).split(), out
    assert not eval_addr(q, "$rflags") & 0x100
    q.kill()


def test_skip_moves_past_the_faulting_instruction(qemu):
    """crash gp: skip decodes the faulting mov to %ds (its length as
    objdump has it), moves RIP past it, and c goes on."""
    q = boot(qemu)
    q.send("crash gp\r")
    q.expect(r"#GP general protection")
    q.wait_prompt()
    rip = eval_addr(q, "$rip")
    n = objdump_insn_len(rip)
    out = q.cmd("skip")
    assert re.search(r"skip: 0x0*%x <crash_gp\+0x[0-9a-f]+>: mov\s+%%\w+,%%ds "
                     r"\(%d bytes\) not run\nskip: now at 0x0*%x" % (rip, n, rip + n),
                     out), out
    assert eval_addr(q, "$rip") == rip + n
    q.send("c\r")
    q.expect("resuming")
    shell_alive(q, "after-skip")
    q.kill()
