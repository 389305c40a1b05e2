"""conftest — pytest fixtures shared by the boot and debugger tests."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))  # triage_qemu, monitor_util
from triage_qemu import Qemu  # noqa: E402


@pytest.fixture
def qemu(tmp_path):
    """Factory: qemu(cmdline=..., mem=...) starts a QEMU; all are killed after."""
    started = []

    def start(**kw):
        q = Qemu(tmp_path / ("q%d" % len(started)), **kw)
        os.makedirs(q.dir, exist_ok=True)
        started.append(q)
        return q.start()

    yield start
    for q in started:
        q.kill()
