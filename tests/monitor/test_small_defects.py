"""Small monitor defects, one test each: tss names a process's kernel stack
by its pid, ps prints CR3 in full, w's advice names wider suffixes only,
wrmsr says when an MSR does not keep the value written."""
import re

from monitor_util import boot, hmp_reg


def test_tss_names_kernel_stacks_by_pid(qemu):
    q = qemu(cmdline="")
    q.expect(r"\$ ")
    q.send("hello\r")               # a process in a higher slot ran last
    q.expect("Hello from userspace")
    q.expect(r"\$ ")
    q.send(b"\x1c")
    q.wait_prompt()
    q.cmd("pager 0")
    tss = q.cmd("tss")
    rsp0 = int(re.search(r"RSP0 0x([0-9a-f]{16})", tss).group(1), 16)
    rows = re.findall(r"^\*?\s*(\d+)\s+\d+\s+\S+\s+(\S+)\s+0x([0-9a-f]{16}) "
                      r"0x([0-9a-f]{16})", q.cmd("ps"), re.M)
    assert rows, q.cmd("ps")
    owner = [(pid, name) for pid, name, _, top in rows if int(top, 16) == rsp0]
    if owner:
        pid, name = owner[0]
        assert "top of the pid %s (%s) kernel stack" % (pid, name) in tss, tss
    else:                            # hello exited: its slot is free
        assert re.search(r"top of the unused process slot \d+ kernel stack",
                         tss), tss
    assert "kstack" not in tss, tss
    q.kill()


def test_ps_prints_cr3_in_full(qemu):
    q = boot(qemu, cmdline="debug=monitor init=hello")
    q.cmd("bp sys_write")
    q.send("c\r")
    q.expect("breakpoint at")
    q.wait_prompt()
    m = re.search(r"^\*\s*1\s+0\s+running\s+hello\s+0x([0-9a-f]+) ",
                  q.cmd("ps"), re.M)
    assert m and len(m.group(1)) == 16, q.cmd("ps")
    # stopped in hello's system call: its tables are the CPU's
    assert int(m.group(1), 16) == hmp_reg(q.hmp("info registers"), "CR3")
    q.kill()


def test_w_advice_names_wider_suffixes_only(qemu):
    q = boot(qemu)
    out = q.cmd("w /w kmain 0x10000")
    assert "give a wider /d or /q" in out, out
    assert "give a wider /q" in q.cmd("w /d kmain 0x100000000")
    assert "give a wider /w, /d or /q" in q.cmd("w kmain 0x100")
    q.kill()


def test_wrmsr_says_when_the_value_is_not_kept(qemu):
    """EFER.LMA (bit 10) is the CPU's own: writing EFER without it leaves
    it set, and wrmsr says so (QEMU's EFER shows it kept)."""
    q = boot(qemu)
    efer = int(re.search(r"= 0x([0-9a-f]{16})", q.cmd("rdmsr 0xc0000080")).group(1), 16)
    assert efer & 0x400
    out = q.cmd("wrmsr 0xc0000080 0x%x" % (efer & ~0x400))
    assert "did not keep 0x%x: bits 0x400 read back otherwise" % (efer & ~0x400) in out, out
    assert hmp_reg(q.hmp("info registers"), "EFER") == efer
    out = q.cmd("wrmsr 0xc0000080 0x%x" % efer)
    assert "did not keep" not in out, out
    q.kill()
