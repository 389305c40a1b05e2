"""elfread — bytes and sections of an ELF file as it is loaded, read with the struct module
(the truth the monitor's x, search and xp are compared with)."""
import struct

PT_LOAD = 1
SHT_NOBITS = 8
SHF_WRITE, SHF_ALLOC = 0x1, 0x2


def _header(data):
    assert data[:4] == b"\x7fELF" and data[4] == 2, "not an ELF64 file"
    (phoff, shoff) = struct.unpack_from("<QQ", data, 0x20)
    (phentsize, phnum, shentsize, shnum, shstrndx) = struct.unpack_from("<HHHHH", data, 0x36)
    return phoff, phentsize, phnum, shoff, shentsize, shnum, shstrndx


def loads(path):
    """[(vaddr, file bytes, memsz)] of each PT_LOAD segment."""
    data = open(path, "rb").read()
    phoff, phentsize, phnum = _header(data)[:3]
    out = []
    for i in range(phnum):
        (ptype, _, off, vaddr, _, filesz, memsz, _) = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if ptype == PT_LOAD:
            out.append((vaddr, data[off:off + filesz], memsz))
    return out


def read(path, vaddr, n):
    """n bytes at vaddr as the loader puts them (bss reads as zeros)."""
    for base, body, memsz in loads(path):
        if base <= vaddr and vaddr + n <= base + memsz:
            part = body[vaddr - base:vaddr - base + n]
            return part + bytes(n - len(part))
    raise AssertionError("0x%x+%d is not inside one PT_LOAD of %s" % (vaddr, n, path))


def sections(path):
    """{name: (addr, bytes or None for NOBITS, flags)} of the allocated sections."""
    data = open(path, "rb").read()
    _, _, _, shoff, shentsize, shnum, shstrndx = _header(data)

    def sh(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)

    strtab = sh(shstrndx)
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for i in range(shnum):
        name_off, stype, flags, addr, off, size = sh(i)[:6]
        if not flags & SHF_ALLOC:
            continue
        name = names[name_off:names.index(b"\0", name_off)].decode()
        out[name] = (addr, None if stype == SHT_NOBITS else data[off:off + size], flags)
    return out


def find_all(haystack, needle):
    """Every offset where needle starts in haystack (overlaps included)."""
    hits, i = [], haystack.find(needle)
    while i >= 0:
        hits.append(i)
        i = haystack.find(needle, i + 1)
    return hits
