#!/usr/bin/python3
"""fs_bench — the file system's speed under QEMU (TCG), by user/fsbench.c:
a 16 MiB file read with read() against the same sectors read raw through
/dev/disk0 (the driver, no cache), the file re-read from the buffer cache,
and 1,000 creates in one directory (first 100 against last 100).

Makes a fresh 64 MiB ext2 image holding the file (mke2fs -d), boots with
it, runs fsbench in the shell. usage: bench/fs_bench.py [--runs N]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
import disk_util  # noqa: E402
from triage_qemu import Qemu  # noqa: E402

FILE_MIB = 16
LINE = re.compile(r"fsbench: (\w+) (\d+) (\w+)")
TARGETS = {"read / raw": ("<=", 1.25), "first / cached read": (">=", 10.0),
           "last / first 100 creates": ("<=", 3.0)}


def make_image(tmp):
    stage = os.path.join(tmp, "stage")
    os.makedirs(stage)
    with open(os.path.join(stage, "big"), "wb") as f:
        f.write(os.urandom(FILE_MIB << 20))
    img = disk_util.mkfs(os.path.join(tmp, "bench.img"), mib=64, block=1024, root=stage)
    blocks = disk_util.debugfs(img, "blocks /big").split()
    return img, int(blocks[0])


def run_once(tmp, img, first_block):
    q = Qemu(os.path.join(tmp, "q%d" % len(os.listdir(tmp))),
             extra=disk_util.drive_args(img))
    os.makedirs(q.dir, exist_ok=True)
    q.start()
    try:
        q.expect(r"(?<=\n)\$ ", timeout=120)
        q.send("fsbench /big /dev/disk0 %d\r" % first_block)
        q.expect("fsbench: done", timeout=600)
        out = q.output()
    finally:
        q.kill()
    v = {m.group(1): int(m.group(2)) for m in LINE.finditer(out)}
    if v.get("bytes") != FILE_MIB << 20 or v.get("raw_bytes") != FILE_MIB << 20:
        raise SystemExit("fs_bench: short reads:\n" + out[-2000:])
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("FSBENCH_RUNS", "3")))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for _ in range(args.runs):
            img, first = make_image(tempfile.mkdtemp(dir=tmp))
            runs.append(run_once(tmp, img, first))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    ms = lambda c: c / med["cycles_per_ms"]  # noqa: E731
    mbs = lambda c: FILE_MIB / (ms(c) / 1000)  # noqa: E731
    print("file system under QEMU TCG (median of %d boots, 1 KiB blocks):" % args.runs)
    for key, what in (("read_raw", "raw sectors via /dev/disk0 (driver)"),
                      ("read_cold", "read() of the file, cold cache"),
                      ("read_cached", "read() again, from the cache")):
        print("  %-40s %8.0f ms %8.1f MB/s" % (what, ms(med[key]), mbs(med[key])))
    print("  %-40s %8.1f us" % ("create, first 100 (each)", ms(med["create_first100"]) * 10))
    print("  %-40s %8.1f us" % ("create, last 100 (each)", ms(med["create_last100"]) * 10))
    print("  %-40s %8.1f ms" % ("list the 1,000 files", ms(med["list"])))
    ratios = {"read / raw": med["read_cold"] / med["read_raw"],
              "first / cached read": med["read_cold"] / med["read_cached"],
              "last / first 100 creates": med["create_last100"] / med["create_first100"]}
    failed = 0
    for name, value in ratios.items():
        op, target = TARGETS[name]
        ok = value <= target if op == "<=" else value >= target
        failed += not ok
        print("  %-40s %7.2fx  (target %s %.2fx: %s)" % (name, value, op, target,
                                                       "met" if ok else "NOT MET"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
