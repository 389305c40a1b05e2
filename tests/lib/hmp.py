"""hmp — one command over a connected QEMU human-monitor socket (used by the
harness and by the GDB driver running inside GDB's Python)."""

PROMPT = b"(qemu) "


def hmp_exchange(sock, command):
    """Wait for the prompt, send command, return everything up to the next
    prompt (the echo included), decoded as latin-1; closes sock."""
    buf = b""
    while not buf.endswith(PROMPT):
        buf += sock.recv(4096)
    sock.sendall(command.encode() + b"\n")
    buf = b""
    while not buf.endswith(PROMPT):
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    sock.close()
    return buf.decode("latin-1")
