"""test_gdbstub_fake.py — real GDB (batch mode) against the GDB stub serving a fake target over TCP.

The fake target (tests/unit/gdb_fake_target.c) has known registers and
memory, so what GDB prints can be checked exactly. Run with
/usr/bin/python3 -m pytest tests/gdb/test_gdbstub_fake.py; the helper is
taken from $GDB_FAKE_TARGET, else build/host/gdb_fake_target, else built
here with gcc.
"""
import os
import subprocess
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRCS = [
    "tests/unit/gdb_fake_target_main.c",
    "tests/unit/gdb_fake_target.c",
    "kernel/debug/gdbstub.c",
    "kernel/debug/gdb_query.c",
    "kernel/debug/gdb_rsp.c",
    "kernel/debug/gdb_regs.c",
    "kernel/debug/gdb_target_xml.c",
    "kernel/debug/gdb_xfer.c",
    "kernel/debug/gdb_fpu.c",
    "kernel/lib/format.c",
]
BASE = 0xFFFFFFFF80100000  # FAKE_MEM_BASE
HOLE = BASE + 0x2000  # FAKE_HOLE: an unmapped page
TIMEOUT = 60


@pytest.fixture(scope="session")
def fake_target_bin(tmp_path_factory):
    path = os.environ.get("GDB_FAKE_TARGET") or os.path.join(
        ROOT, "build/host/gdb_fake_target")
    path = os.path.join(ROOT, path)  # absolute: gdb runs in tmp_path
    if os.path.exists(path):
        return path
    path = str(tmp_path_factory.mktemp("bin") / "gdb_fake_target")
    subprocess.run(["gcc", "-std=c11", "-D_GNU_SOURCE", "-g", "-O1", "-Wall",
                    "-Wextra", "-Werror", "-I.", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-o", path] + SRCS,
                   cwd=ROOT, check=True)
    return path


def run_gdb(fake_target_bin, tmp_path, commands):
    """Start the fake target, run gdb -batch with commands (each as -ex, so
    an error in one does not stop the rest); return (gdb output, stub log)."""
    log = open(tmp_path / "stub.log", "w+")
    stub = subprocess.Popen([fake_target_bin], stdout=subprocess.PIPE,
                            stderr=log, text=True, cwd=tmp_path)
    try:
        line = stub.stdout.readline()
        assert line.startswith("PORT "), line
        port = int(line.split()[1])
        args = ["gdb", "-batch", "-nx", "-ex", "set pagination off",
                "-ex", "set confirm off",
                "-ex", "set architecture i386:x86-64",
                "-ex", "target remote 127.0.0.1:%d" % port]
        for c in commands:
            args += ["-ex", c]
        out = subprocess.run(args, capture_output=True, text=True,
                             timeout=TIMEOUT, cwd=tmp_path)
        stub.wait(timeout=TIMEOUT)
        log.seek(0)
        text = out.stdout + out.stderr
        print(text)
        return text, log.read()
    finally:
        if stub.poll() is None:
            stub.kill()
            stub.wait()
        log.close()


def reg_line(out, name):
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == name:
            return f
    raise AssertionError("no register line for %s in:\n%s" % (name, out))


def test_registers(fake_target_bin, tmp_path):
    out, log = run_gdb(fake_target_bin, tmp_path, [
        "info registers rip cr3 cr0 efer rax eflags cs",
        "info registers st0",
        "info registers fs_base",
        "p/x $xmm1.v4_int32",
        "p/x $mxcsr",
        "p $mxcsr",
        "p $st1",
        "info float",
        "set $xmm2.v4_int32 = {1, 2, 3, 4}",
        "p $xmm2.v4_int32",
        "info registers",
        "detach",
    ])
    assert reg_line(out, "rip")[1] == hex(BASE + 0x100)
    assert reg_line(out, "cr3")[1:] == ["0x1000", "4096"]
    assert reg_line(out, "cr0")[1:] == [
        "0x80050033", "[", "PE", "MP", "ET", "NE", "WP", "AM", "PG", "]"]
    assert reg_line(out, "efer")[1:] == [
        "0xd01", "[", "SCE", "LME", "LMA", "NXE", "]"]
    assert reg_line(out, "rax")[1] == "0x1111111111111111"
    assert reg_line(out, "eflags")[1:] == ["0x46", "[", "PF", "ZF", "]"]
    assert reg_line(out, "cs")[1] == "0x8"
    # x87 and SSE from the fake's FXSAVE image (gdb_fake_target.h)
    assert reg_line(out, "st0")[1:] == ["0", "(raw", "0x00000000000000000000)"]
    assert "= {0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c}" in out
    assert "= 0x1f80" in out and "[ IM DM ZM OM UM PM ]" in out
    assert "3.1415926535897932385" in out  # st1
    assert "=>R5: Zero    0x00000000000000000000 +0" in out
    assert "R7: Valid   0x3fff8000000000000000 +1" in out
    assert "R4: Empty" in out and "Tag Word:            0x07ff" in out
    assert "Opcode:              0xd9ee" in out  # fldz
    assert "= {1, 2, 3, 4}" in out
    assert reg_line(out, "fs_base")[1] == "0xdddddddddddddddd"
    # plain `info registers` shows the control registers too
    assert reg_line(out, "cr4")[1:] == [
        "0x6b0", "[", "PSE", "PAE", "PGE", "OSFXSR", "OSXMMEXCPT", "]"]
    assert "detached" in out
    assert "session ended (detach)" in log


def test_memory(fake_target_bin, tmp_path):
    out, _ = run_gdb(fake_target_bin, tmp_path, [
        "x/4gx %#x" % BASE,
        "x/2x %#x" % HOLE,
        "set {unsigned int}%#x = 0xcafef00d" % (BASE + 0x40),
        "x/wx %#x" % (BASE + 0x40),
        "set {char}%#x = 1" % HOLE,
        "detach",
    ])
    assert "%#x:\t0x0706050403020100\t0x0f0e0d0c0b0a0908" % BASE in out
    assert "%#x:\t0x1716151413121110\t0x1f1e1d1c1b1a1918" % (BASE + 0x10) in out
    assert "Cannot access memory at address %#x" % HOLE in out
    assert "%#x:\t0xcafef00d" % (BASE + 0x40) in out
    assert out.count("Cannot access memory at address %#x" % HOLE) == 2


def test_monitor(fake_target_bin, tmp_path):
    out, log = run_gdb(fake_target_bin, tmp_path, [
        "monitor echo hi",
        "monitor fill 3000",
        "monitor fail",
        "detach",
    ])
    lines = out.splitlines()
    assert "hi" in lines
    assert "z" * 3000 in out.replace("\n", "")
    assert "Protocol error with Rcmd" in out


def test_breakpoints_and_step(fake_target_bin, tmp_path):
    out, _ = run_gdb(fake_target_bin, tmp_path, [
        "break *%#x" % (BASE + 0x110),
        "hbreak *%#x" % (BASE + 0x120),
        "continue",
        "info registers rip",
        "continue",
        "info registers rip",
        "delete",
        "stepi",
        "info registers rip",
        "set $rip = %#x" % (BASE + 0x180),
        "stepi",
        "info registers rip",
        "detach",
    ])
    assert "Breakpoint 1, %#x in ?? ()" % (BASE + 0x110) in out
    assert "Breakpoint 2, %#x in ?? ()" % (BASE + 0x120) in out
    rips = [l.split()[1] for l in out.splitlines() if l.startswith("rip ")]
    assert rips == [hex(BASE + 0x110), hex(BASE + 0x120),
                    hex(BASE + 0x121), hex(BASE + 0x181)]


def test_watchpoint(fake_target_bin, tmp_path):
    addr = BASE + 0x300
    out, _ = run_gdb(fake_target_bin, tmp_path, [
        "watch *(long *)%#x" % addr,
        "continue",
        "detach",
    ])
    assert "Hardware watchpoint 1: *(long *)%#x" % addr in out
    old = int.from_bytes(bytes(range(8)), "little")
    assert "Old value = %d" % old in out
    assert "New value = %d" % (old + 1) in out


def test_interrupted_run_reports_sigint(fake_target_bin, tmp_path):
    # Nothing to hit: the fake runs 16 bytes and stops with SIGINT.
    out, _ = run_gdb(fake_target_bin, tmp_path, [
        "continue",
        "info registers rip",
        "detach",
    ])
    assert "SIGINT" in out
    assert reg_line(out, "rip")[1] == hex(BASE + 0x110)
