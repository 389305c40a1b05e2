"""Hostile programs: traps no debugger asked for, long system calls, FPU
state, absurd sleeps, random system calls. Each must cost only the
offending process, never the kernel or the other processes."""
import re

import pytest

from test_user import boot_shell, ring3_built, sh

pytestmark = pytest.mark.skipif(not ring3_built(),
                                reason="kernel built without ring 3 (kernel/proc) yet")


@pytest.mark.parametrize("debug", ["on", "off"])
def test_user_trap_kills_only_the_process(qemu, debug):
    """int3 and a set trap flag in ring 3 end that process with
    SIGTRAP and a one-line diagnosis; the shell carries on (debug=on used
    to stop everything at triage>, debug=off to halt the machine)."""
    q = boot_shell(qemu, cmdline="debug=%s" % debug)
    out = sh(q, "usertests trap", timeout=60)
    assert "usertests: trap: ok" in out, q.report("usertests trap")
    for what in [r"breakpoint \(int3\)", r"single-step"]:
        assert re.search(r"pid \d+ \(usertests\): SIGTRAP %s at rip 0x4[0-9a-f]+" % what,
                         out), q.report("no diagnosis for %s" % what)
    assert "triage> " not in q.output(), q.report("a user trap entered the monitor")
    assert sh(q, "echo still here") == "still here\n"


def test_sleep_deadline_saturates(qemu):
    """sleep(2^64-1) used to return at once (now + ms wrapped) while
    sleep(2^63) blocked: every absurd length blocks until killed."""
    q = boot_shell(qemu)
    out = sh(q, "usertests sleepmax", timeout=60)
    assert "usertests: sleepmax: ok" in out, q.report("usertests sleepmax")
