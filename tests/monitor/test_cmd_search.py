"""search over kernel memory, checked against the same search in the
booted ELF's bytes (build/triage-test.elf; its read-only sections do not
change at run time), QEMU's `info mem` for the unreadable pages it skips, and the log ring."""
import re

import elfread
from monitor_util import boot, eval_addr
from triage_qemu import ELF

MATCH = re.compile(r"^0x([0-9a-f]{16})(?: <([\w.]+)\+0x([0-9a-f]+)>)?$")


def matches(out):
    """[(address, symbol or None, offset)] of search's match lines, and its
    summary line."""
    lines = out.strip().split("\n")
    found = []
    for l in lines[:-1]:
        m = MATCH.match(l)
        assert m, "not a match line: %r in\n%s" % (l, out)
        found.append((int(m.group(1), 16), m.group(2),
                      int(m.group(3), 16) if m.group(3) else None))
    return found, lines[-1]


def readonly_sections():
    """[(start, bytes)] of the kernel's allocated read-only sections (.text,
    .rodata...): what they hold does not change at run time. (Bytes between
    sections are not the ELF's: GRUB may have left anything there.)"""
    return sorted((addr, body) for addr, body, flags in elfread.sections(ELF).values()
                  if body and not flags & elfread.SHF_WRITE)


def search_sections(q, pattern_args, needle, cmd="search"):
    """Run cmd over each read-only section; (monitor's matches, the ELF's)."""
    found, want = [], []
    for start, body in readonly_sections():
        out = q.cmd("%s 0x%x 0x%x %s" % (cmd, start, len(body), pattern_args))
        found += matches(out)[0]
        want += [start + i for i in elfread.find_all(body, needle)]
    return found, want


def test_search_matches_the_elf(qemu):
    q = boot(qemu)
    # a string from .rodata (quoted: its characters, no NUL)
    found, want = search_sections(q, '"x86-64 kernel debugger"',
                                  b"x86-64 kernel debugger")
    assert want and [a for a, _, _ in found] == want, (found, want)
    # a lone value: a qword, here a function pointer in the command table
    fn = eval_addr(q, "cmd_dmesg")
    found, want = search_sections(q, "cmd_dmesg", fn.to_bytes(8, "little"))
    assert want and [a for a, _, _ in found] == want
    assert found[0][1] == "mon_cmd_entry_dmesg", found
    # several values: bytes (mov %rsp,%rbp of each prologue), any alignment
    found, want = search_sections(q, "0x48 0x89 0xe5", b"\x48\x89\xe5")
    assert len(want) > 100 and [a for a, _, _ in found] == want
    # /w: each value 2 bytes; values and strings mix
    found, want = search_sections(q, '0x6564 "bug=" 0x6f6d', b"debug=mo",
                                  cmd="search/w")
    assert want and [a for a, _, _ in found] == want
    # a match across a page boundary (the window carries over)
    start, body = max(readonly_sections(), key=lambda sec: len(sec[1]))
    page = (start + 0x2000) & ~0xfff
    needle = body[page - start - 5:page - start + 6]
    found, _ = matches(q.cmd("search/b 0x%x 0x100 %s" % (
        page - 0x80, " ".join("0x%x" % b for b in needle))))
    assert page - 5 in [a for a, _, _ in found], found
    out = q.cmd("search kmain 16 0x1122334455667788")
    assert out == "0 matches\n", out


def test_search_finds_the_log_and_skips_unmapped_pages(qemu):
    q = boot(qemu)
    log = q.cmd("dmesg")
    banner = re.search(r"x86-64 kernel debugger", log)
    found, summary = matches(q.cmd('search printk_log_buf 65536 "x86-64 kernel debugger"'))
    assert [a for a, _, _ in found] == [eval_addr(q, "printk_log_buf") + banner.start()]
    assert found[0][1] == "printk_log_buf"
    # across the kernel's stacks: guard pages are unmapped; QEMU says which
    ranges = [tuple(int(x, 16) for x in m) for m in
              re.findall(r"^([0-9a-f]{16})-([0-9a-f]{16})", q.hmp("info mem"), re.M)]
    base = 0xffffc00000000000  # mm/vmm.h VMALLOC_BASE: stacks, guards between
    size = 0x40000
    mapped = sum(1 for p in range(base, base + size, 4096)
                 if any(s <= p < e for s, e in ranges))
    out = q.cmd("search 0x%x 0x%x 0x1122334455667788" % (base, size))
    found, summary = matches(out)
    skipped = size // 4096 - mapped
    assert skipped > 0 and "(%d unreadable pages skipped)" % skipped in summary, (
        summary, skipped)
    # errors say what to do
    assert "pattern longer than 64 bytes" in q.cmd('search kmain 16 "%s"' % ("x" * 65))
    assert "does not fit in 1 byte" in q.cmd("search/b kmain 16 0x100")
    assert "unknown width '/z'" in q.cmd("search/z kmain 16 1")
    assert "out of range" in q.cmd("search kmain 0 1")
    assert "usage: search" in q.cmd("search kmain 16")
