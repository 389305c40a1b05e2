"""scripts/debug-tf (make debug-tf): a real triple fault is caught and symbolised,
its error codes decoded as QEMU's log means them, the IDTR shown when it is the
cause, the kernel's own serial output beside it; a kernel that halts ends the wait
at once; build/triage.iso is never rewritten."""
import os
import re
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ISO = os.path.join(ROOT, "build", "triage.iso")


def debug_tf(tmp_path, *args):
    return subprocess.run([os.path.join(ROOT, "scripts", "debug-tf"), "--log",
                           str(tmp_path / "tf.log")] + list(args),
                          capture_output=True, text=True, timeout=180)


def iso_state():
    return os.stat(ISO).st_mtime_ns if os.path.exists(ISO) else None


def test_debug_tf_lists_the_chain(tmp_path):
    before = iso_state()
    p = debug_tf(tmp_path, "--timeout", "60")
    out = p.stdout
    assert p.returncode == 0, out + p.stderr
    assert out.startswith("TRIPLE FAULT"), out
    # int3 with an empty IDT: #BP cannot be delivered -> #GP -> #DF -> reset
    chain = re.findall(r"^\s+(#\w+)\s.*<(\w+)\+0x[0-9a-f]+>", out, re.M)
    assert [c[0] for c in chain[-3:]] == ["#BP", "#GP", "#DF"], out
    assert all(c[1] == "ktest_fn_triple_fault" for c in chain[-3:]), out
    # QEMU's long-mode error code for the IDT: vector * 16 + 2 = 0x32
    gp = out[out.index("#GP  err=0x0032"):]
    assert re.match(r"#GP  err=0x0032 .*\n\s+IDT entry of vector 3 \(0x3\)\n"
                    r"\s+IDTR base 0x0 limit 0x0; vector 3's gate at \+0x30 is "
                    r"beyond the limit", gp), out
    assert "  | ktest: running 'triple_fault'" in out, out  # the serial log
    assert iso_state() == before, "build/triage.iso was rewritten"


def test_debug_tf_stops_when_the_kernel_halts(tmp_path):
    """debug=off: the fault is diagnosed and the CPU halts with interrupts
    off; debug-tf says so at once instead of waiting out its timeout."""
    start = time.time()
    p = debug_tf(tmp_path, "--timeout", "150", "--cmdline", "debug=off test=pf_null")
    took = time.time() - start
    out = p.stdout
    assert p.returncode == 1, out + p.stderr
    assert out.startswith("no triple fault seen"), out
    assert re.search(r"stopped waiting after [\d.]+s: the kernel halted with "
                     r"interrupts off", out), out
    assert took < 60, "waited %.0fs" % took
    assert "  | system halted (debug=off)" in out, out
    assert re.search(r"#PF  err=0x0002 .*CR2=0x0\n\s+page fault: not-present "
                     r"write kernel", out), out


def test_make_debug_tf_leaves_the_iso_alone():
    out = subprocess.run(["make", "-n", "debug-tf", "CMDLINE=test=pf_null"],
                         cwd=ROOT, capture_output=True, text=True).stdout
    assert "scripts/debug-tf --cmdline 'test=pf_null'" in out, out
    assert "triage.iso" not in out, out
