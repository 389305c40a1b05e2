"""disk_util — disk images for the storage tests: QEMU -drive arguments,
ext2 images made by mke2fs, and e2fsprogs' view of them (debugfs,
dumpe2fs, e2fsck) as the independent truth."""
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DISK_IMG = os.path.join(ROOT, "build", "disk.img")
SBIN = "/usr/sbin"


def drive_args(path, index=0):
    """QEMU arguments attaching path as an IDE disk (index 0 = ata0 master)."""
    return ["-drive", "file=%s,format=raw,if=ide,index=%d,media=disk" % (path, index)]


def blank_image(path, mib=64):
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    return path


def mkfs(path, mib=64, block=1024, inodes=None, root=None, extra=()):
    """A fresh ext2 image of mib MiB, block-byte blocks, populated from
    directory root when given."""
    blank_image(path, mib)
    args = [os.path.join(SBIN, "mke2fs"), "-q", "-F", "-t", "ext2", "-b", str(block)]
    if inodes:
        args += ["-N", str(inodes)]
    if root:
        args += ["-d", root]
    args += list(extra) + [path]
    subprocess.run(args, check=True, capture_output=True)
    return path


def copy_image(src, dst):
    """A copy of src (sparse where src is) for a test to modify."""
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    return dst


def fsck(path, repair=False):
    """e2fsck -fn (or -fp when repair): (exit status, output)."""
    flag = "-fp" if repair else "-fn"
    p = subprocess.run([os.path.join(SBIN, "e2fsck"), flag, path],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def debugfs(path, request):
    p = subprocess.run([os.path.join(SBIN, "debugfs"), "-R", request, path],
                       capture_output=True, text=True, check=True)
    return p.stdout


def dumpe2fs_h(path):
    p = subprocess.run([os.path.join(SBIN, "dumpe2fs"), "-h", path],
                       capture_output=True, text=True, check=True)
    return p.stdout
