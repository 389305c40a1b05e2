"""test_gdb_clients.py — triage's stub as clients meet it: protocol state per
client (GDB's and LLDB's handshakes, no-ack mode, detach, a stray Ctrl-C),
GDB attaching to a kernel stopped at `triage> ` after a fault (shared line and
gdb=ttyS1, with and without QEMU's exit device), backtraces that cross trap
frames and end at the entry point over both stubs, the quiet console, the
packets GDB uses when present (memory map, threads, find, compare-sections).

One gdb_loop VM (module scope: its boot is paid once) serves the tests that
leave the kernel running; the attach-after-a-fault tests boot their own.
Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/gdb/test_gdb_clients.py
"""
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from test_gdb_kernel import (BOOT_TIMEOUT, CMDLINE, LOOP_BANNER,  # noqa: E402
                             SharedLineQemu, bt_functions, ours, qemus,
                             read_until, run_session, symbols)
from test_gdb_raw import Rsp, frame, rle_decode  # noqa: E402
from triage_qemu import Qemu, free_tcp_port  # noqa: E402

REPLY_TIMEOUT = 20
ENTRY = "kernel_entry64"


class Client(Rsp):
    """A raw remote-protocol client that acks like the client it plays: in
    ack mode until it asks for no-ack mode (as GDB and LLDB do)."""

    def __init__(self, port):
        super().__init__(port)
        self.acking = True
        self.acks_seen = 0  # '+' received while we were in no-ack mode

    def packet(self, timeout=REPLY_TIMEOUT):
        """The next '$...#cc' from the stub (checksum verified, acked when
        in ack mode); the bytes before it must be acks only."""
        deadline = time.time() + timeout
        while True:
            m = re.search(rb"\$([^#$]*)#([0-9a-fA-F]{2})", self.buf)
            if m:
                before, body = self.buf[:m.start()], m.group(1)
                self.buf = self.buf[m.end():]
                assert sum(body) & 0xFF == int(m.group(2), 16), m.group(0)
                assert before.strip(b"+") == b"", "junk before a reply: %r" % before
                if not self.acking:
                    self.acks_seen += before.count(b"+")
                else:
                    self.send(b"+")
                return rle_decode(body).decode("latin-1")
            assert time.time() < deadline, "no reply packet; got %r" % self.buf
            self._fill(deadline)

    def request(self, payload):
        self.send(frame(payload))
        if self.acking:
            assert self.ack() == b"+", "stub NAKed %r" % payload
        return self.packet()


def kernel_runs(q, tag):
    """The gdb_loop kernel echoes its console: proof that it runs."""
    q.send("%s\r" % tag)
    q.expect(tag, 30)


@pytest.fixture(scope="module")
def vm(tmp_path_factory):
    """A booted gdb_loop kernel, triage's stub on ttyS1 (a TCP port), QEMU's
    stub on another port: (Qemu, stub port, QEMU stub port)."""
    port, gport = free_tcp_port(), free_tcp_port()
    # No exit device: the last test faults it on purpose, and a test=
    # kernel that can exit would end QEMU with its verdict instead.
    q = Qemu(tmp_path_factory.mktemp("clients-vm"), cmdline=CMDLINE,
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port,
             extra=["-gdb", "tcp:127.0.0.1:%d" % gport], exit_device=False)
    q.start()
    try:
        q.expect(LOOP_BANNER, BOOT_TIMEOUT)
        yield q, port, gport
    finally:
        q.kill()


# --- protocol state per client ------------------------------------------


def test_lldb_handshake_detach_lets_kernel_run(vm):
    """LLDB's order: QStartNoAckMode, then qSupported. The stub used to turn
    no-ack off again at qSupported and then wait forever for an ack of the
    OK to D: the kernel stayed stopped after LLDB's detach."""
    q, port, _ = vm
    c = Client(port)
    try:
        c.send(b"+")
        assert c.request("QStartNoAckMode") == "OK"
        c.acking = False
        assert "PacketSize=" in c.request("qSupported:xmlRegisters=i386")
        assert re.match(r"T[0-9a-f]{2}", c.request("?"))
        assert c.request("D") == "OK"
        assert c.acks_seen == 0, "the stub acked in no-ack mode"
    finally:
        c.close()
    kernel_runs(q, "after-lldb-detach")


def test_ctrl_c_while_stopped_repeats_stop_reply(vm):
    q, port, _ = vm
    c = Client(port)
    try:
        stop = c.request("?")
        c.send(b"\x03")
        assert c.packet() == stop
        assert c.request("D") == "OK"
    finally:
        c.close()
    kernel_runs(q, "after-ctrl-c-stopped")


def test_new_client_gets_no_stale_state(vm):
    """A client in no-ack mode resumes the kernel and dies. The next one
    (LLDB: QStartNoAckMode first) must be acked and get the OK, not the old
    client's stop reply."""
    q, port, _ = vm
    a = Client(port)
    a.request("?")
    assert a.request("QStartNoAckMode") == "OK"
    a.acking = False
    a.send(frame("c"))
    a.close()
    kernel_runs(q, "old-client-resumed")
    b = Client(port)
    try:
        b.send(b"+")
        assert b.request("QStartNoAckMode") == "OK"
        b.acking = False
        assert b.request("D") == "OK"
    finally:
        b.close()
    kernel_runs(q, "after-new-client")


# --- the console while GDB drives ---------------------------------------


def test_console_quiet_while_gdb_drives_on_gdb_uart(tmp_path, vm):
    """gdb=ttyS1: GDB's steps and breakpoints used to print "step: now at"
    and "breakpoint at" lines on the console, drowning the program's own
    output. GDB shows its stops itself; the console stays the program's."""
    q, port, _ = vm
    start = len(q.output())
    s = run_session(tmp_path, ours(port), [
        ("break", ["break gdb_test_leaf", "continue", "stepi", "stepi"]),
        ("hbreak", ["delete", "hbreak gdb_test_level2", "continue"]),
        ("watch", ["delete", "watch gdb_test_counter", "continue"]),
        ("delete", ["delete"])])
    assert "Breakpoint 1, gdb_test_leaf" in s["break"], s.log
    assert "gdb_test_level2" in s["hbreak"], s.log
    kernel_runs(q, "quiet-check")
    console = q.output()[start:]
    for noise in ("step: now at", "breakpoint at", "watchpoint hit at"):
        assert noise not in console, "console got %r:\n%s" % (noise, console)


# --- packets GDB uses when the stub offers them -----------------------------


def check_sections_match(out):
    """compare-sections -r (qCRC over the read-only sections' load
    addresses): every section the running kernel has equals the ELF."""
    lines = [l for l in out.splitlines() if l.startswith("Section ")]
    assert any(".text" in l for l in lines), out
    for l in lines:
        assert l.endswith("matched."), out


def console_ram_ranges(q):
    """The boot log's memory map: [(start, end)] of the available RAM."""
    ranges = []
    for m in re.finditer(r"0x([0-9a-f]{16}) 0x([0-9a-f]{16})\s+\d+\s+available",
                         q.output()):
        ranges.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    assert ranges, q.output()[:3000]
    return ranges


def test_memory_map_find_compare_sections(tmp_path, vm):
    """qXfer:memory-map: RAM regions (the direct map's = the boot memory
    map's available ranges), device memory (the VGA text buffer at 0xb8000)
    left out so GDB refuses it; qSearch:memory agrees with QEMU's stub
    (where GDB searches by reading); qCRC: compare-sections matches."""
    q, port, gport = vm
    find = ["find /b &kopts, +0x1000, 'g', 'd', 'b', '_', 'l', 'o', 'o', 'p'"]
    a = run_session(tmp_path, ours(port), [
        ("mem", ["kcache off", "info mem"]),  # the map as the stub gives it
        ("vga", ["x/2xb 0xffff8000000b8000"]),
        ("find", find),
        ("sections", ["compare-sections -r"])], tag="ours")
    b = run_session(tmp_path, qemus(gport), [("find", find)], tag="qemu")
    assert "Using memory regions provided by the target" in a["mem"], a.log
    regions = [(int(x, 16), int(y, 16)) for x, y in
               re.findall(r"0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+rw", a["mem"])]
    direct = 0xFFFF800000000000
    for lo, hi in console_ram_ranges(q):
        assert (direct + lo, direct + hi) in regions, (hex(lo), a["mem"])
    assert not any(lo <= direct + 0xB8000 < hi for lo, hi in regions)
    assert a.error("vga") and "Cannot access memory" in a.error("vga"), a.log
    hits_a = re.findall(r"0x[0-9a-f]+ <kopts\+\d+>", a["find"])
    assert hits_a and hits_a == re.findall(r"0x[0-9a-f]+ <kopts\+\d+>",
                                           b["find"]), (a["find"], b["find"])
    check_sections_match(a["sections"])
    kernel_runs(q, "after-packets")


# --- watchpoints ---------------------------------------------------------


def test_rwatch_stops_on_reads_only(tmp_path, vm):
    """rwatch (Z3): DR0-DR3 cannot watch reads alone, so the stub arms an
    access watchpoint and lets a hit that changed the value (a write) run
    on. gdb_test_leaf writes gdb_test_counter, gdb_test_loop reads it: every
    stop is at the read, and GDB hears of no other. It used to be refused
    (Z3: not supported): GDB then armed an access watchpoint (Z4) itself
    and resumed after every write, a stop and a round trip per write."""
    q, port, _ = vm
    syms = symbols()
    s = run_session(tmp_path, ours(port), [
        ("rwatch", ["set debug remote 1", "rwatch gdb_test_counter"]),
        ("hit1", ["continue", "@pc"]),
        ("hit2", ["continue", "@pc", "set debug remote 0"]),
        ("delete", ["delete"])])
    assert "Hardware read watchpoint 1: gdb_test_counter" in s["rwatch"], s.log
    remote = s.log.split("--- gdb stderr:")[1]
    assert re.search(r"Sending packet: \$Z3,[0-9a-f]+,8#", remote), remote
    assert "$Z4," not in remote, "GDB fell back to an access watchpoint"
    stops = re.findall(r"Packet received: T[0-9a-f]{2}", remote)
    assert len(stops) == 2, "%d stop replies for 2 hits:\n%s" % (
        len(stops), remote)
    loop = syms["gdb_test_loop"]
    after = min(a for a in syms.values() if a > loop)
    for step in ("hit1", "hit2"):
        out = s[step]
        assert "Hardware read watchpoint 1: gdb_test_counter" in out, s.log
        assert "Value = " in out, out
        pc = int(re.search(r"pc 0x([0-9a-f]+)", out).group(1), 16)
        assert loop < pc < after, "stopped at 0x%x, not at the read:\n%s" % (
            pc, out)
    kernel_runs(q, "after-rwatch")


def test_sw_break_in_dr_slot_explains_full_slots(tmp_path, vm):
    """Z0 at a user address no address space maps (`break main` before the
    program runs) takes a DR0-DR3 slot. When the slots then run out, the
    Z1 that fails says why (E.nn.text, which GDB prints) instead of a bare
    E28 for a user who set only software breakpoints."""
    q, port, _ = vm
    syms = symbols()
    c = Client(port)
    try:
        c.request("?")
        assert c.request("Z0,400000,1") == "OK"
        for f in ("gdb_test_level1", "gdb_test_level2", "gdb_test_level3"):
            assert c.request("Z1,%x,1" % syms[f]) == "OK"
        reply = c.request("Z1,%x,1" % syms["gdb_test_leaf"])
        assert reply.startswith("E.28.DR0-DR3 are all in use"), reply
        assert "software breakpoints" in reply and "0x400000" in reply, reply
        assert c.request("D") == "OK"  # removes them all
    finally:
        c.close()
    s = run_session(tmp_path, ours(port), [
        ("setup", ["set breakpoint always-inserted on", "break *0x400000",
                   "hbreak gdb_test_level1", "hbreak gdb_test_level2",
                   "hbreak gdb_test_level3"]),
        ("full", ["hbreak gdb_test_leaf"]),
        ("delete", ["delete"])])
    assert "DR0-DR3 are all in use" in (s.error("full") or ""), s.log
    kernel_runs(q, "after-dr-full")


# --- backtraces ---------------------------------------------------------


def test_bt_crosses_trap_frame_to_entry_on_both_stubs(tmp_path, vm):
    """A breakpoint in an interrupt handler: bt goes through the trap frame
    (isr.asm's CFI) into the interrupted loop and ends at the entry point
    (entry64.asm's), over triage's stub and over QEMU's. It used to walk
    from isr_common into garbage (`0x0 in ?? ()`)."""
    q, port, gport = vm
    steps = [("break", ["break pit_irq"]), ("continue", ["continue"]),
             ("bt", ["bt"]), ("delete", ["delete"])]
    for tag, connect in (("ours", ours(port)), ("qemu", qemus(gport))):
        s = run_session(tmp_path, connect, steps, tag=tag)
        bt = s["bt"]
        assert "??" not in bt and "corrupt" not in bt, "%s:\n%s" % (tag, bt)
        names = bt_functions(bt)
        assert names[0] == "pit_irq" and names[-1] == ENTRY, bt
        assert "<signal handler called>" in bt, bt
        after = bt.split("<signal handler called>")[1]
        assert any(n in after for n in ("gdb_test_", "echo_input",
                                        "console_getc")), bt
    kernel_runs(q, "after-bt")


# --- attaching to a kernel stopped at `triage> ` after a fault --------------

# What a #PF at crash_pf (the monitor's `crash pf`, debug=monitor's stop at
# the end of boot) unwinds through: the fault, the debugger's resume, the
# int of debug_boot_hook and its trap frame, kmain, the entry point.
CRASH_CHAIN = ["crash_pf", "stop_with", "debug_trap_enter", "trap_dispatch",
               "debug_boot_hook", "kmain", ENTRY]
ATTACH_STEPS = [("stop", ["info program", "@pc"]),
                ("bt", ["bt"]),
                ("sections", ["compare-sections -r"])]


def check_crash_session(s, chain):
    assert "SIGSEGV" in s["stop"], s.log
    bt = s["bt"]
    assert "??" not in bt, "a frame without a name:\n" + bt
    names = iter(bt_functions(bt))
    assert all(f in names for f in chain), "bt does not follow %s:\n%s" % (
        chain, bt)  # in this order (an inlined function repeats a name)
    assert bt_functions(bt)[-1] == ENTRY, bt
    check_sections_match(s["sections"])


def test_attach_after_crash_pf_on_shared_line(tmp_path):
    """The console's own line: at `triage> ` after `crash pf`, GDB's first
    packet hands the line to the stub (it used to be echoed as an unknown
    monitor command); after detach the monitor has the line again."""
    q = SharedLineQemu(tmp_path / "shared", "debug=monitor")
    os.makedirs(q.dir, exist_ok=True)
    q.start()
    try:
        s = q.line()
        read_until(s, b"triage> ", BOOT_TIMEOUT)
        s.sendall(b"crash pf\r")
        buf = read_until(s, b"triage> ", 30)
        assert b"#PF" in buf, buf
        s.close()
        r = run_session(tmp_path, ours(q.port), ATTACH_STEPS)
        check_crash_session(r, CRASH_CHAIN)
        s = q.line()  # detached: the monitor has the line again
        s.sendall(b"echo back at the monitor\r")
        read_until(s, b"\nback at the monitor", 30)
        s.close()
    finally:
        q.kill()


def test_test_scenario_without_exit_device_stops_for_gdb(tmp_path, qemu):
    """test=pf_null without QEMU's isa-debug-exit (as on real hardware):
    under debug=on the fault stops in the debugger, and GDB gets it."""
    port = free_tcp_port()
    q = qemu(cmdline="test=pf_null gdb=ttyS1", exit_device=False,
             serial2="tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port)
    q.wait_prompt(BOOT_TIMEOUT)
    r = run_session(tmp_path, ours(port), ATTACH_STEPS)
    chain = ["ktest_fn_pf_null", "ktest_run", "kmain", ENTRY]
    check_crash_session(r, chain)
    assert q.proc.poll() is None, q.report("QEMU exited")


# Last: it leaves the module's VM stopped at a fault for good.
def test_attach_after_crash_pf_on_gdb_uart(tmp_path, vm):
    """gdb=ttyS1: the break key, `crash pf`, and GDB attaches on the stub's
    UART at `triage> ` (the monitor used to read only the console, and
    GDB's packets were never read). The trap frame of the break key's
    interrupt is crossed into the loop it interrupted."""
    q, port, _ = vm
    q.send("\x1c")
    q.wait_prompt(30)
    assert "#PF" in q.cmd("crash pf")
    r = run_session(tmp_path, ours(port), ATTACH_STEPS)
    check_crash_session(r, ["crash_pf", "serial_rx_irq", "trap_dispatch",
                            "ktest_run", "kmain", ENTRY])
    assert "<signal handler called>" in r["bt"], r["bt"]
    q.expect("its detach returns here")
    q.expect("GDB detached; the faulting instruction would fault again")
    q.wait_prompt(30)  # the monitor's again
    assert "back at the monitor" in q.cmd("echo back at the monitor")
