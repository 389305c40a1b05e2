"""scripts/debug-tf (make debug-tf): a real triple fault is caught and symbolised."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_debug_tf_lists_the_chain(tmp_path):
    p = subprocess.run([os.path.join(ROOT, "scripts", "debug-tf"), "--log",
                        str(tmp_path / "tf.log"), "--timeout", "60"],
                       capture_output=True, text=True, timeout=120)
    out = p.stdout
    assert p.returncode == 0, out + p.stderr
    assert out.startswith("TRIPLE FAULT"), out
    # int3 with an empty IDT: #BP cannot be delivered -> #GP -> #DF -> reset
    chain = re.findall(r"^\s+(#\w+)\s.*<(\w+)\+0x[0-9a-f]+>", out, re.M)
    assert [c[0] for c in chain[-3:]] == ["#BP", "#GP", "#DF"], out
    assert all(c[1] == "ktest_fn_triple_fault" for c in chain[-3:]), out
