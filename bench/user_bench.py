#!/usr/bin/python3
"""user_bench — ring-3 cycles measured inside the guest by user/ubench.c (rdtsc):
a null system call (getpid) by `syscall` and by `int 0x80`, their ratio, and a
context switch (two processes yielding to each other, also with both using
x87/SSE between switches).

Boots build/triage-test.elf (the harness's kernel) with init=ubench (and build/initrd.tar) RUNS times and
prints the median of each figure. usage: bench/user_bench.py [--runs N]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
from triage_qemu import ROOT, iso_for  # noqa: E402

TIMEOUT = 300  # seconds for one boot to print "ubench: done" (TCG)
LINE = re.compile(rb"ubench: (\w+) ([\d.]+) (\w+)")
ROWS = [
    ("syscall_getpid", "null system call, syscall"),
    ("int80_getpid", "null system call, int 0x80"),
    ("int80_vs_syscall", "ratio int 0x80 / syscall"),
    ("yield_alone", "yield, no other process"),
    ("context_switch", "context switch (yield ping-pong)"),
    ("context_switch_fpu", "context switch, both using x87/SSE"),
    ("fxsave_fxrstor", "FXSAVE64 + FXRSTOR64 (eager switch)"),
]


def run_once(iso):
    """Boot once; {name: (value, unit)} from ubench's lines."""
    p = subprocess.Popen([os.path.join(ROOT, "scripts", "run-qemu"), "--test",
                          "--serial", "stdio", iso, "--", "-monitor", "none"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    buf = b""
    try:
        while b"ubench: done" not in buf and b"every process has exited" not in buf:
            chunk = p.stdout.read1(4096)
            if not chunk:
                break
            buf += chunk
    finally:
        p.kill()
        p.wait()
    figures = {m.group(1).decode(): (float(m.group(2)), m.group(3).decode())
               for m in LINE.finditer(buf)}
    if b"ubench: done" not in buf or not figures:
        sys.stdout.write(buf.decode("latin-1")[-3000:])
        raise SystemExit("user_bench: ubench did not finish (serial log above)")
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("UBENCH_RUNS", "3")))
    args = ap.parse_args()
    iso = iso_for("init=ubench quiet")
    runs = [run_once(iso) for _ in range(args.runs)]
    print("user space, cycles by rdtsc in ring 3 (median of %d boots, QEMU TCG):" % args.runs)
    for name, label in ROWS:
        values = [r[name][0] for r in runs if name in r]
        if not values:
            print("  %-36s (missing)" % label)
            continue
        unit = runs[0][name][1]
        fmt = "  %-36s %10.2f %s" if unit == "x" else "  %-36s %10.0f %s"
        print(fmt % (label, statistics.median(values), unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
