"""The monitor on one process among several (init=twins: a parent and its
forked child, both sleeping in a loop): x and xp by pid against the program's
ELF bytes and QEMU's `xp`, bt and regs by pid against objdump and nm, and a
breakpoint limited to one process against the CR3 QEMU sees at the stop."""
import os
import re
import subprocess

import elfread
from monitor_util import hmp_reg
from test_user_debug import func_ranges
from user_bin import BIN, syscall_insn
from triage_qemu import ELF

TWINS = os.path.join(BIN, "twins")


def boot_twins(qemu):
    """Both twins sleeping, the monitor entered from the idle loop; returns
    (Qemu, parent pid, child pid)."""
    q = qemu(cmdline="init=twins")
    m = q.expect(r"twins: parent pid (\d+), child pid (\d+)")
    q.wait_halted()
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    q.cmd("pager 0")
    return q, int(m.group(1)), int(m.group(2))


def dump(out):
    """The bytes of an x/xp dump, in any unit (little-endian)."""
    data = b""
    for l in out.strip().split("\n"):
        m = re.match(r"[0-9a-f]{16}:((?: [0-9a-f]+)+)  \|", l)
        assert m, out
        for unit in m.group(1).split():
            data += int(unit, 16).to_bytes(len(unit) // 2, "little")
    return data


def qemu_xp(q, pa, n):
    out = q.hmp("xp /%dxb 0x%x" % (n, pa))
    return bytes(int(b, 16) for l in out.strip().split("\n")
                 for b in l.split(":", 1)[1].split())


def nearest_symbol(path, addr):
    """The code symbol at or below addr in path (nm -n), as the monitor's
    name+offset would name it."""
    out = subprocess.run(["nm", "-n", "--defined-only", path],
                         capture_output=True, text=True, check=True).stdout
    best = None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT" and int(parts[0], 16) <= addr:
            best = parts[2]
    return best


def test_x_and_xp_by_pid(qemu):
    q, parent, child = boot_twins(qemu)
    tick = func_ranges("twins")["twin_tick"][0]
    want = elfread.read(TWINS, tick, 48)
    for pid in (parent, child):
        assert dump(q.cmd("x 0x%x 48 %d" % (tick, pid))) == want, pid
    # Enter continues in the same process
    assert dump(q.cmd("")) == elfread.read(TWINS, tick + 48, 48)
    # the same bytes by physical address, ours and QEMU's
    m = re.match(r"0x[0-9a-f]+ -> 0x([0-9a-f]+)", q.cmd("vtop 0x%x %d" % (tick, child)))
    pa = int(m.group(1), 16)
    assert dump(q.cmd("xp 0x%x 48" % pa)) == want == qemu_xp(q, pa, 48)
    assert dump(q.cmd("xp /q 0x%x 16" % pa)) == want[:16]
    assert dump(q.cmd("")) == want[16:32]  # Enter continues xp
    # the kernel's own tables do not map user code; the process's do
    assert "not mapped" in q.cmd("x 0x%x 16" % tick)
    out = q.cmd("x 0x1000 16 %d" % child)
    assert re.search(r"x: address 0x1000 not mapped at \w+ level \(entry 0x[0-9a-f]+\) "
                     r"in pid %d" % child, out), out
    assert "x: no process 99 with an address space" in q.cmd("x 0x%x 16 99" % tick)
    # outside RAM: refused, never read (the memory map's reserved range
    # just above RAM, the local APIC); the legacy first MiB is in the
    # direct map (mm/vmm.c), so the VGA window reads as QEMU reads it
    ram_end = max(int(e, 16) + 1 for e in re.findall(
        r"0x[0-9a-f]{16} 0x([0-9a-f]{16})\s+\d+  available", q.cmd("dmesg")))
    for pa in (ram_end, 0xfee00000):
        assert "xp: phys 0x%x is not RAM" % pa in q.cmd("xp 0x%x 16" % pa)
    out = q.cmd("xp 0x%x 32" % (ram_end - 16))
    assert dump(out.split("\n")[0]) == qemu_xp(q, ram_end - 16, 16)
    assert "xp: phys 0x%x is not RAM" % ram_end in out
    assert dump(q.cmd("xp 0xa0000 16")) == qemu_xp(q, 0xa0000, 16)


def test_bt_and_regs_of_a_sleeping_process(qemu):
    q, parent, child = boot_twins(qemu)
    after_syscall = syscall_insn("twins", "sleep") + 2
    regs = q.cmd("regs %d" % child)
    assert "pid %d twins (blocked)" % child in regs, regs
    assert "user registers, at its last kernel entry (vector 128)" in regs
    assert re.search(r"^RIP %016x\n" % after_syscall, regs, re.M), regs
    m = re.search(r"kernel context, saved by context_switch .*\nRIP 0x([0-9a-f]{16}) "
                  r"<(\w+)\+0x[0-9a-f]+>", regs)
    assert m and nearest_symbol(ELF, int(m.group(1), 16)) == m.group(2), regs
    bt = q.cmd("bt %d" % child)
    kpart, upart = bt.split("user stack, from its registers at its last kernel entry")
    kframes = [int(a, 16) for a in re.findall(r"#\d+\s+0x([0-9a-f]{16})", kpart)]
    names = [nearest_symbol(ELF, a) for a in kframes]
    assert names[0] == m.group(2) and "sys_sleep" in names and \
        "syscall_dispatch" in names, bt
    uframes = [int(a, 16) for a in re.findall(r"#\d+\s+0x([0-9a-f]{16})", upart)]
    unames = [nearest_symbol(TWINS, a) for a in uframes]
    assert uframes[0] == after_syscall and unames[0] == "sleep", upart
    assert unames[-1] == "_start" and None not in unames, (upart, unames)
    # the parent too; a pid that does not exist
    assert "pid %d twins (blocked)" % parent in q.cmd("bt %d" % parent)
    assert "regs: no process 99 (see ps)" in q.cmd("regs 99")
    assert "bt: no process 99 (see ps)" in q.cmd("bt 99")


def process_cr3(q, pid):
    m = re.search(r"^[ *]\s*%d\s+\d+\s+\S+\s+\S+\s+0x([0-9a-f]+)" % pid, q.cmd("ps"), re.M)
    assert m
    return int(m.group(1), 16)


def test_breakpoints_in_one_process(qemu):
    q, parent, child = boot_twins(qemu)
    tick = func_ranges("twins")["twin_tick"][0]
    out = q.cmd("bp 0x%x %d" % (tick, child))
    assert "breakpoint at 0x%016x" % tick in out, out
    assert re.search(r"int3 +0x0*%x pid %d" % (tick, child), q.cmd("bl"))
    for _ in range(3):  # only the child stops, though both run twin_tick
        assert "breakpoint at 0x%016x" % tick in q.cmd("c", timeout=60)
        cr3 = hmp_reg(q.hmp("info registers"), "CR3")
        assert cr3 == process_cr3(q, child), q.report("stopped in CR3 0x%x" % cr3)
        assert re.search(r"^\*\s+%d\s" % child, q.cmd("ps"), re.M)
        assert q.cmd("eval $rdi").startswith("0x1 =")  # twin_tick(pid == 0)
    q.cmd("bc all")
    # a kernel address with a pid: stops only while that process runs
    assert "breakpoint at" in q.cmd("bp sys_sleep %d" % parent)
    for _ in range(2):
        assert "<sys_sleep+0x0>" in q.cmd("c", timeout=60)
        assert re.search(r"^\*\s+%d\s" % parent, q.cmd("ps"), re.M)
        assert hmp_reg(q.hmp("info registers"), "CR3") == process_cr3(q, parent)
    assert "bp: no process 99 (see ps)" in q.cmd("bp sys_sleep 99")
