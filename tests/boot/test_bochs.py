"""Bochs, the second emulator: its BIOS leaves COM1 in the 16550's reset
state (LCR 0) and CR0.CD/NW set, as real firmware may. One boot (Bochs is
slow): the serial console answers, the monitor prompt comes, CR0 is as the
kernel sets it, and the shell runs usertests to the end."""
import re
import time

import pytest

from shell_util import SH_PROMPT, usertests_pass
import triage_bochs

BOOT_TIMEOUT = 240       # seconds to the prompt (about 10-15 s measured)
USERTESTS_TIMEOUT = 600  # seconds for usertests (about 15-20 s measured)

CR0_NE, CR0_WP, CR0_NW, CR0_CD = 1 << 5, 1 << 16, 1 << 29, 1 << 30  # SDM 3A 2.5

pytestmark = [
    pytest.mark.skipif(triage_bochs.missing() is not None,
                       reason="Bochs not installed (missing %s): scripts/install-deps "
                       "installs Debian's bochs, bochsbios, vgabios, bochs-term"
                       % triage_bochs.missing()),
]


@pytest.fixture
def bochs(tmp_path):
    """Factory like qemu: bochs(cmdline=...) starts one; killed after."""
    started = []

    def start(**kw):
        b = triage_bochs.Bochs(tmp_path, **kw)
        started.append(b)
        return b.start()

    yield start
    for b in started:
        b.kill()


def test_bochs_monitor_cr0_and_usertests(bochs):
    t0 = time.time()
    b = bochs(cmdline="debug=monitor")
    # the reset-state UART answered the probe: the console is on it
    b.expect(r"console: 16550 at io 0x3f8 irq 4, 115200 baud 8N1", timeout=BOOT_TIMEOUT)
    b.wait_prompt(timeout=BOOT_TIMEOUT)
    boot_s = time.time() - t0
    b.cmd("pager 0")
    m = re.search(r"^CR0\s+([0-9a-f]{16})", b.cmd("cr"), re.M)
    assert m, b.report("no CR0 in cr")
    cr0 = int(m.group(1), 16)
    assert not cr0 & (CR0_CD | CR0_NW), b.report("caches off: CR0 0x%x" % cr0)
    assert cr0 & CR0_NE and cr0 & CR0_WP, b.report("CR0 0x%x lacks NE/WP" % cr0)
    b.send("c\r")
    b.expect(r"user: starting init as pid 1", timeout=60)
    b.expect(SH_PROMPT, timeout=120)
    t1 = time.time()
    usertests_pass(b, timeout=USERTESTS_TIMEOUT)
    print("bochs: monitor prompt after %.1f s, usertests %.1f s" % (boot_s, time.time() - t1))
    b.kill()
