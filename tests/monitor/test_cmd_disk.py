"""Monitor commands on the disk and the file system, checked against the
image file and e2fsprogs: dread against the image's bytes, ext2 against
dumpe2fs -h, inode N against debugfs stat <N>, disk, bcache, sync, fds."""
import re
import time

import disk_util

SH_PROMPT = r"(?<=\n)\$ "


def boot_monitor(qemu, tmp_path):
    img = disk_util.copy_image(disk_util.DISK_IMG, str(tmp_path / "disk.img"))
    q = qemu(cmdline="debug=monitor", extra=disk_util.drive_args(img))
    q.wait_prompt()
    q.cmd("pager 0")
    return q, img


def dread_bytes(out):
    """(first offset, bytes) of a dread dump."""
    first, data = None, b""
    for line in out.strip().split("\n"):
        m = re.match(r"([0-9a-f]{8}):((?: [0-9a-f]{2}){8}) ((?: [0-9a-f]{2}){8})  \|", line)
        assert m, (line, out)
        first = int(m.group(1), 16) if first is None else first
        data += bytes(int(b, 16) for b in (m.group(2) + m.group(3)).split())
    return first, data


def fields(text):
    """'Label: value' lines as a dict (values with blanks collapsed)."""
    out = {}
    for line in text.split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = " ".join(v.split())
    return out


def blocks_of(stat_text):
    """The BLOCKS: part of a debugfs-style stat, as one string."""
    m = re.search(r"BLOCKS:\n(.*?)\nTOTAL: (\d+)", stat_text, re.S)
    return (" ".join(m.group(1).split()), m.group(2)) if m else None


def test_disk_dread_ext2_inode(qemu, tmp_path):
    q, img = boot_monitor(qemu, tmp_path)
    out = q.cmd("disk")
    assert re.search(r"ata0 master +disk +QEMU HARDDISK, serial \S+, firmware", out), out
    assert "131072 sectors (64 MiB), LBA48, io 0x1f0/0x3f6 irq 14" in out
    assert "ata1 master  ATAPI QEMU DVD-ROM (left alone)" in out
    # dread: the device's bytes are the image file's
    with open(img, "rb") as f:
        image = f.read()
    first, data = dread_bytes(q.cmd("dread 2 2"))
    assert first == 1024 and data == image[1024:2048]
    first, data = dread_bytes(q.cmd("dread 0x1000 3"))
    assert first == 0x1000 * 512 and data == image[first:first + 3 * 512]
    assert "past the end" in q.cmd("dread 131072")
    # write back what mounting changed, then compare with e2fsprogs
    assert re.search(r"sync: \d+ dirty blocks written", q.cmd("sync"))
    mine, theirs = fields(q.cmd("ext2")), fields(disk_util.dumpe2fs_h(img))
    for label in ("Filesystem UUID", "Filesystem magic number", "Filesystem features",
                  "Inode count", "Block count", "Reserved block count", "Free blocks",
                  "Free inodes", "First block", "Block size", "Blocks per group",
                  "Inodes per group", "Inode blocks per group", "Mount count",
                  "First inode", "Inode size", "Filesystem state"):
        assert mine[label] == theirs[label], (label, mine[label], theirs[label])
    ino = int(re.search(r"Inode: (\d+)", disk_util.debugfs(img, "stat /bin/usertests")).group(1))
    for n in (2, ino, ino + 1):  # the root, a file with an indirect block
        mine, theirs = q.cmd("inode %d" % n), disk_util.debugfs(img, "stat <%d>" % n)
        for rx in (r"Type: (\w+) +Mode: +(\d+)", r"Size: (\d+)",
                   r"Links: (\d+) +Blockcount: (\d+)", r"mtime: (0x[0-9a-f]+)"):
            assert re.search(rx, mine).groups() == re.search(rx, theirs).groups(), rx
        assert re.search(r"Links: (\d+) +Blockcount: (\d+)", mine).groups() == \
            re.search(r"Links: (\d+) +Blockcount: (\d+)", theirs).groups()
        assert re.search(r"Size: (\d+)", mine).group(1) == re.search(r"Size: (\d+)", theirs).group(1)
        assert blocks_of(mine) == blocks_of(theirs), (mine, theirs)
    assert "(IND)" in q.cmd("inode %d" % ino)
    out = q.cmd("bcache")
    assert re.search(r"buffer cache of ata0 master: \d+ buffers of 1024 bytes", out)
    assert re.search(r"\d+ in use, 0 dirty, 0 pinned", out), out


def test_fds_of_a_process(qemu, tmp_path):
    img = disk_util.copy_image(disk_util.DISK_IMG, str(tmp_path / "disk.img"))
    q = qemu(extra=disk_util.drive_args(img))
    q.expect(SH_PROMPT, timeout=60)
    q.send("cat > /tmp/out\r")  # blocks reading the console, fd 1 on the file
    q.expect(r"cat > /tmp/out\r?\n")
    for _ in range(50):  # poll until the child has become cat
        q.send(b"\x1c")
        q.expect("break key: entering the monitor")
        q.wait_prompt()
        pid = re.search(r"^\*?\s*(\d+)\s+\d+\s+\w+\s+cat\b", q.cmd("ps"), re.M)
        if pid:
            break
        q.send("c\r")
        q.expect("resuming")
        time.sleep(0.2)  # poll interval: let the shell run meanwhile
    assert pid, q.report("no cat in ps")
    out = q.cmd("fds %s" % pid.group(1))
    assert re.search(r"cwd /\n", out), out
    assert re.search(r"^  0  console$", out, re.M), out
    assert re.search(r"^  1  /tmp/out  write, offset 0, inode \d+ on / \(ext2\), "
                     r"shared by 1$", out, re.M), out
    assert "fds: no process 999" in q.cmd("fds 999")
    # GDB's thread list says the same: a qThreadExtraInfo packet typed at
    # the prompt goes to the stub (thread id = pid + 1), its reply is hex.
    body = b"qThreadExtraInfo,%x" % (int(pid.group(1)) + 1)
    start = len(q.buf)
    q.send(b"$" + body + b"#%02x" % (sum(body) & 0xFF))
    m = q.expect(r"\$([0-9a-f]+)#[0-9a-f]{2}", start=start)
    info = bytes.fromhex(m.group(1).decode()).decode()
    assert re.search(r"pid %s cat \(\w+\) fd1=/tmp/out" % pid.group(1), info), info
