"""user_bin — facts about the user programs in build/user/bin, read with binutils."""
import os
import re
import subprocess

from triage_qemu import ROOT

BIN = os.path.join(ROOT, "build", "user", "bin")


def syscall_insn(prog, func):
    """Address of the `syscall` instruction in prog's function func."""
    out = subprocess.run(["objdump", "-d", os.path.join(BIN, prog)],
                         capture_output=True, text=True, check=True).stdout
    body = out.split("<%s>:" % func, 1)[1].split("\n\n", 1)[0]
    m = re.search(r"^\s*([0-9a-f]+):\s+0f 05\s+syscall", body, re.M)
    assert m, body
    return int(m.group(1), 16)
