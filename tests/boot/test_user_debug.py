"""Debugging user code from the monitor: pt/vmmap/tlb by pid checked against
the program's own ELF headers and QEMU's `info mem`, and bt continuing from
a kernel stop into the user stack, checked against the program's symbols."""
import os
import re
import subprocess

from user_bin import BIN, syscall_insn

PAGE = 4096
USER_STACK = (0x7ffffffef000, 0x7ffffffff000)  # 16 pages below the top page


def elf_loads(prog):
    """(start, end, writable, executable) of each PT_LOAD, page-rounded."""
    out = subprocess.run(["readelf", "-lW", os.path.join(BIN, prog)],
                         capture_output=True, text=True, check=True).stdout
    loads = []
    for m in re.finditer(r"^\s*LOAD\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+"
                         r"\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+0x",
                         out, re.M):
        va, memsz, flags = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        start, end = va & ~(PAGE - 1), (va + memsz + PAGE - 1) & ~(PAGE - 1)
        loads.append((start, end, "W" in flags, "E" in flags))
    assert loads, out
    return loads


def func_ranges(prog):
    """{name: (start, end)} of the program's functions, from nm."""
    out = subprocess.run(["nm", "-S", "--defined-only", os.path.join(BIN, prog)],
                         capture_output=True, text=True, check=True).stdout
    funcs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT":
            start = int(parts[0], 16)
            funcs[parts[3]] = (start, start + int(parts[1], 16))
    return funcs


def which_func(funcs, addr):
    for name, (lo, hi) in funcs.items():
        if lo <= addr < hi:
            return name
    return None


def vmmap_ranges(text):
    """[(start, end, prot)] from `info mem`-format lines."""
    return [(int(a, 16), int(b, 16), p) for a, b, p in
            re.findall(r"^([0-9a-f]{16})-([0-9a-f]{16}) [0-9a-f]{16} (\S{3})",
                       text, re.M)]


def prot_at(ranges, va):
    for start, end, prot in ranges:
        if start <= va < end:
            return prot
    return None


def stop_in_process(qemu, prog, bp):
    """Boot init=prog under debug=monitor, break at kernel function bp and
    continue until the process hits it."""
    q = qemu(cmdline="debug=monitor init=%s" % prog)
    q.wait_prompt()
    q.cmd("pager 0")
    assert "breakpoint at" in q.cmd("bp " + bp)
    q.send("c\r")
    q.expect(r"breakpoint at 0x[0-9a-f]+ <%s\+0x0>" % bp)
    q.wait_prompt()
    return q


def test_vmmap_by_pid_matches_elf_and_qemu(qemu):
    q = stop_in_process(qemu, "hello", "sys_write")
    assert re.search(r"\*\s+1\s+0\s+running\s+hello\s", q.cmd("ps"))
    by_pid = q.cmd("vmmap 1")
    ranges = vmmap_ranges(by_pid)
    for start, end, writable, _ in elf_loads("hello"):
        for va in range(start, end, PAGE):
            want = "urw" if writable else "ur-"
            assert prot_at(ranges, va) == want, q.report("0x%x in\n%s" % (va, by_pid))
    for va in range(*USER_STACK, PAGE):
        assert prot_at(ranges, va) == "urw", q.report("stack 0x%x" % va)
    assert prot_at(ranges, USER_STACK[0] - PAGE) is None, "stack guard is mapped"
    # stopped inside the process, its tables are loaded: the same as
    # vmmap without an argument and as QEMU's own walk of CR3
    assert vmmap_ranges(q.cmd("vmmap")) == ranges
    assert vmmap_ranges(q.hmp("info mem")) == ranges, q.report("QEMU differs")
    text = elf_loads("hello")[0][0]
    walk = q.cmd("pt 0x%x 1" % text)
    m = re.search(r"-> phys 0x([0-9a-f]+)", walk)
    assert m, walk
    gpa = re.search(r"gpa: 0x([0-9a-f]+)", q.hmp("gva2gpa 0x%x" % text))
    assert gpa and int(m.group(1), 16) == int(gpa.group(1), 16), walk


def test_pt_by_pid_of_a_blocked_process(qemu):
    q = qemu(cmdline="init=readline")
    q.expect("readline: type a line")
    q.wait_halted()  # readline reached read() and blocks: the CPU idles
    q.send(b"\x1c")
    q.expect("break key: entering the monitor")
    q.wait_prompt()
    q.cmd("pager 0")
    assert re.search(r"\s1\s+0\s+blocked\s+readline\s", q.cmd("ps"))
    ranges = vmmap_ranges(q.cmd("vmmap 1"))
    text = [r for r in elf_loads("readline") if r[3]][0]
    assert prot_at(ranges, text[0]) == "ur-"
    # not the current address space: the kernel's has no user mappings
    assert prot_at(vmmap_ranges(q.cmd("vmmap")), text[0]) is None
    assert re.search(r"^0*%x: [0-9a-f]+ \S*U" % text[0], q.cmd("tlb 1"), re.M)
    out = q.cmd("vmmap 999")
    assert "no process 999 with an address space" in out


def test_bt_continues_into_the_user_stack(qemu):
    q = stop_in_process(qemu, "hello", "sys_write")
    out = q.cmd("bt")
    assert re.search(r"#0\s+0x[0-9a-f]+ <sys_write\+0x0>", out), out
    assert "<syscall_dispatch+" in out, out
    m = re.search(r"user stack of pid 1 \(hello\), at its last kernel entry:\n"
                  r"((?:\s+#\d+\s+0x[0-9a-f]+.*\n?)+)", out)
    assert m, q.report("no user part in bt:\n" + out)
    frames = [int(a, 16) for a in re.findall(r"#\d+\s+0x([0-9a-f]+)", m.group(1))]
    funcs = func_ranges("hello")
    names = [which_func(funcs, a) for a in frames]
    assert names[0] in ("syscall6", "write"), q.report("user #0 %s: %s" % (names, out))
    assert "main" in names, q.report("main not in the user frames %s" % names)
    assert None not in names[:names.index("main") + 1], names


def test_step_over_a_blocking_system_call(qemu):
    """`s` on readline's read `syscall`: the call blocks until a key comes,
    the scheduler must still get its interrupts, and the step ends on the
    next user instruction."""
    insn = syscall_insn("readline", "read")
    q = stop_in_process(qemu, "readline", "sys_write")
    q.cmd("bc sys_write")
    assert "breakpoint at" in q.cmd("bp 0x%x" % insn)
    q.send("c\r")
    q.expect(r"breakpoint at 0x0*%x" % insn)
    q.wait_prompt()
    q.send("s\r")
    q.wait_halted()  # the stepped syscall blocks in read(): the CPU idles
    q.send("x")
    q.expect(r"step: now at 0x0*%x" % (insn + 2), timeout=30)
