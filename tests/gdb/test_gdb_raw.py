"""test_gdb_raw.py — triage's GDB stub in QEMU fed bad input over a raw socket: wrong
checksums, garbage, truncated and over-long packets, invalid hex, unmapped and
non-canonical memory, unknown packets, disconnects mid-packet, a GDB killed in
no-ack mode. After each, the stub must answer a good packet — and real GDB must
be able to connect again.

The kernel runs `test=gdb_loop gdb=ttyS1`; the stub's UART is a TCP port.
Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_raw.py
"""
import os
import re
import signal
import socket
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_gdb_kernel import (CHAIN, CMDLINE, LOOP_BANNER, BOOT_TIMEOUT,  # noqa: E402
                             bt_functions, free_tcp_port, ours, run_session,
                             symbols)
from triage_qemu import ROOT  # noqa: E402

REPLY_TIMEOUT = 20


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode("latin-1")
    return b"$" + payload + b"#%02x" % (sum(payload) & 0xFF)


def rle_decode(p):
    out = bytearray()
    i = 0
    while i < len(p):
        if p[i:i + 1] == b"*" and out:
            out += out[-1:] * (p[i + 1] - 29)
            i += 2
        else:
            out += p[i:i + 1]
            i += 1
    return bytes(out)


class Rsp:
    """A minimal GDB remote-protocol client over TCP."""

    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), 10)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        self.sock.settimeout(max(0.05, min(1.0, deadline - time.time())))
        try:
            d = self.sock.recv(65536)
        except socket.timeout:
            return
        assert d, "the stub's line closed"
        self.buf += d

    def read_byte(self, timeout=REPLY_TIMEOUT):
        deadline = time.time() + timeout
        while not self.buf:
            assert time.time() < deadline, "no byte from the stub"
            self._fill(deadline)
        c, self.buf = self.buf[:1], self.buf[1:]
        return c

    def quiet(self, seconds=1.0):
        """Everything the stub sends in the next seconds (expect nothing)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._fill(deadline)
        out, self.buf = self.buf, b""
        return out

    def read_packet(self, timeout=REPLY_TIMEOUT):
        """The next '$...#cc' (acks before it skipped); checksum verified,
        acked; returns the payload, run-length decoded."""
        deadline = time.time() + timeout
        while True:
            m = re.search(rb"\$([^#$]*)#([0-9a-fA-F]{2})", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                body = m.group(1)
                assert sum(body) & 0xFF == int(m.group(2), 16), (
                    "bad checksum from the stub: %r" % m.group(0))
                self.send(b"+")
                return rle_decode(body).decode("latin-1")
            assert time.time() < deadline, "no reply packet; got %r" % self.buf
            self._fill(deadline)

    def ack(self, timeout=REPLY_TIMEOUT):
        c = self.read_byte(timeout)
        while c not in (b"+", b"-"):
            c = self.read_byte(timeout)
        return c

    def request(self, payload, timeout=REPLY_TIMEOUT):
        """Send a packet, expect '+', return the reply payload."""
        self.send(frame(payload))
        assert self.ack(timeout) == b"+", "stub NAKed %r" % payload
        return self.read_packet(timeout)


@pytest.fixture
def stub(qemu):
    """(Qemu, port) of a gdb_loop kernel whose stub is on a TCP port."""
    port = free_tcp_port()
    q = qemu(cmdline=CMDLINE,
             serial2="tcp:127.0.0.1:%d,server=on,wait=off" % port)
    q.expect(LOOP_BANNER, BOOT_TIMEOUT)
    return q, port


def attach(port):
    """Attach with a first '?' (the receive interrupt recognises it)."""
    r = Rsp(port)
    reply = r.request("?")
    assert re.match(r"[ST][0-9a-f]{2}", reply), reply
    return r


def reconnect(port, timeout=REPLY_TIMEOUT):
    """A new client once QEMU has let the last one go: connect and ask
    qAttached until the stub answers (polling, not a fixed wait)."""
    deadline = time.time() + timeout
    while True:
        r = Rsp(port)
        try:
            if r.request("qAttached", timeout=1) == "1":
                return r
        except AssertionError:
            pass
        r.close()
        assert time.time() < deadline, "the stub never answered again"


def gdb_works(tmp_path, port, tag):
    """Real GDB connects, sees the loop, detaches."""
    s = run_session(tmp_path, ours(port), [("bt", ["bt"])], tag=tag)
    names = bt_functions(s["bt"])
    assert any(n in names for n in CHAIN + ["ktest_fn_gdb_loop"]), s.log
    return s


def resume(r):
    """Let the kernel run again (no reply to 'c'); the stub leaves."""
    r.send(frame("c"))
    assert r.ack() == b"+"


def test_wrong_checksum(tmp_path, stub):
    q, port = stub
    r = Rsp(port)
    # Not attached yet: a damaged packet is not GDB's, nothing happens...
    r.send(b"$?#00")
    assert r.quiet(1.5) == b""
    # ...and the kernel still runs: a good one attaches.
    reply = r.request("?")
    assert re.match(r"[ST]", reply)
    # Attached: a damaged packet is NAKed, the retransmission answered.
    r.send(b"$g#00")
    assert r.ack() == b"-"
    regs = r.request("g")
    assert len(regs) >= 17 * 16 and re.fullmatch(r"[0-9a-fx]+", regs), regs
    resume(r)
    r.close()
    gdb_works(tmp_path, port, "after")


def test_garbage_between_packets(tmp_path, stub):
    q, port = stub
    r = attach(port)
    r.send(b"garbage\x00\xff\x7f+-+}}}*#12")
    assert r.request("qC").startswith("QC")
    r.send(b"\r\n  zz" + frame("?") + b"more garbage")
    assert r.ack() == b"+"
    assert re.match(r"[ST]", r.read_packet())
    assert r.request("qAttached") == "1"
    resume(r)
    r.close()
    gdb_works(tmp_path, port, "after")


def test_truncated_and_overlong_packets(tmp_path, stub):
    q, port = stub
    r = attach(port)
    # A packet cut short by a new '$': dropped, the new one answered.
    r.send(b"$mffffffff80000000,4")
    assert r.request("qAttached") == "1"
    # A packet missing its checksum digits, then a new one: the stub takes
    # the new packet's first bytes as the checksum and NAKs; like GDB, we
    # retransmit, and get the answer.
    r.send(b"$qC#")
    r.send(frame("qAttached"))
    assert r.ack() == b"-"
    assert r.quiet(1) == b""
    assert r.request("qAttached") == "1"
    # Far over PacketSize (4096): an error, not a crash or an overflow.
    r.send(frame("m" + "f" * 9000))
    assert r.ack() == b"+"
    assert r.read_packet().startswith("E")
    # An over-long write with a bad checksum: NAK.
    r.send(b"$M" + b"0" * 9000 + b"#00")
    assert r.ack() == b"-"
    assert r.request("?")[0] in "ST"
    resume(r)
    r.close()
    gdb_works(tmp_path, port, "after")


def test_invalid_hex_and_bad_memory(tmp_path, stub):
    q, port = stub
    syms = symbols()
    r = attach(port)
    for bad in ("mzz,4", "mffffffff80000000", "mffffffff80000000,", "m,4",
                "Mffffffff80000000,2:zz", "Mffffffff80000000,2:0", "pzz",
                "Z0,zz,1", "Xffffffff80000000,zz:"):
        reply = r.request(bad)
        assert reply.startswith("E") or reply == "", "%s -> %r" % (bad, reply)
    # Unmapped: the identity map is gone (null page), a hole in the
    # direct map above RAM, and non-canonical addresses. Never a fault.
    for addr in ("0", "1000", "ffff8000f0000000", "8000000000000000",
                 "0000800000000000", "ffff7fffffffffff"):
        reply = r.request("m%s,8" % addr)
        assert reply.startswith("E"), "m%s,8 -> %r" % (addr, reply)
        reply = r.request("M%s,1:00" % addr)
        assert reply.startswith("E"), "M%s,1 -> %r" % (addr, reply)
    # A read that runs off the end of a mapping returns what is readable
    # (or an error), never garbage past it: the last page of the image.
    good = r.request("m%x,4" % syms["gdb_test_leaf"])
    assert re.fullmatch(r"[0-9a-f]{8}", good), good
    # The kernel survived all that: it still runs and GDB still works.
    resume(r)
    r.close()
    q.send("still-here\r")
    q.expect("still-here", 30)
    gdb_works(tmp_path, port, "after")


def test_unknown_packets_get_empty_reply(tmp_path, stub):
    q, port = stub
    r = attach(port)
    for pkt in ("qFooBarBaz", "vMustReplyEmpty", "j", "!", "QNonStop:1x",
                "vFlashWrite:0:00", "\x7f", "bc"):
        reply = r.request(pkt)
        assert reply == "" or reply.startswith("E"), "%r -> %r" % (pkt, reply)
    assert r.request("vMustReplyEmpty") == ""
    assert r.request("qAttached") == "1"
    resume(r)
    r.close()


def test_ctrl_c_raw(tmp_path, stub):
    q, port = stub
    r = attach(port)
    resume(r)
    q.send("running-ctrl-c\r")  # the kernel runs: its console echoes
    q.expect("running-ctrl-c", 30)
    r.send(b"\x03")
    stop = r.read_packet()
    assert re.match(r"[ST]02", stop), "Ctrl-C should stop with SIGINT: %r" % stop
    resume(r)
    r.close()


def test_disconnect_mid_packet(tmp_path, stub):
    q, port = stub
    r = attach(port)
    r.send(b"$mffffffff8000")  # and the cable is pulled
    r.close()
    r = reconnect(port)
    r.send(b"$qSupported:multipr")  # again, then a real GDB
    r.close()
    reconnect(port).close()
    gdb_works(tmp_path, port, "after")


@pytest.mark.parametrize("state", ["stopped", "running"])
def test_gdb_killed_then_gdb_again(tmp_path, stub, state):
    """GDB negotiates QStartNoAckMode, then dies (kill -9) with the kernel
    stopped, or running after `continue`; a new GDB (which starts in ack
    mode) must get in. GDB runs on a pty (pexpect) with remote debugging
    on, so the test sees the moment it resumed the kernel (batch mode does
    not print "Continuing.")."""
    pexpect = pytest.importorskip("pexpect")
    q, port = stub
    cmds = ["-ex", "set remotetimeout 10", "-ex", "set debug remote 1",
            "-ex", ours(port)]
    if state == "running":
        cmds += ["-ex", "continue"]
    else:
        cmds += ["-ex", "python import time; time.sleep(60)"]
    g = pexpect.spawn("gdb", ["-nx", "-q", "-batch", "-x", "gdbinit"] + cmds,
                      cwd=ROOT, timeout=60, encoding="latin-1")
    try:
        g.expect_exact("vCont;c#" if state == "running" else "$qSymbol")
        if state == "running":  # the kernel runs: its console echoes
            q.send("running-%s\r" % port)
            q.expect("running-%s" % port, 30)
        else:  # the stub answered GDB's last connect-time packet
            g.expect_exact("Packet received")
    finally:
        g.kill(signal.SIGKILL)
        g.close(force=True)
    t0 = time.time()
    gdb_works(tmp_path, port, "again")
    # Without a timeout and retransmission on the way in.
    assert time.time() - t0 < 8, "reconnecting took %.1f s" % (time.time() - t0)


def test_cut_mid_packet_while_running(tmp_path, stub):
    """A GDB that vanished halfway through a packet sent to the running
    kernel (Ctrl-C lost, cable pulled): the receive interrupt holds a
    partial packet. The next GDB's first packet must still be recognised
    at once, not merged with the stale bytes and dropped."""
    q, port = stub
    r = attach(port)
    resume(r)
    r.send(b"$mffffffff8000")
    r.close()
    t0 = time.time()
    gdb_works(tmp_path, port, "after")
    assert time.time() - t0 < 8, "reconnecting took %.1f s" % (time.time() - t0)
