"""bt across interrupt and exception boundaries (the trap frame's RIP is a
frame of its own, checked against QEMU's own interrupt log) and in user
code stopped at a ret (the caller comes from the stack, checked against
objdump)."""
import os
import re
import subprocess

from monitor_util import boot
from user_bin import BIN

FRAME = r"#(\d+)\s+0x([0-9a-f]+)"


def qemu_interrupts(log):
    """[(vector, pc)] of QEMU's -d int log, in order."""
    with open(log, errors="replace") as f:
        return [(int(v, 16), int(pc, 16)) for v, pc in
                re.findall(r"^\s*\d+: v=([0-9a-f]+) .*? pc=([0-9a-f]+)",
                           f.read(), re.M)]


def test_bt_crosses_the_irq_frame(qemu, tmp_path):
    """Stopped at pit_irq, bt shows the timer interrupt's marker, then the
    interrupted RIP (QEMU's log of vector 0x20 says which), then that
    function's callers."""
    log = str(tmp_path / "int.log")
    q = qemu(cmdline="debug=monitor", extra=["-d", "int", "-D", log])
    q.wait_prompt()
    q.cmd("pager 0")
    q.cmd("bp pit_irq")
    q.send("c\r")
    q.expect(r"breakpoint at 0x[0-9a-f]+ <pit_irq\+0x0>")
    q.wait_prompt()
    out = q.cmd("bt")
    ints = qemu_interrupts(log)
    bp = max(i for i, (v, _) in enumerate(ints) if v == 3)
    irq_pc = [pc for v, pc in ints[:bp] if v == 0x20][-1]
    assert "trap_return" not in out, out
    m = re.search(r"--- interrupt/exception \(vector 32\) ---.*\n\s+" + FRAME,
                  out)
    assert m, out
    assert int(m.group(2), 16) == irq_pc, q.report(
        "frame after the marker 0x%s, QEMU's IRQ0 at 0x%x\n%s" % (
            m.group(2), irq_pc, out))
    after = re.findall(FRAME + r" <(\w+)\+", out[m.start():])
    assert after[-1][2] == "kmain", out   # the walk went on to the bottom
    numbers = [int(n) for n, _ in re.findall(FRAME, out)]
    assert numbers == list(range(len(numbers))), out
    q.kill()


def test_bt_at_a_user_ret_keeps_the_caller(qemu):
    """A hardware breakpoint on puts's ret in user/hello: RBP is already
    main's, so the caller (main, after its call to puts) comes from [RSP]."""
    elf = os.path.join(BIN, "hello")
    dis = subprocess.run(["objdump", "-d", elf], capture_output=True,
                         text=True, check=True).stdout
    puts = dis[dis.index("<puts>:"):]
    ret = int(re.search(r"^\s*([0-9a-f]+):\s+c3\s+ret", puts, re.M).group(1), 16)
    main = dis[dis.index("<main>:"):]
    call = re.search(r"^\s*[0-9a-f]+:.*call\s+[0-9a-f]+ <puts>\n\s*([0-9a-f]+):",
                     main, re.M)
    after_call = int(call.group(1), 16)
    q = boot(qemu, cmdline="debug=monitor init=hello")
    q.cmd("hbp 0x%x" % ret)
    q.send("c\r")
    q.expect(r"hardware breakpoint at 0x0*%x" % ret)
    q.wait_prompt()
    frames = [int(a, 16) for _, a in re.findall(FRAME, q.cmd("bt"))]
    assert frames[:2] == [ret, after_call], [hex(f) for f in frames]
    q.kill()
