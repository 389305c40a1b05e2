"""Monitor page-table commands (pt, vtop, vmmap, tlb) against QEMU's own monitor."""
import re

from monitor_util import boot, eval_addr

HEX = r"0x([0-9a-f]+)"
NONCANONICAL = 0x0000800000000000 + 0x1234  # bit 47 clear, bit 48 set: never valid


def lines(text):
    return [l.rstrip() for l in text.strip().split("\n") if l.strip()]


def ranges(q):
    """vmmap as [(start, end, prot)]."""
    out = []
    for l in lines(q.cmd("vmmap")):
        m = re.match(r"([0-9a-f]{16})-([0-9a-f]{16}) ([0-9a-f]{16}) (...)$", l)
        assert m, l
        out.append((int(m.group(1), 16), int(m.group(2), 16), m.group(4)))
    return out


def gva2gpa(q, va):
    out = q.hmp("gva2gpa 0x%x" % va).strip()
    if "Unmapped" in out:
        return None
    m = re.search(r"gpa: " + HEX, out)
    assert m, out
    return int(m.group(1), 16)


def pt_phys(out):
    """The physical address pt printed, or None when it says not mapped."""
    m = re.search(r"-> phys " + HEX, out)
    if m:
        return int(m.group(1), 16)
    assert re.search(r"pt: address 0x[0-9a-f]+ (not mapped at (PML4|PDPT|PD|PT) "
                     r"level \(entry 0x[0-9a-f]+\)|is not canonical)", out), out
    return None


def unmapped_gap(rs):
    """An address just past the end of a mapped range that is not mapped."""
    starts = {s for s, _, _ in rs}
    for _, e, _ in rs:
        if e not in starts and e & (1 << 63):
            return e + 0x10
    raise AssertionError("no gap in %r" % rs)


def test_vmmap_identical_to_info_mem(qemu):
    q = boot(qemu)
    ours = lines(q.cmd("vmmap"))
    truth = lines(q.hmp("info mem"))
    assert len(truth) >= 3, truth
    assert ours == truth


def mask_ad(ls):
    # "va: frame XGPDACTUW": D and A are flags 3 and 4
    out = []
    for l in ls:
        va, frame, flags = l.split()
        out.append("%s %s %s" % (va, frame, flags[:3] + "??" + flags[5:]))
    return out


def test_tlb_identical_to_info_tlb(qemu):
    q = boot(qemu, mem="128M")
    ours = mask_ad(lines(q.cmd("tlb", timeout=60)))
    truth = mask_ad(lines(q.hmp("info tlb", timeout=60)))
    assert len(truth) > 10
    assert ours == truth


def test_pt_and_vtop_agree_with_gva2gpa(qemu):
    q = boot(qemu)
    rs = ranges(q)
    direct = max(rs, key=lambda r: r[1] - r[0])  # the direct map of RAM
    addrs = [eval_addr(q, "kmain"), eval_addr(q, "kmain+0x1234"),
             eval_addr(q, "$rsp"), eval_addr(q, "boot_info"),
             (direct[0] + direct[1]) // 2 + 0x123, direct[1] - 1,
             unmapped_gap(rs), 0x1000, NONCANONICAL]
    mapped = 0
    for va in addrs:
        truth = gva2gpa(q, va)
        out = q.cmd("pt 0x%x" % va)
        assert pt_phys(out) == truth, (hex(va), out, truth)
        vt = q.cmd("vtop 0x%x" % va)
        if truth is None:
            assert re.search(r"vtop: address 0x%x (not mapped|is not canonical)" % va, vt), vt
        else:
            mapped += 1
            assert vt.strip() == "0x%016x -> 0x%016x" % (va, truth), vt
    assert mapped >= 5
    assert "alive" in q.cmd("echo alive")


def test_pt_levels_match_raw_tables(qemu):
    """Every entry pt prints equals the qword QEMU reads at that table slot."""
    q = boot(qemu)
    cr3 = re.search(r"CR3=([0-9a-f]+)", q.hmp("info registers")).group(1)
    table = int(cr3, 16) & 0x000ffffffffff000
    va = eval_addr(q, "kmain")
    out = q.cmd("pt 0x%x" % va)
    levels = re.findall(r"(PML4|PDPT|PD|PT) *\[ *(\d+)\] = " + HEX + r" .*?(?:-> \w+ at " + HEX + "|$)",
                        out, re.M)
    assert [l[0] for l in levels[:2]] == ["PML4", "PDPT"], out
    assert "(CR3 0x%x)" % table in out  # the walk starts at the root QEMU reports
    for name, idx, entry, child in levels:
        raw = q.hmp("xp /1xg 0x%x" % (table + int(idx) * 8))
        value = int(raw.split(":")[1].strip(), 16)
        assert value & ~0x60 == int(entry, 16) & ~0x60, (name, raw, out)
        if child:
            table = int(child, 16)
    # the last level printed is the leaf: the frame is gva2gpa's
    assert pt_phys(out) == gva2gpa(q, va)


def test_pt_with_cr3_argument_and_bad_roots(qemu):
    q = boot(qemu)
    va = eval_addr(q, "kmain")
    cr3 = eval_addr(q, "$cr3")
    assert pt_phys(q.cmd("pt kmain 0x%x" % cr3)) == gva2gpa(q, va)
    assert q.cmd("vmmap 0x%x" % cr3) == q.cmd("vmmap")
    # a root far above RAM reads as empty instead of faulting
    out = q.cmd("pt kmain 0x%x" % (1 << 40))
    assert "not mapped at PML4 level" in out and "is not RAM" in out, out
    out = q.cmd("vmmap 0x%x" % (1 << 40))
    assert "is not RAM" in out, out
    assert "usage: pt" in q.cmd("pt")
    assert "unknown symbol" in q.cmd("pt no_such_symbol_xyz")
    assert "alive" in q.cmd("echo alive")


def test_safe_after_double_fault_flags(qemu):
    q = boot(qemu)
    for cmd in ("pt", "vmmap", "tlb", "vtop"):
        assert "(safe after a double fault)" in q.cmd("help " + cmd), cmd
