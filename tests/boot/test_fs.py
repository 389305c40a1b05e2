"""The file system end to end under QEMU, judged by e2fsprogs on the host:
programs from the disk, the shell's file commands and redirections,
usertests' file-system tests, a seeded random stress run against a shadow
model, a full disk and a full inode table (ENOSPC), synced files
surviving QEMU killed mid-write, and device errors and corrupt structures
reaching the process as errors."""
import os
import re
import subprocess
import time

import disk_util
import fsstress_model

SH_PROMPT = r"(?<=\n)\$ "


def boot_shell(qemu, img, cmdline=""):
    q = qemu(cmdline=cmdline, extra=disk_util.drive_args(img))
    q.expect(r"user: starting init as pid 1", timeout=60)
    q.expect(SH_PROMPT, timeout=60)
    return q


def sh(q, line, timeout=60):
    """Type line at the shell; its output up to the next prompt."""
    q.send(line + "\r")
    q.expect(re.escape(line) + r"\r?\n", timeout)
    start = q.pos
    m = q.expect(SH_PROMPT, timeout)
    return q.buf[start:m.start()].decode("latin-1").replace("\r", "")


def fsck_clean(img, q=None):
    rc, out = disk_util.fsck(img)
    assert rc == 0, "e2fsck -fn exit %d:\n%s\n%s" % (rc, out, q.report("") if q else "")


def dump(img, path, out_dir):
    subprocess.run(["/usr/sbin/debugfs", "-R", "rdump %s %s" % (path, out_dir), img],
                   check=True, capture_output=True)


def test_disk_shell_and_usertests(qemu, tmp_path):
    img = disk_util.copy_image(disk_util.DISK_IMG, str(tmp_path / "disk.img"))
    q = boot_shell(qemu, img)
    out = q.output()
    assert re.search(r"ext2: ata0 master: 65536 blocks of 1 KiB \(\d+ free\), "
                     r"16384 inodes", out), q.report("mount line")
    assert "vfs: / is ext2 on ata0 master (read-write)" in out
    assert "vfs: /initrd is the initrd (read-only)" in out
    listing = sh(q, "ls -l /bin")
    assert re.search(r"^-rwxr-xr-x +1 +\d+ hello$", listing, re.M), listing
    sh(q, "cat /hello.txt > /tmp/copy")
    sh(q, "echo appended line >> /tmp/copy")
    assert sh(q, "cat < /tmp/copy").endswith("appended line\n")
    sh(q, "mkdir /tmp/dir")
    sh(q, "cd /tmp/dir")
    assert sh(q, "pwd").strip() == "/tmp/dir"
    sh(q, "cp ../copy c2")
    sh(q, "mv c2 /tmp/moved")
    sh(q, "touch empty")
    assert "No such" not in sh(q, "stat /tmp/moved")
    assert re.search(r"^ext2 +65536 ", sh(q, "df"), re.M)
    out = sh(q, "cat /nope")
    assert "cat: /nope: not found" in out and "sh: cat: exit status 1" in out
    out = sh(q, "usertests fsfiles fserrors fsdirs fsfds fsbig fsexec", timeout=120)
    assert "usertests: ALL TESTS PASSED" in out, q.report(out)
    assert "skipped" not in out
    sh(q, "sync")
    q.kill()
    fsck_clean(img)
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "user", "disk",
                           "hello.txt"), "rb") as f:
        want = f.read() + b"appended line\n"
    assert disk_util.debugfs(img, "cat /tmp/moved").encode() == want
    assert "empty" in disk_util.debugfs(img, "ls /tmp/dir")


def compare_tree(root, want):
    got = {}
    for d, dirs, files in os.walk(root):
        for name in dirs:
            got[os.path.relpath(os.path.join(d, name), root)] = None
        for name in files:
            with open(os.path.join(d, name), "rb") as f:
                got[os.path.relpath(os.path.join(d, name), root)] = f.read()
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing and not extra, "missing %s, extra %s" % (missing[:5], extra[:5])
    for path, data in want.items():
        assert got[path] == data, "%s differs: %s vs %s bytes" % (
            path, None if got[path] is None else len(got[path]),
            None if data is None else len(data))


def test_fsstress_matches_shadow_model(qemu, tmp_path):
    seed, ops = 20240607, 3000
    img = disk_util.mkfs(str(tmp_path / "fresh.img"), mib=64, block=1024)
    q = boot_shell(qemu, img)
    out = sh(q, "fsstress %d %d" % (seed, ops), timeout=240)
    m = re.search(r"fsstress: %d ops in (\d+) ms, (\d+) files, (\d+) dirs, "
                  r"0 failures, sync 0" % ops, out)
    assert m, q.report(out)
    q.kill()
    fsck_clean(img, q)
    model = fsstress_model.Model(seed).run(ops)
    assert int(m.group(2)) == len(model.files) and int(m.group(3)) == len(model.dirs)
    dump(img, "/stress", str(tmp_path))
    compare_tree(str(tmp_path / "stress"), model.tree())


def test_full_disk_and_inodes_enospc(qemu, tmp_path):
    img = disk_util.mkfs(str(tmp_path / "small.img"), mib=4, block=1024, inodes=128)
    q = boot_shell(qemu, img)
    out = sh(q, "fill -i /many", timeout=120)
    m = re.search(r"fill: /many: (\d+) files, then: no space left on device", out)
    assert m and int(m.group(1)) > 90, out
    sh(q, "rm /many/i0")  # an inode for the next file
    out = sh(q, "fill /big", timeout=120)
    assert re.search(r"fill: /big: \d+ bytes, then: no space left on device", out), out
    assert "No space" not in sh(q, "df")
    sh(q, "sync")
    q.kill()
    fsck_clean(img, q)
    free = re.search(r"Free blocks: +(\d+)", disk_util.dumpe2fs_h(img))
    assert int(free.group(1)) < 50  # really full


def test_synced_files_survive_a_kill(qemu, tmp_path):
    img = disk_util.mkfs(str(tmp_path / "crash.img"), mib=64, block=1024)
    q = boot_shell(qemu, img)
    sh(q, "cp /initrd/usertests /kept")
    sh(q, "mkdir /d")
    sh(q, "cp /initrd/README /d/readme")
    sh(q, "sync")
    synced = os.stat(img).st_mtime_ns
    q.send("fill -c /junk\r")
    q.expect("fill: rewriting /junk until killed")
    # kill it once the periodic write-back has put some of /junk on the
    # disk: the image changes again while fill is still writing
    deadline = time.time() + 60
    while os.stat(img).st_mtime_ns == synced and time.time() < deadline:
        time.sleep(0.05)
    assert os.stat(img).st_mtime_ns != synced, q.report("no write-back")
    q.kill()
    rc, out = disk_util.fsck(img, repair=True)
    assert rc in (0, 1), "e2fsck -fp exit %d:\n%s" % (rc, out)
    fsck_clean(img)
    initrd = os.path.join(disk_util.ROOT, "build", "user", "initrd")
    with open(os.path.join(initrd, "usertests"), "rb") as f:
        want = f.read()
    kept = subprocess.run(["/usr/sbin/debugfs", "-R", "cat /kept", img],
                          capture_output=True, check=True).stdout
    assert kept == want
    with open(os.path.join(initrd, "README"), "rb") as f:
        assert subprocess.run(["/usr/sbin/debugfs", "-R", "cat /d/readme", img],
                              capture_output=True, check=True).stdout == f.read()


def test_device_errors_and_corruption_reach_the_process(qemu, tmp_path):
    """A sector the disk cannot read (QEMU's blkdebug makes it fail) and
    an image corrupted on purpose: the process gets EIO / EUCLEAN, the
    kernel one line naming the device and sector or the inode and block,
    and everything else keeps working."""
    stage = tmp_path / "stage"
    (stage / "dir").mkdir(parents=True)
    for name in ("good", "bad", "corrupt"):
        (stage / name).write_text("%s file\n" % name)
    for i in range(40):  # a directory of two blocks
        (stage / "dir" / ("entry-%02d-with-a-longer-name" % i)).write_text("x")
    img = disk_util.mkfs(str(tmp_path / "err.img"), mib=8, block=1024, root=str(stage))
    bad_block = int(disk_util.debugfs(img, "blocks /bad").split()[0])
    subprocess.run(["/usr/sbin/debugfs", "-w", "-R", "sif /corrupt block[0] 999999", img],
                   check=True, capture_output=True)
    ino = int(re.search(r"Inode: (\d+)", disk_util.debugfs(img, "stat /corrupt")).group(1))
    dir_block = int(disk_util.debugfs(img, "blocks /dir").split()[1])
    with open(img, "r+b") as f:  # the first entry of the second block
        f.seek(dir_block * 1024 + 4)
        f.write((3000).to_bytes(2, "little"))  # rec_len past the block
    conf = tmp_path / "blkdebug.conf"
    conf.write_text('[inject-error]\nevent = "read_aio"\nerrno = "5"\n'
                    'sector = "%d"\nonce = "off"\n' % (bad_block * 2))
    q = qemu(extra=["-drive", "file=blkdebug:%s:%s,format=raw,if=ide,index=0"
                    % (conf, img)])
    q.expect(SH_PROMPT, timeout=60)
    out = sh(q, "cat /bad")
    assert "cat: /bad: input/output error" in out, q.report(out)
    assert re.search(r"ata0 master: read sector %d \(LBA28\): status 0x41 \(DRDY ERR\), "
                     r"error 0x04 \(ABRT\)" % (bad_block * 2), q.output())
    out = sh(q, "cat /corrupt")
    assert "structure needs cleaning" in out, out
    assert re.search(r"ext2: inode %d block 999999: [a-z ]*block number outside the "
                     r"file system" % ino, q.output())
    out = sh(q, "ls /dir")
    assert "structure needs cleaning" in out, out
    assert re.search(r"ext2: inode \d+ block %d: directory entry at offset 0: rec_len "
                     r"runs past the block end" % dir_block, q.output())
    assert sh(q, "cat /good") == "good file\n"
