#!/usr/bin/python3
"""boot_time — QEMU start to the first kernel line: triage vs a bare Multiboot2 kernel.

Both boot through the same GRUB ISO recipe in the same run, alternating, so the
ratio is measured side by side. Prints a table: median ms for each, the ratio,
and the difference (what triage's own start-up adds before its banner).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
RUNS = int(os.environ.get("BOOT_RUNS", "7"))


def time_to_line(iso, marker):
    """Seconds from QEMU's start until marker appears on its serial port."""
    t0 = time.monotonic()
    p = subprocess.Popen([os.path.join(ROOT, "scripts", "run-qemu"), "--test",
                          "--serial", "stdio", iso, "--", "-monitor", "none"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    buf = b""
    try:
        while marker not in buf:
            chunk = p.stdout.read1(4096)
            if not chunk:
                raise RuntimeError("%s: no %r on serial" % (iso, marker))
            buf += chunk
        return time.monotonic() - t0
    finally:
        p.kill()
        p.wait()


def main():
    tmp = tempfile.mkdtemp()
    bare_iso = os.path.join(tmp, "bare.iso")
    triage_iso = os.path.join(tmp, "triage.iso")
    mkiso = os.path.join(ROOT, "scripts", "mkiso")
    subprocess.run([mkiso, os.path.join(ROOT, "build", "bench", "bare.elf"), bare_iso], check=True)
    subprocess.run([mkiso, os.path.join(ROOT, "build", "triage.elf"), triage_iso, "quiet"], check=True)
    bare, tri = [], []
    for _ in range(RUNS):
        bare.append(time_to_line(bare_iso, b"bare: hello"))
        tri.append(time_to_line(triage_iso, b"triage "))
    mb, mt = statistics.median(bare), statistics.median(tri)
    print("boot time, QEMU start -> first kernel line (median of %d, TCG):" % RUNS)
    print("  %-28s %8.1f ms" % ("bare Multiboot2 kernel", mb * 1000))
    print("  %-28s %8.1f ms" % ("triage (banner)", mt * 1000))
    print("  %-28s %8.2f x" % ("ratio triage/bare", mt / mb))
    print("  %-28s %8.1f ms" % ("triage start-up adds", (mt - mb) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
