"""fsstress_model — the host's shadow of user/fsstress.c: the same seeded
operations on an in-memory tree. Every choice draws four numbers from the
same 64-bit LCG, so both sides stay in step; what is left afterwards is
what the image must hold below the stress directory."""

MASK = (1 << 64) - 1
MAX_FILES = 2048
MAX_DIRS = 256
MAX_SIZE = 48000
MAX_WRITE = 8192
MAX_DEPTH = 4
# byte j of every write is (n * 31 + j * 7 + (j >> 8)) mod 256 for op n:
# the j part once, the n part as a translation table
BASE = bytes((j * 7 + (j >> 8)) & 0xff for j in range(MAX_WRITE + 1))


class Model:
    def __init__(self, seed, root="/stress"):
        self.state = seed & MASK
        self.files = []  # [path, bytearray] in the program's order
        self.dirs = [root]

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return self.state >> 33

    def run(self, ops):
        for n in range(ops):
            self.op(n)
        return self

    def has_children(self, d):
        p = d + "/"
        return any(f[0].startswith(p) for f in self.files) or \
            any(x.startswith(p) for x in self.dirs)

    def op(self, n):
        r0, r1, r2, r3 = (self.next() for _ in range(4))
        k = r0 % 10
        files, dirs = self.files, self.dirs
        if k in (0, 1):
            if len(files) < MAX_FILES:
                files.append(["%s/f%d" % (dirs[r1 % len(dirs)], n), bytearray()])
        elif k in (2, 3, 4):
            if files:
                data = files[r1 % len(files)][1]
                off = r2 % (len(data) + 1024)
                end = min(off + 1 + r3 % MAX_WRITE, MAX_SIZE)
                if end > off:
                    if len(data) < off:
                        data.extend(bytes(off - len(data)))
                    shift = bytes((x + n * 31) & 0xff for x in range(256))
                    chunk = BASE[:end - off].translate(shift)
                    data[off:end] = chunk
        elif k == 5:
            if files:
                data = files[r1 % len(files)][1]
                size = r2 % MAX_SIZE
                if size < len(data):
                    del data[size:]
                else:
                    data.extend(bytes(size - len(data)))
        elif k == 6:
            if files:
                i, t = r1 % len(files), -1
                if r2 % 2 and len(files) > 1:
                    t = r3 % len(files)
                    if t == i:
                        return
                    to = files[t][0]
                else:
                    to = "%s/r%d" % (dirs[r3 % len(dirs)], n)
                files[i][0] = to
                if t >= 0:
                    del files[t]
        elif k == 7:
            if files:
                del files[r1 % len(files)]
        elif k == 8:
            d = dirs[r1 % len(dirs)]
            if len(dirs) < MAX_DIRS and d.count("/") - dirs[0].count("/") < MAX_DEPTH:
                dirs.append("%s/d%d" % (d, n))
        else:
            if len(dirs) >= 2:
                i = 1 + r1 % (len(dirs) - 1)
                if not self.has_children(dirs[i]):
                    del dirs[i]

    def tree(self):
        """{relative path: bytes or None for a directory} below the root."""
        root = self.dirs[0]
        out = {d[len(root) + 1:]: None for d in self.dirs[1:]}
        out.update({f[len(root) + 1:]: bytes(d) for f, d in self.files})
        return out
