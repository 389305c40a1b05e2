"""Real-hardware paths under QEMU: the framebuffer console under OVMF (checked
pixel by pixel against triage's own font), VGA text under SeaBIOS, console=auto
finding a PCI 16550 when there is no legacy COM port, and booting on the screen
alone when there is no UART at all."""
import os
import re
import subprocess
import time

import pytest

from triage_qemu import ELF, ROOT, Qemu

FONT_C = os.path.join(ROOT, "drivers", "font8x16.c")
FG = (0xaa, 0xaa, 0xaa)  # light grey (VGA colour 7), the console default
BG = (0, 0, 0)
BANNER = r"triage \S+ - x86-64 kernel debugger"


# --- triage's font, parsed from drivers/font8x16.c (the same table the kernel uses)
def load_font():
    src = open(FONT_C).read()
    body = src[src.index("designs[GLYPHS] = {"):]
    body = body[:body.index("};")]
    glyphs = {}
    for m in re.finditer(r"/\* '(.)' \*/((?:\s*\"[^\"]*\")+)", body):
        design = "".join(re.findall(r'"([^"]*)"', m.group(2)))
        rows = [[False] * 8 for _ in range(16)]
        for r, tok in enumerate(design.split(" ") if design else []):
            for c, ch in enumerate(tok[:7]):
                rows[2 + r][c] = ch == "#"
        glyphs[m.group(1)] = rows
    assert len(glyphs) == 95, "font table: %d glyphs parsed" % len(glyphs)
    return glyphs


def render(text, font):
    """Expected pixels (16 rows of len(text)*8 RGB tuples)."""
    return [[FG if font[ch][y][x] else BG for ch in text for x in range(8)]
            for y in range(16)]


def read_ppm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P6", "screendump is not a binary PPM"
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + w * h * 3]


def pixel_rows(ppm, top, width):
    w, _, px = ppm
    return [[tuple(px[((top + y) * w + x) * 3:((top + y) * w + x) * 3 + 3])
             for x in range(width)] for y in range(16)]


def screendump(q, name="screen.ppm"):
    path = os.path.join(q.dir, name)
    if os.path.exists(path):
        os.unlink(path)
    q.hmp("screendump %s" % path)
    for _ in range(50):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            break
        time.sleep(0.1)
    return read_ppm(path)


def text_row(ppm, text, font):
    """The text row (0-based) where text is drawn from column 0, or None."""
    w, h, _ = ppm
    want = render(text, font)
    for row in range(h // 16):
        if pixel_rows(ppm, row * 16, len(text) * 8) == want:
            return row
    return None


# --- QEMU without the harness's legacy serial port
@pytest.fixture
def bare_qemu(tmp_path):
    """Factory: a Qemu with -serial none; devices (list of QEMU args) get
    chardev c0, which is the socket the Qemu object reads as 'serial'."""
    started = []

    def start(devices, **kw):
        q = Qemu(tmp_path / ("b%d" % len(started)), **kw)
        os.makedirs(q.dir, exist_ok=True)
        i = q.args.index("--serial")
        q.args[i + 1] = "none"
        q.args += ["-chardev", "socket,id=c0,path=%s,server=on,wait=on"
                   % q.serial_path] + list(devices)
        started.append(q)
        return q.start()

    yield start
    for q in started:
        q.kill()


def check_banner_on_screen(q, banner):
    ppm = screendump(q)
    w, h, px = ppm
    assert any(px[i] for i in range(0, len(px), 97)), q.report("blank screen")
    font = load_font()
    got = pixel_rows(ppm, 0, len(banner) * 8)
    assert got == render(banner, font), q.report(
        "banner glyphs not at the framebuffer's first row")
    # output after mm_init (drawn through the kernel's own page tables)
    assert text_row(ppm, "boot complete", font) is not None, q.report(
        "no 'boot complete' line on the screen")
    return font


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_uefi_framebuffer_shows_banner(qemu, machine):
    """Under OVMF there is no VGA text mode: the banner must be on the
    framebuffer, drawn with triage's font at the first text row; the
    monitor's line editing (VT100 erase-line) leaves no garbage there."""
    q = qemu(cmdline="debug=monitor", uefi=True, machine=machine)
    banner = q.expect(BANNER, timeout=90).group(0).decode()
    q.expect(r"screen: framebuffer \d+x\d+, 32 bpp")
    q.wait_prompt(timeout=60)
    # a typo and a backspace make the editor redraw with ESC [ K
    q.send("echo fb-okX\x7f")
    assert "fb-ok" in q.cmd("")
    font = check_banner_on_screen(q, banner)
    assert text_row(screendump(q), "triage> echo fb-ok ", font) is not None, \
        q.report("the edited command line is not clean on the screen")
    q.kill()


def iso_with_mode(tmp_path, gfxpayload):
    """An ISO whose grub.cfg asks GRUB for a given VBE mode under BIOS."""
    tree = tmp_path / "isotree"
    (tree / "boot" / "grub").mkdir(parents=True)
    subprocess.run(["objcopy", "--strip-debug", ELF,
                    str(tree / "boot" / "triage.elf")], check=True)
    (tree / "boot" / "grub" / "grub.cfg").write_text(
        "set timeout=0\nmenuentry triage {\n"
        "  multiboot2 /boot/triage.elf\n  set gfxpayload=%s\n  boot\n}\n"
        % gfxpayload)
    iso = tmp_path / "mode.iso"
    subprocess.run(["grub-mkrescue", "-o", str(iso), str(tree)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return str(iso)


@pytest.mark.parametrize("bpp", [24, 32])
def test_vbe_framebuffer_depths(tmp_path, bpp):
    """SeaBIOS VBE modes: the console draws 24 and 32 bpp alike."""
    q = Qemu(tmp_path / "q", cmdline="")
    os.makedirs(q.dir, exist_ok=True)
    i = q.args.index("--")
    q.args[i - 1] = iso_with_mode(tmp_path, "1024x768x%d" % bpp)
    try:
        q.start()
        banner = q.expect(BANNER, timeout=60).group(0).decode()
        q.expect(r"screen: framebuffer 1024x768, %d bpp" % bpp)
        q.expect("boot complete", timeout=30)
        check_banner_on_screen(q, banner)
    finally:
        q.kill()


def test_bios_keeps_vga_text(qemu):
    """Under SeaBIOS GRUB leaves VGA text mode and the kernel uses it."""
    q = qemu(cmdline="")
    q.expect(BANNER, timeout=60)
    q.expect("screen: VGA text 80x25")
    q.expect("boot complete", timeout=30)
    w, h, _ = screendump(q)
    assert (w, h) == (720, 400), q.report("not a text-mode screen: %dx%d" % (w, h))
    q.kill()


@pytest.mark.parametrize("firmware,machine", [("bios", "pc"), ("uefi", "q35")])
def test_pci_serial_found_and_monitor_works(bare_qemu, firmware, machine):
    """No legacy COM port, one PCI 16550: console=auto picks it and the
    monitor runs over it."""
    q = bare_qemu(["-device", "pci-serial,chardev=c0"], cmdline="debug=monitor",
                  uefi=firmware == "uefi", machine=machine)
    m = q.expect(r"console: 16550 at io 0x[0-9a-f]+ irq \d+, 115200 baud 8N1, "
                 r"PCI [0-9a-f]{2}:[0-9a-f]{2}\.\d 16550", timeout=90)
    assert b"legacy" not in m.group(0)
    q.wait_prompt(timeout=60)
    assert "pci-ok" in q.cmd("echo pci-ok")
    q.kill()


def test_explicit_pci_console(bare_qemu):
    q = bare_qemu(["-device", "pci-serial,chardev=c0"],
                  cmdline="console=pci,38400 debug=monitor")
    q.expect(r"console: 16550 at io 0x[0-9a-f]+ irq \d+, 38400 baud 8N1, PCI ",
             timeout=60)
    q.wait_prompt(timeout=60)
    q.kill()


def test_no_uart_boots_on_screen(bare_qemu):
    """With no UART anywhere the kernel still boots and says so on the
    screen (checked on the OVMF framebuffer with triage's font)."""
    # c0 goes to OVMF's debug port so the harness has a socket to read
    q = bare_qemu(["-device", "isa-debugcon,iobase=0x402,chardev=c0"],
                  cmdline="init=none", uefi=True, machine="q35")
    font = load_font()
    want = "console: none found:"
    deadline = time.time() + 120
    row = None
    while time.time() < deadline and row is None:
        time.sleep(3)
        try:
            row = text_row(screendump(q), want, font)
        except (OSError, AssertionError):
            row = None
    assert row is not None, q.report("'%s' never appeared on the screen" % want)
    q.kill()


@pytest.mark.parametrize("firmware,machine", [("bios", "pc"), ("uefi", "q35")])
def test_pci_serial_receive_interrupt(bare_qemu, firmware, machine):
    """Typed bytes reach the kernel through the PCI UART's interrupt line
    (the echo loop at the end of boot is fed by the receive IRQ)."""
    q = bare_qemu(["-device", "pci-serial,chardev=c0"], cmdline="",
                  uefi=firmware == "uefi", machine=machine)
    q.expect(r"console: 16550 at io .*PCI ", timeout=90)
    q.expect(r"\$ ", timeout=60)  # the shell reads what the IRQ delivers
    q.send("irq-ok\r")
    q.expect("irq-ok", timeout=15)
    q.kill()


def spcr_table(port, baud_code, irq):
    """An SPCR (rev 2) for a 16550 at an I/O port, checksum included."""
    t = bytearray(80)
    t[0:4] = b"SPCR"
    t[4:8] = (80).to_bytes(4, "little")
    t[8] = 2
    t[10:16] = b"TRIAGE"
    t[16:24] = b"TESTSPCR"
    t[36] = 0              # interface type: full 16550
    t[40] = 1              # GAS: system I/O space
    t[41] = 8              # register bit width
    t[43] = 1              # byte access
    t[44:52] = port.to_bytes(8, "little")
    t[52] = 1              # interrupt type: PC-AT 8259
    t[53] = irq
    t[58] = baud_code      # 4 = 19200
    t[60] = 1              # one stop bit
    t[62] = 3              # ANSI terminal
    t[64:68] = b"\xff\xff\xff\xff"  # not a PCI device
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


@pytest.mark.parametrize("firmware,machine", [("bios", "pc"), ("uefi", "q35")])
def test_spcr_table_is_honoured(tmp_path, qemu, firmware, machine):
    """An SPCR added with -acpitable wins over the legacy probe: its port
    and its baud rate (19200, which QEMU ignores on the wire) are used."""
    path = tmp_path / "spcr.bin"
    path.write_bytes(spcr_table(0x3f8, 4, 4))
    q = qemu(cmdline="debug=monitor", uefi=firmware == "uefi", machine=machine,
             extra=["-acpitable", "file=%s" % path])
    q.expect(r"console: 16550 at io 0x3f8 irq 4, 19200 baud 8N1, "
             r"from the ACPI SPCR table", timeout=90)
    q.wait_prompt(timeout=60)
    q.kill()


def test_framebuffer_scrolls(qemu):
    """Past the last text row the framebuffer console scrolls: the newest
    lines sit at the bottom, the banner has left the top."""
    q = qemu(cmdline="debug=monitor", uefi=True, machine="q35")
    banner = q.expect(BANNER, timeout=90).group(0).decode()
    m = q.expect(r"screen: framebuffer (\d+)x(\d+), 32 bpp")
    rows = int(m.group(2)) // 16
    q.wait_prompt(timeout=60)
    for i in range(rows // 2 + 5):
        assert "line-%d" % i in q.cmd("echo line-%d" % i)
    last = rows // 2 + 4
    ppm = screendump(q)
    font = load_font()
    assert text_row(ppm, "line-%d " % last, font) == rows - 2, q.report(
        "last output line not on the second-to-last text row")
    assert text_row(ppm, "triage> echo line-%d " % last, font) == rows - 3
    assert pixel_rows(ppm, 0, len(banner) * 8) != render(banner, font)
    q.kill()
