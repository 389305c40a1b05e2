"""Memory-management boot tests: the in-kernel mm_* self-tests, checked against QEMU's own view (gva2gpa, info mem, info mtree)."""
import re

import pytest

from triage_qemu import EXIT_DIAGNOSED, EXIT_PASS

PAGE = 4096
MIB = 1 << 20
PMM_MAX_PHYS = 64 << 30
DESC_BYTES = 16  # sizeof(struct page) in mm/pmm.h


def hexnum(s):
    return int(s, 16)


@pytest.mark.parametrize("test", ["mm_orders", "mm_heap"])
def test_mm_selftest_passes(qemu, test):
    q = qemu(cmdline="test=" + test)
    out = q.verdict(EXIT_PASS)
    assert "ktest: PASS: %s" % test in out


def test_mm_exhaust_returns_everything(qemu):
    q = qemu(cmdline="test=mm_exhaust", mem="1G")
    out = q.verdict(EXIT_PASS, timeout=120)
    before = re.search(r"mm_exhaust: before: (\d+) free pages, blocks per order:([ \d]+)", out)
    after = re.search(r"mm_exhaust: after: (\d+) free pages, blocks per order:([ \d]+)", out)
    assert before and after, q.report("no free-page lines")
    assert before.groups() == after.groups(), q.report("free lists differ")
    took = re.findall(r"took (\d+) pages", out)
    assert took and all(int(t) == int(before.group(1)) for t in took)
    # 1 GiB of RAM: nearly all of it is handed out at exhaustion
    assert int(before.group(1)) * PAGE > (1 << 30) - 16 * MIB


# --- mapping, cross-checked with QEMU's monitor while the kernel waits

def info_mem_covering(info, va):
    """The `info mem` line whose range holds va, or None."""
    for m in re.finditer(r"^([0-9a-f]{16})-([0-9a-f]{16}) ([0-9a-f]{16}) ([u-][r-][w-])$",
                         info, re.M):
        if hexnum(m.group(1)) <= va < hexnum(m.group(2)):
            return m.group(4)
    return None


def gva2gpa(q, va):
    out = q.hmp("gva2gpa 0x%x" % va)
    m = re.search(r"gpa: 0x([0-9a-f]+)", out)
    return hexnum(m.group(1)) if m else out.strip()


def test_mm_map_matches_qemu(qemu):
    q = qemu(cmdline="test=mm_map")
    m = q.expect(r"mm_map: va=0x([0-9a-f]+) pa=0x([0-9a-f]+) pages=(\d+) rw")
    va, pa, pages = hexnum(m.group(1)), hexnum(m.group(2)), int(m.group(3))
    q.expect("mm_map: mapped: waiting for the harness")
    for i in range(pages):
        off = i * PAGE + 0x123
        assert gva2gpa(q, va + off) == pa + off, q.report("gva2gpa page %d" % i)
    assert info_mem_covering(q.hmp("info mem"), va) == "-rw", q.report("info mem: not rw")
    q.send("g")
    q.expect(r"mm_map: va=0x[0-9a-f]+ protected read-only")
    q.expect("mm_map: protected: waiting for the harness")
    assert info_mem_covering(q.hmp("info mem"), va) == "-r-", q.report("info mem: not read-only")
    assert gva2gpa(q, va) == pa
    q.send("g")
    q.expect(r"mm_map: va=0x[0-9a-f]+ unmapped")
    q.expect("mm_map: unmapped: waiting for the harness")
    assert info_mem_covering(q.hmp("info mem"), va) is None, q.report("still in info mem")
    assert "Unmapped" in str(gva2gpa(q, va)), q.report("gva2gpa still translates")
    q.send("g")
    out = q.verdict(EXIT_PASS)
    assert "no reply from the harness" not in out


# --- guard pages

def test_guard_page_touch_is_diagnosed(qemu):
    q = qemu(cmdline="test=mm_guard")
    out = q.verdict(EXIT_DIAGNOSED)
    m = re.search(r"touching 0x([0-9a-f]+)", out)
    assert m, q.report("no address printed")
    assert re.search(r"\*\*\* EXCEPTION #PF page fault \(vector 14\) at 0x[0-9a-f]+ <ktest_fn_mm_guard\+", out)
    assert re.search(r"error code 0x2: not-present write kernel", out), q.report("error code")
    assert re.search(r"CR2 0x0*%s is in the guard page below the ktest stack: kernel stack overflow"
                     % m.group(1), out), q.report("no guard-page diagnosis")
    # the diagnosis walks CR2: present down to the PT, whose entry is empty
    walk = re.search(r"walk of 0x0*%s \(CR3 0x[0-9a-f]+\):\n((?:  .*\n)+)" % m.group(1),
                     out.replace("\r", ""))
    assert walk, q.report("no page walk of CR2")
    assert re.search(r"PML4\[384\] = 0x[0-9a-f]{16}  P RW", walk.group(1)), q.report("PML4 entry")
    assert "stops at PT: not present" in walk.group(1), q.report("walk does not stop at the PT")


def test_fault_through_table_outside_ram_is_diagnosed(qemu):
    """A PD entry points at 1 TiB, where there is no RAM: the fault's page
    walk must say so, not fault again inside the diagnosis."""
    q = qemu(cmdline="test=pf_bad_table")
    out = q.verdict(EXIT_DIAGNOSED)
    assert re.search(r"\*\*\* EXCEPTION #PF page fault \(vector 14\) at 0x[0-9a-f]+ <ktest_fn_pf_bad_table\+",
                     out), q.report("no #PF headline")
    assert "an entry points outside RAM: the table at phys 0x10000000000" in out, \
        q.report("the walk does not name the bad table")
    assert out.count("*** EXCEPTION") == 1, q.report("the diagnosis faulted again")


def test_overflow_of_vmalloc_stack_is_diagnosed(qemu):
    q = qemu(cmdline="test=mm_stack_overflow")
    out = q.verdict(EXIT_DIAGNOSED)
    assert re.search(r"\*\*\* EXCEPTION #DF double fault \(vector 8\) at 0x[0-9a-f]+ <recurse\+", out), \
        q.report("no #DF headline")
    assert re.search(r"RSP 0xffffc[0-9a-f]+ is in the guard page below the ktest stack: kernel stack overflow",
                     out), q.report("no guard-page diagnosis")


# --- RAM sizes: exact page arithmetic from the memory map in the boot log

def parse_mmap(out):
    """(base, end_exclusive, type) of each memory-map entry in the boot log."""
    return [(hexnum(a), hexnum(b) + 1, t) for a, b, t in
            re.findall(r"^  0x([0-9a-f]{16}) 0x([0-9a-f]{16}) +\d+  (\S+)", out, re.M)]


def merge(ranges):
    out = []
    for lo, hi in sorted(r for r in ranges if r[1] > r[0]):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def overlap(ranges_a, ranges_b):
    return sum(max(0, min(a1, b1) - max(a0, b0))
               for a0, a1 in ranges_a for b0, b1 in ranges_b)


def page_ranges_of_available(mmap):
    """Whole pages inside available entries, below PMM_MAX_PHYS."""
    r = []
    for base, end, typ in mmap:
        if typ == "available":
            lo = (base + PAGE - 1) // PAGE * PAGE
            hi = min(end, PMM_MAX_PHYS) // PAGE * PAGE
            r.append((lo, hi))
    return merge(r)


def outward(base, length):
    return (base // PAGE * PAGE, (base + length + PAGE - 1) // PAGE * PAGE)


def qemu_ram_size(q):
    """RAM QEMU gave the guest, from its memory tree (independent of GRUB)."""
    tree = q.hmp("info mtree")
    total = 0
    for name in ("ram-below-4g", "ram-above-4g"):
        m = re.search(r"([0-9a-f]+)-([0-9a-f]+) \(prio \d+, ram\): alias %s " % name, tree)
        if m:
            total += hexnum(m.group(2)) - hexnum(m.group(1)) + 1
    return total


SIZES = [("32M", 32), ("64M", 64), ("1G", 1024), ("4G", 4096), ("8G", 8192)]


@pytest.mark.parametrize("mem,mib", SIZES, ids=[s[0] for s in SIZES])
def test_ram_size_totals_exact(qemu, mem, mib):
    q = qemu(cmdline="test=mm_totals", mem=mem)
    q.expect(r"mm_totals: waiting for the harness")
    assert qemu_ram_size(q) == mib * MIB, q.report("QEMU's memory tree")
    q.send("g")
    out = q.verdict(EXIT_PASS, timeout=120)
    t = dict((k, int(v)) for k, v in re.findall(r"(total|usable|reserved|free|allocated|ignored)=(\d+)", out))
    m = re.search(r"meta=0x([0-9a-f]+)\+0x([0-9a-f]+) kernel=0x([0-9a-f]+)-0x([0-9a-f]+) "
                  r"bootinfo=0x([0-9a-f]+)\+0x([0-9a-f]+)", out)
    assert m and t, q.report("no mm_totals lines")
    meta, meta_len, k0, k1, bi, bi_len = (hexnum(x) for x in m.groups())
    mmap = parse_mmap(out)
    avail = page_ranges_of_available(mmap)
    total = sum(hi - lo for lo, hi in avail) // PAGE
    # every page of RAM QEMU gave is accounted: the map hides at most a
    # few hundred KiB of it (BIOS areas)
    assert mib * MIB - 2 * MIB <= total * PAGE <= mib * MIB, q.report("total vs -m")
    assert t["total"] == total, q.report("total pages %d, memory map says %d" % (t["total"], total))
    top = max(hi for lo, hi in avail)
    assert meta_len == (top // PAGE * DESC_BYTES + PAGE - 1) // PAGE * PAGE
    reserved = merge([(0, MIB), (k0, k1), outward(bi, bi_len), (meta, meta + meta_len)] +
                     [outward(hexnum(a), hexnum(b) - hexnum(a)) for a, b in
                      re.findall(r"mm_totals: module=0x([0-9a-f]+)-0x([0-9a-f]+)", out)])
    nres = overlap(reserved, avail) // PAGE
    assert t["reserved"] == nres, q.report("reserved %d, expected %d" % (t["reserved"], nres))
    assert t["usable"] == total - nres
    assert t["free"] + t["allocated"] == t["usable"]
    assert t["ignored"] == 0
    pm = re.search(r"pmm: (\d+) MiB usable", out)
    assert pm and int(pm.group(1)) == (total - nres) * PAGE // MIB, q.report("pmm: MiB usable")
    ur = re.search(r"usable RAM: (\d+) MiB", out)
    avail_bytes = sum(end - base for base, end, typ in mmap if typ == "available")
    assert ur and int(ur.group(1)) == avail_bytes // MIB
