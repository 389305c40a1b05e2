"""test_disasm_objdump — kernel/debug/disasm.c against GNU objdump -d on every
instruction of build/triage-test.elf (the kernel with its in-kernel tests) and of the user programs (build/user/bin/*).

objdump's instruction addresses are fed to build/host/disasm_dump, which decodes
each with the bytes up to objdump's own stop (the next symbol, the section end);
both texts are normalised (whitespace collapsed, <symbol> annotations and
# comments dropped) and compared. At least 99.5% must agree; the disagreements
are listed. Run it as a script for the full list:
    /usr/bin/python3 tests/tools/test_disasm_objdump.py [ELF...]
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DUMP = os.path.join(ROOT, "build", "host", "disasm_dump")
KERNEL = os.path.join(ROOT, "build", "triage-test.elf")  # the kernel with its ktests: all code
REQUIRED = 99.5    # percent of instructions that must agree
SHOWN = 30         # disagreements printed

INSN = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$")
SYMBOL = re.compile(r"^([0-9a-f]+) <.*>:$")
SECTION = re.compile(r"^Disassembly of section ")


def normalise(text):
    text = re.sub(r"#.*$", "", text)
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(text.split())


def objdump_insns(elf):
    """[(addr, limit, bytes, text)]: objdump's instructions; limit is where
    objdump stopped reading for it (the next symbol or section)."""
    out = subprocess.run(["objdump", "-d", "-w", elf], capture_output=True,
                         text=True, check=True).stdout
    insns, pending = [], []
    for line in out.splitlines() + ["Disassembly of section end"]:
        m = SYMBOL.match(line)
        if m or SECTION.match(line):
            limit = int(m.group(1), 16) if m else 0
            insns += [(a, limit, b, t) for a, _, b, t in pending]
            pending = []
            continue
        m = INSN.match(line)
        if m:
            pending.append((int(m.group(1), 16), 0, m.group(2).strip(), m.group(3)))
    return insns


def ours(elf, insns):
    """{addr: text} from disasm_dump for objdump's addresses."""
    req = "".join("%x %x\n" % (a, lim) for a, lim, _, _ in insns)
    p = subprocess.run([DUMP, elf], input=req, capture_output=True, text=True)
    assert p.returncode == 0, "disasm_dump failed:\n" + p.stderr[-3000:]
    res = {}
    for line in p.stdout.splitlines():
        addr, _, text = line.partition("\t")
        res[int(addr, 16)] = text
    return res


def compare(elfs):
    """(total, [disagreement lines])."""
    total, bad = 0, []
    for elf in elfs:
        insns = objdump_insns(elf)
        got = ours(elf, insns)
        for addr, _, raw, text in insns:
            total += 1
            mine = got.get(addr, "(missing)")
            if normalise(mine) != normalise(text):
                bad.append("%s %x: %-24s objdump: %-32s ours: %s" % (
                    os.path.basename(elf), addr, raw, normalise(text),
                    normalise(mine)))
    return total, bad


def targets():
    return [KERNEL] + sorted(glob.glob(os.path.join(ROOT, "build", "user", "bin", "*")))


def report(total, bad):
    pct = 100.0 * (total - len(bad)) / total if total else 0.0
    lines = bad[:SHOWN] + (["... %d more" % (len(bad) - SHOWN)] if len(bad) > SHOWN else [])
    lines.append("disasm agrees with objdump -d on %d of %d instructions (%.3f%%)"
                 % (total - len(bad), total, pct))
    return pct, "\n".join(lines)


def test_disasm_agrees_with_objdump():
    for path in [DUMP, KERNEL]:
        assert os.path.exists(path), "%s missing: run make all build/host/disasm_dump" % path
    total, bad = compare(targets())
    assert total > 10000, "only %d instructions found" % total
    pct, text = report(total, bad)
    print(text)
    assert pct >= REQUIRED, text


if __name__ == "__main__":
    total, bad = compare(sys.argv[1:] or targets())
    SHOWN = len(bad)
    print(report(total, bad)[1])
