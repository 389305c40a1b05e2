"""Boot tests: the real ISO under QEMU — banner, memory map, timer, keyboard, options."""
import re
import subprocess

import pytest

from triage_qemu import ELF, EXIT_PASS, PLAIN_ELF, ROOT

MiB = 1 << 20


def usable_bytes(out):
    total = 0
    for m in re.finditer(r"0x([0-9a-f]{16}) 0x([0-9a-f]{16})\s+\d+\s+available", out):
        total += int(m.group(2), 16) - int(m.group(1), 16) + 1
    return total


def test_banner_is_first_line_and_memory_map(qemu):
    q = qemu(cmdline="test=boot")
    out = q.verdict(EXIT_PASS)
    assert re.match(r"triage \S+ - x86-64 kernel debugger\r?\n", out), q.report("banner is not the first line")
    assert 'command line: "test=boot"' in out
    assert "bootloader: GRUB" in out
    assert "memory map (" in out


@pytest.mark.parametrize("mem_mib", [64, 256, 1024, 4096])
def test_memory_map_matches_guest_ram(qemu, mem_mib):
    """The available ranges add up to the RAM QEMU was given, less the
    legacy holes (VGA/BIOS below 1 MiB, firmware tables at the top)."""
    q = qemu(cmdline="test=boot", mem="%dM" % mem_mib)
    out = q.verdict(EXIT_PASS)
    usable = usable_bytes(out)
    assert 0 <= mem_mib * MiB - usable <= 2 * MiB, q.report("usable %d bytes for %d MiB" % (usable, mem_mib))
    assert "usable RAM: %d MiB" % (usable >> 20) in out


def test_timer_ticks_at_configured_rate(qemu):
    q = qemu(cmdline="test=timer hz=250")
    out = q.verdict(EXIT_PASS)
    m = re.search(r"timer: 20 ticks at (\d+) Hz, uptime (\d+) ms", out)
    assert m, q.report("no timer line")
    assert int(m.group(1)) == 250
    assert int(m.group(2)) >= 80  # 20 ticks at 250 Hz = 80 ms at least


def test_keyboard_sendkey_echoes(qemu):
    q = qemu(cmdline="test=keyboard")
    q.expect("keyboard: type a line")
    for key in ["t", "shift-r", "i", "a", "g", "e", "spc", "1", "ret"]:
        q.hmp("sendkey " + key)
    q.expect(r"keyboard: got line 'tRiage 1'")
    q.verdict(EXIT_PASS)


def test_serial_input_reaches_console(qemu):
    q = qemu(cmdline="test=keyboard")
    q.expect("keyboard: type a line")
    q.send("over serial\r")
    q.expect(r"keyboard: got line 'over serial'")
    q.verdict(EXIT_PASS)


def test_unknown_option_warns_and_boot_continues(qemu):
    q = qemu(cmdline="frobnicate=1 hz=abc test=boot")
    out = q.verdict(EXIT_PASS)
    assert "warning: cmdline: unknown option 'frobnicate' ignored" in out
    assert "warning: cmdline: option 'hz' wants a number, got 'abc'" in out


def test_bad_console_spec_warns(qemu):
    q = qemu(cmdline="console=ttyS9 test=boot")
    out = q.verdict(EXIT_PASS)
    assert "warning: console=ttyS9: expected ttyS0..ttyS3" in out


def test_unknown_test_name_lists_tests(qemu):
    q = qemu(cmdline="test=nosuchtest")
    out = q.verdict(35)
    assert "no test called 'nosuchtest'" in out
    assert "pf_null" in out


def test_harness_reports_triple_fault(qemu):
    """The harness itself must call a reset a failure, never a pass."""
    q = qemu(cmdline="test=triple_fault")
    with pytest.raises(AssertionError, match="triple fault"):
        q.verdict(EXIT_PASS)


def vga_text(q, rows=25):
    """The VGA text screen read by QEMU itself (guest-physical 0xb8000)."""
    dump = q.hmp("xp /%dhx 0xb8000" % (80 * rows))
    cells = []
    for line in dump.splitlines():
        if ":" in line:
            cells += [int(w, 16) for w in re.findall(r"0x([0-9a-f]{4})", line.split(":", 1)[1])]
    chars = "".join(chr(c & 0xff) for c in cells)
    return [chars[i:i + 80].rstrip() for i in range(0, len(chars), 80)]


def test_vga_shows_banner_and_summary(qemu):
    q = qemu(cmdline="test=keyboard")
    q.expect("keyboard: type a line")
    screen = vga_text(q)
    assert re.match(r"triage \S+ - x86-64 kernel debugger", screen[0]), "\n".join(screen)
    assert any(l.startswith("memory map (") for l in screen), "\n".join(screen)
    assert any("usable RAM: " in l for l in screen)
    q.kill()


def test_vga_scrolls(qemu):
    """Typed lines echo on both consoles; past 25 rows the screen scrolls."""
    q = qemu(cmdline="init=none")  # the kernel keeps the console
    q.expect("boot complete")
    for i in range(30):
        q.send("echo line %02d\r" % i)
    q.expect("echo line 29")
    screen = vga_text(q)
    assert not screen[0].startswith("triage "), "\n".join(screen)
    used = [l for l in screen if l]
    assert used[-1] == "echo line 29", "\n".join(screen)
    assert "echo line 10" in screen
    q.kill()


def test_no_long_mode_is_reported(qemu):
    """A 32-bit CPU gets a clear message on serial and VGA, not a silent hang."""
    q = qemu(cmdline="test=boot", cpu="qemu32")
    q.expect("triage: boot failed: this CPU has no long mode")
    screen = vga_text(q, rows=1)
    assert screen[0].startswith("triage: boot failed: this CPU has no long mode"), screen
    q.kill()


def ktest_symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if "ktest" in line}


def test_plain_kernel_has_no_ktests_and_says_so(qemu):
    """build/triage.elf carries no in-kernel tests (build/triage-test.elf
    does); asked for one it says how to get it and boots on to user space."""
    assert "ktest_fail" in ktest_symbols(ELF)
    assert "ktest_fail" not in ktest_symbols(PLAIN_ELF), sorted(ktest_symbols(PLAIN_ELF))
    q = qemu(cmdline="test=pf_null", elf=PLAIN_ELF)
    q.expect(r"test=pf_null: this kernel was built without its in-kernel tests")
    q.expect(r"make iso CMDLINE='test=pf_null'")
    q.expect(r"user: starting init as pid 1")
    assert "EXCEPTION" not in q.buf.decode("latin-1"), q.report("the fault scenario ran")


@pytest.mark.parametrize("cmdline,obj", [("", "ktest_off.o"), ("test=pf_null quiet", "ktest.o")])
def test_make_links_ktests_only_for_a_test_cmdline(cmdline, obj):
    """`make iso CMDLINE='test=…'` links build/triage.elf with the tests, so
    that the ISO and the ELF GDB loads stay one build; a plain make does not."""
    out = subprocess.run(["make", "-n", "-B", "build/triage.elf", "CMDLINE=" + cmdline],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    link = [l for l in out.splitlines() if " -o build/triage.elf " in l]
    assert link and ("kernel/ktests/" + obj) in link[0], out[-2000:]
    other = "ktest.o" if obj == "ktest_off.o" else "ktest_off.o"
    assert ("kernel/ktests/" + other) not in link[0]
