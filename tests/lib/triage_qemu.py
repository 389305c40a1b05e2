"""triage_qemu — start the real ISO under QEMU for a test, talk to its serial port and monitor.

Each instance gets its own temporary directory (sockets, logs), no fixed TCP
ports, and is killed by its own PID when the test ends.
"""
import hashlib
import os
import re
import socket
import subprocess
import threading
import time

from hmp import hmp_exchange

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The harness boots the test build: the kernel with its in-kernel tests
# (test=NAME). GDB started by a test loads it too (gdbinit reads TRIAGE_ELF).
ELF = os.path.join(ROOT, "build", "triage-test.elf")
PLAIN_ELF = os.path.join(ROOT, "build", "triage.elf")
os.environ["TRIAGE_ELF"] = ELF
ISO_CACHE = os.path.join(ROOT, "build", "test-isos")
INITRD = os.path.join(ROOT, "build", "initrd.tar")  # user/user.mk builds it

EXIT_PASS = 33       # isa-debug-exit 0x10
EXIT_FAIL = 35       # 0x11
EXIT_DIAGNOSED = 37  # 0x12: a fault was diagnosed and the kernel stopped
EXIT_RESET = 0       # -no-reboot: a triple fault (reset) makes QEMU exit 0

_iso_lock = threading.Lock()


def iso_for(cmdline, elf=ELF):
    """An ISO of elf (the test build by default) with cmdline baked in, and
    build/initrd.tar when it exists (cached per ELF+cmdline+initrd)."""
    initrd = INITRD if os.path.exists(INITRD) else None
    with open(elf, "rb") as f:
        data = f.read() + cmdline.encode()
    if initrd:
        with open(initrd, "rb") as f:
            data += f.read()
    key = hashlib.sha1(data).hexdigest()[:16]
    path = os.path.join(ISO_CACHE, key + ".iso")
    with _iso_lock:
        if not os.path.exists(path):
            os.makedirs(ISO_CACHE, exist_ok=True)
            subprocess.run([os.path.join(ROOT, "scripts", "mkiso")] +
                           (["--initrd", initrd] if initrd else []) +
                           [elf, path, cmdline], check=True)
    return path


def free_tcp_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Qemu:
    """One QEMU running triage; serial on a unix socket read by a thread."""

    def __init__(self, tmpdir, cmdline="", mem="256M", cpu="qemu64",
                 extra=(), serial2=None, allow_reboot=False, machine="pc",
                 uefi=False, exit_device=True, elf=ELF):
        self.dir = str(tmpdir)
        self.cmdline = cmdline
        self.serial_path = os.path.join(self.dir, "serial.sock")
        self.monitor_path = os.path.join(self.dir, "monitor.sock")
        self.stderr_path = os.path.join(self.dir, "qemu.stderr")
        self.log_path = os.path.join(self.dir, "serial.log")
        self.buf = b""
        self.pos = 0  # end of the last expect() match
        self.cond = threading.Condition()
        self.closed = False
        self.proc = None
        args = [os.path.join(ROOT, "scripts", "run-qemu")]
        if exit_device:  # isa-debug-exit: the guest's verdict is the exit code
            args += ["--test"]
        args += ["--mem", mem, "--cpu", cpu,
                "--serial", "unix:%s,server=on,wait=on" % self.serial_path]
        if serial2:
            args += ["--serial2", serial2]
        if allow_reboot:
            args += ["--allow-reboot"]
        if uefi:
            args += ["--uefi"]
        args += ["--machine", machine]
        args += [iso_for(cmdline, elf), "--",
                 "-monitor", "unix:%s,server=on,wait=off" % self.monitor_path]
        args += list(extra)
        self.args = args

    def start(self):
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=self.stderr, stderr=self.stderr)
        self.sock = self._connect(self.serial_path)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _connect(self, path, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("QEMU exited at start:\n" + self.stderr_text())
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                return s
            except OSError:
                time.sleep(0.05)
        raise AssertionError("cannot connect to %s" % path)

    def _read(self):
        with open(self.log_path, "wb") as log:
            while True:
                try:
                    data = self.sock.recv(4096)
                except OSError:
                    data = b""
                with self.cond:
                    if not data:
                        self.closed = True
                        self.cond.notify_all()
                        return
                    self.buf += data
                    log.write(data)
                    log.flush()
                    self.cond.notify_all()

    # --- serial
    def output(self):
        with self.cond:
            return self.buf.decode("latin-1")

    def expect(self, pattern, timeout=30, start=None):
        """Wait until regex pattern appears in the serial output after the
        previous match (or from offset start), like pexpect; return the
        match. Fails with the log on timeout."""
        if start is None:
            start = self.pos
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.time() + timeout
        with self.cond:
            while True:
                m = rx.search(self.buf, start)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.time()
                if left <= 0 or self.closed:
                    raise AssertionError(self.report(
                        "timed out waiting for %r" % pattern
                        if left <= 0 else "serial closed before %r" % pattern))
                self.cond.wait(min(left, 0.5))

    PROMPT = "triage> "

    def wait_prompt(self, timeout=30):
        """Wait for the monitor prompt; returns the offset just after it."""
        return self.expect(re.escape(self.PROMPT), timeout).end()

    def cmd(self, line, timeout=30):
        """Type one monitor command line and return its output (text
        between the echoed line and the next prompt, CRs removed)."""
        with self.cond:
            start = len(self.buf)
        self.send(line + "\r")
        m = self.expect(re.escape(self.PROMPT), timeout, start=start)
        text = self.buf[start:m.start()].decode("latin-1").replace("\r", "")
        first_nl = text.find("\n")
        return text[first_nl + 1:] if first_nl >= 0 else ""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    # --- QEMU monitor
    def wait_halted(self, timeout=30):
        """Poll QEMU until the CPU sits in hlt (HLT=1 in `info registers`):
        the kernel is idle, so every process is blocked or sleeping."""
        deadline = time.time() + timeout
        while "HLT=1" not in self.hmp("info registers"):
            if time.time() > deadline:
                raise AssertionError(self.report("the CPU never went idle"))
            time.sleep(0.05)

    def hmp(self, command, timeout=10):
        """Run a QEMU human-monitor command, return its output."""
        s = self._connect(self.monitor_path)
        s.settimeout(timeout)
        text = hmp_exchange(s, command).replace("\r", "")
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
        lines = text.split("\n")
        # drop the echoed command line and the trailing prompt
        return "\n".join(l for l in lines[1:] if not l.startswith("(qemu)"))

    # --- lifetime
    def wait(self, timeout=60):
        """Wait for QEMU to exit; returns its exit status. A hang fails."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(self.report("QEMU still running after %ds (hang)" % timeout))
        # The last lines may still be in the socket: read to its end, so
        # output() holds what the kernel printed just before it exited.
        if getattr(self, "reader", None):
            self.reader.join(10)
        return rc

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("latin-1")
        except OSError:
            return ""

    def report(self, why):
        return "%s\n--- cmdline: %s\n--- serial log:\n%s\n--- QEMU stderr:\n%s" % (
            why, self.cmdline, self.output(), self.stderr_text())

    def verdict(self, expected, timeout=60):
        """Wait for exit and assert its status; a reset (exit 0) is named."""
        rc = self.wait(timeout)
        if rc == EXIT_RESET:
            raise AssertionError(self.report("QEMU exited 0: the guest reset (triple fault)"))
        assert rc == expected, self.report("QEMU exit %d, expected %d" % (rc, expected))
        return self.output()
