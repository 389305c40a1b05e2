"""Boot matrix: {SeaBIOS, OVMF} x {pc, q35} x {qemu64, max} reach the banner and the
monitor prompt with debug=monitor; firmware noise before the kernel is tolerated."""
import itertools
import re

import pytest

COMBOS = list(itertools.product(["bios", "uefi"], ["pc", "q35"], ["qemu64", "max"]))


@pytest.mark.parametrize("firmware,machine,cpu", COMBOS,
                         ids=["-".join(c) for c in COMBOS])
def test_boots_to_monitor(qemu, firmware, machine, cpu):
    q = qemu(cmdline="debug=monitor", machine=machine, cpu=cpu,
             uefi=firmware == "uefi")
    q.expect(r"triage \S+ - x86-64 kernel debugger", timeout=90)
    q.expect("page tables built", timeout=30)
    q.wait_prompt(timeout=30)
    assert "matrix-ok" in q.cmd("echo matrix-ok")
    out = q.output()
    # 1 GiB pages are used exactly when the CPU model has them (qemu64: no)
    assert ("1 GiB + 2 MiB pages" in out) == (cpu == "max"), q.report("page sizes")
    # the boot log lists the features found; qemu64 lacks 1 GiB pages
    assert re.search(r"^cpu: \+nx %spdpe1gb " % ("\\+" if cpu == "max" else "-"),
                     out, re.M), q.report("cpu features line")
    q.kill()
