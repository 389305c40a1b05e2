"""triage_bochs — boot the real ISO under Bochs, a second emulator whose
machine differs from QEMU's where real boards do: its BIOS leaves COM1 in
the 16550's reset state and CR0.CD/NW set.

Bochs runs with the `term` display under a pseudo-terminal of its own (a
thread drains the screen it draws), COM1 on a TCP socket on 127.0.0.1 that
the test connects to, its config and logs in the test's temporary
directory, and is killed by its PID at the end. The serial side (expect,
cmd, send, report) is Qemu's, inherited.
"""
import fcntl
import os
import pty
import shutil
import socket
import struct
import subprocess
import termios
import threading
import time

from triage_qemu import Qemu, free_tcp_port, iso_for

BIOS = "/usr/share/bochs/BIOS-bochs-latest"     # Debian package bochsbios
VGABIOS = "/usr/share/vgabios/vgabios.bin"      # Debian package vgabios
TERM_GUI = "/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so"  # bochs-term
CPU_MODEL = "corei7_sandy_bridge_2600k"  # x86-64 with NX, no 1 GiB pages
IPS = 50000000  # emulated instructions per emulated second

CONFIG = """\
megs: {mem}
romimage: file={bios}
vgaromimage: file={vgabios}
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
cpu: model={cpu}, count=1, ips={ips}, reset_on_triple_fault=0
clock: sync=none
display_library: term
speaker: enabled=0
com1: enabled=1, mode=socket-server, dev=127.0.0.1:{port}
log: {log}
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
"""


def missing():
    """Why Bochs cannot run here, or None when it can."""
    if not shutil.which("bochs"):
        return "the bochs command"
    for path in (BIOS, VGABIOS, TERM_GUI):
        if not os.path.exists(path):
            return path
    return None


class Bochs(Qemu):
    """One Bochs running triage; serial on a TCP socket read by a thread."""

    def __init__(self, tmpdir, cmdline="", mem=256):
        self.dir = str(tmpdir)
        self.cmdline = cmdline
        self.buf = b""
        self.pos = 0
        self.cond = threading.Condition()
        self.closed = False
        self.proc = None
        self.port = free_tcp_port()
        self.log_path = os.path.join(self.dir, "serial.log")
        self.stderr_path = os.path.join(self.dir, "bochs.log")
        self.screen_path = os.path.join(self.dir, "screen.log")
        self.config = os.path.join(self.dir, "bochsrc")
        self.dbg_rc = os.path.join(self.dir, "debugger.rc")
        with open(self.config, "w") as f:
            f.write(CONFIG.format(mem=mem, bios=BIOS, vgabios=VGABIOS,
                                  iso=iso_for(cmdline), cpu=CPU_MODEL, ips=IPS,
                                  port=self.port, log=self.stderr_path))
        # Debian's Bochs has its debugger built in and stops before the
        # first instruction; this tells it to run.
        with open(self.dbg_rc, "w") as f:
            f.write("continue\n")

    def start(self):
        master, slave = pty.openpty()
        rows_cols = struct.pack("HHHH", 25, 80, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, rows_cols)
        env = dict(os.environ, TERM="xterm")
        self.proc = subprocess.Popen(
            ["bochs", "-q", "-f", self.config, "-rc", self.dbg_rc],
            stdin=slave, stdout=slave, stderr=slave, cwd=self.dir, env=env,
            start_new_session=True)
        os.close(slave)
        self.screen = threading.Thread(target=self._drain, args=(master,),
                                       daemon=True)
        self.screen.start()
        self.sock = self._connect_tcp()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _drain(self, master):
        """Keep the term display's pty flowing; keep what it drew."""
        with open(self.screen_path, "wb") as log:
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    data = b""
                if not data:
                    os.close(master)
                    return
                log.write(data)

    def _connect_tcp(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("Bochs exited at start:\n" + self.stderr_text())
            try:
                s = socket.create_connection(("127.0.0.1", self.port), 1)
                s.settimeout(None)
                return s
            except OSError:
                time.sleep(0.1)
        raise AssertionError("cannot connect to Bochs's COM1 at port %d" % self.port)

    def hmp(self, command, timeout=10):
        raise AssertionError("Bochs has no QEMU monitor")

    def report(self, why):
        return "%s\n--- cmdline: %s\n--- serial log:\n%s\n--- Bochs log (tail):\n%s" % (
            why, self.cmdline, self.output(), self.stderr_text()[-6000:])
