"""Fault tests: each deliberate crash is diagnosed (name, vector, error code, CR2) — never a reset."""
import re

import pytest

from triage_qemu import EXIT_DIAGNOSED

FAULTS = [
    # test, headline, lines that must follow
    ("divide", r"#DE divide error \(vector 0\)", []),
    ("ud", r"#UD invalid opcode \(vector 6\)", []),
    ("breakpoint", r"#BP breakpoint \(vector 3\)", []),
    ("gp", r"#GP general protection \(vector 13\)",
     [r"error code 0x1230: selector index 582 in the GDT \(selector 0x1230\)"]),
    ("pf_null", r"#PF page fault \(vector 14\)",
     [r"error code 0x2: not-present write kernel",
      r"CR2 0x0000000000000000 \(the address that faulted\)"]),
    ("pf_noncanonical", r"#GP general protection \(vector 13\)",
     [r"error code 0x0 \(no selector involved\)", r"non-canonical"]),
    ("stack_overflow", r"#DF double fault \(vector 8\)",
     [r"error code 0x0",
      r"RSP 0x[0-9a-f]+ is in the guard page below the boot stack: kernel stack overflow",
      r"CR2 ffffffff8[0-9a-f]+",
      r"\.\.\. the same frame \d+ more times",
      r"<ktest_fn_stack_overflow\+0x[0-9a-f]+>\s+#\d+\s+0x[0-9a-f]+ <ktest_run\+",
      r"<kmain\+0x[0-9a-f]+>"]),
    ("bad_idt", r"#NP segment not present \(vector 11\)",
     [r"error code 0x[0-9a-f]+: IDT entry of vector 144 \(0x90\)"]),
]


# The function in kernel/debug/crash.c each test's fault happens in.
CRASH_FN = {"divide": "crash_de", "ud": "crash_ud", "breakpoint": "crash_int3",
            "gp": "crash_gp", "pf_null": "crash_pf",
            "pf_noncanonical": "crash_noncanonical", "stack_overflow": "recurse",
            "bad_idt": "crash_idt", "nmi": "crash_nmi"}


@pytest.mark.parametrize("test,headline,lines", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_is_diagnosed(qemu, test, headline, lines):
    q = qemu(cmdline="test=" + test)
    out = q.verdict(EXIT_DIAGNOSED)
    m = re.search(r"\*\*\* EXCEPTION " + headline + r" at 0x[0-9a-f]{16} <(\w+)\+0x[0-9a-f]+> \*\*\*", out)
    assert m, q.report("no diagnosis headline " + headline)
    assert m.group(1) == CRASH_FN[test], q.report("RIP symbol %s" % m.group(1))
    assert re.search(r"<ktest_fn_%s\+0x[0-9a-f]+>" % test, out), q.report("backtrace lacks ktest_fn_" + test)
    for line in lines:
        assert re.search(line, out), q.report("missing " + line)
    for reg in ("RAX", "RIP", "RFLAGS", "CR0", "CR3", "EFER"):
        assert reg in out
    assert re.search(r"backtrace:\n  #0  0x[0-9a-f]{16} <", out.replace("\r", ""))


def test_panic_is_diagnosed(qemu):
    q = qemu(cmdline="test=panic")
    out = q.verdict(EXIT_DIAGNOSED)
    assert "*** PANIC: deliberate panic from ktest (42) ***" in out
    assert re.search(r"<ktest_fn_panic\+0x[0-9a-f]+>", out), q.report("backtrace lacks the caller")


def hmp_register(info, name):
    m = re.search(r"\b%s=([0-9a-f]+)" % name, info)
    assert m, "no %s in info registers:\n%s" % (name, info)
    return int(m.group(1), 16)


def test_diagnosis_matches_qemu_registers(qemu):
    """With debug=off the kernel halts after the diagnosis; QEMU's own
    monitor then reads the same control registers independently."""
    q = qemu(cmdline="test=pf_null debug=off")
    q.expect("system halted")
    out = q.output().replace("\r", "")
    info = q.hmp("info registers")
    for reg in ("CR0", "CR2", "CR3", "CR4"):
        m = re.search(r"\b%s ([0-9a-f]{16})" % reg, out)
        assert m, q.report("no %s in diagnosis" % reg)
        assert int(m.group(1), 16) == hmp_register(info, reg), q.report(
            "%s differs from QEMU's:\n%s" % (reg, info))
    efer = int(re.search(r"EFER ([0-9a-f]{16})", out).group(1), 16)
    assert efer == hmp_register(info, "EFER")
    q.kill()
