"""shell_util — drive triage's user shell over the serial console (QEMU or
Bochs): type a line, read its output, run usertests and check its verdict."""
import re

SH_PROMPT = r"(?<=\n)\$ "  # at the start of a line


def sh(q, line, timeout=30):
    """Type line at the shell; its output (after the echoed line, up to the
    next prompt, CRs removed)."""
    q.send(line + "\r")
    q.expect(re.escape(line) + r"\r?\n", timeout)
    start = q.pos
    m = q.expect(SH_PROMPT, timeout)
    return q.buf[start:m.start()].decode("latin-1").replace("\r", "")


def usertests_pass(q, timeout=900):
    """Run usertests at the shell: every test passes, and the free-page and
    user-page counts it takes before and after agree. Returns its output."""
    out = sh(q, "usertests", timeout=timeout)
    assert "usertests: ALL TESTS PASSED" in out, q.report("usertests failed")
    assert "FAILED" not in out, q.report("usertests failed")
    m = re.search(r"usertests: free pages before (\d+) after (\d+)", out)
    assert m and m.group(1) == m.group(2), q.report("free pages differ")
    m = re.search(r"usertests: user pages before (\d+) after (\d+)", out)
    assert m and m.group(1) == m.group(2), q.report("user pages differ")
    return out
