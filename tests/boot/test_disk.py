"""ATA disks under QEMU: the boot line from IDENTIFY, a ktest writing and
reading back sectors (LBA28/LBA48, IRQ and polled) checked against the
image file's bytes, and machines without a usable disk."""
import os
import re

import disk_util
import triage_qemu


def pattern(lba, k):
    """Sector lba of area k as kernel/ktests/ktests_disk.c writes it."""
    return bytes((lba * 131 + i * 7 + k * 29) & 0xff for i in range(512))


def test_ata_rw_reaches_the_image(qemu, tmp_path):
    img = disk_util.blank_image(str(tmp_path / "disk.img"))
    q = qemu(cmdline="test=ata_rw", extra=disk_util.drive_args(img))
    out = q.verdict(triage_qemu.EXIT_PASS, timeout=60)
    assert re.search(r"ata0 master: QEMU HARDDISK, 131072 sectors \(64 MiB\), "
                     r"LBA48 \(serial \S+, firmware \S+\)", out), q.report("boot line")
    assert "ata1 master: ATAPI QEMU DVD-ROM (a packet device: left alone)" in out
    with open(img, "rb") as f:
        data = f.read()
    for k in range(4):
        first = 4096 + 512 * k
        for lba in (first, first + 255, first + 256, first + 299):
            assert data[lba * 512:(lba + 1) * 512] == pattern(lba, k), \
                "area %d sector %d differs in the image" % (k, lba)
        assert data[(first + 300) * 512:(first + 301) * 512] == bytes(512)


def test_no_disk_on_pc_carries_on(qemu):
    q = qemu(cmdline="init=none")
    m = q.expect(r"ata: no ATA disk found \(([^\n]*)\); carrying on without a disk")
    assert "ata0 master: no device (status 0x00)" in m.group(1).decode()
    q.send("typed\r")
    q.expect(r"typed\r?\n")


def test_q35_says_no_ata_disk(qemu, tmp_path):
    img = disk_util.blank_image(str(tmp_path / "disk.img"))
    q = qemu(cmdline="init=none", machine="q35",
             extra=["-drive", "file=%s,format=raw,if=none,id=d0" % img,
                    "-device", "ide-hd,drive=d0,bus=ide.0"])
    m = q.expect(r"ata: no ATA disk found \(([^\n]*)\); carrying on without a disk")
    why = m.group(1).decode()
    assert "no PCI IDE controller" in why and "AHCI" in why, q.report(why)
    q.send("typed\r")
    q.expect(r"typed\r?\n")
