"""Make the fuzzers' seed corpora (tests/fuzz/corpus/) from a scenario dump
directory: the heads of its ELF, kdump and flattened files (headers, notes,
VMCOREINFO), a trimmed snapshot, a three-symbol kallsyms image and a small
BTF.  Run by hand when the formats change:
    python3 tests/fuzz/make_seeds.py DUMPDIR/SCENARIO/PHASE SNAPSHOT.json
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import struct
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(fuzzer, name, data):
    with open(os.path.join(HERE, fuzzer, name), "wb") as f:
        f.write(data)


def head(path, n):
    with open(path, "rb") as f:
        return f.read(n)


def kdump_small(kdump):
    """The real header, sub-header and VMCOREINFO of a kdump file, with 16
    pages: two bitmap blocks (pages 0 and 3), two descriptors, two pages."""
    bs = 4096
    h = bytearray(head(kdump, 2 * bs))
    struct.pack_into("<iIi", h, 432, 1, 2, 16)          # sub_hdr_size, bitmaps, max_mapnr
    off_vmci, size_vmci = struct.unpack_from("<QQ", h, bs + 32)
    vmci = head(kdump, off_vmci + size_vmci)[off_vmci:]
    struct.pack_into("<QQQQ", h, bs + 32, bs + 200, len(vmci), 0, 0)
    struct.pack_into("<Q", h, bs + 96, 16)
    h[bs + 200:bs + 200 + len(vmci)] = vmci
    out = bytearray(4 * bs)
    out[:len(h)] = h[:2 * bs]
    out[2 * bs] = 0x09
    out[3 * bs] = 0x09
    data = 4 * bs + 48
    out += struct.pack("<QIIQ", data, bs, 0, 0) + struct.pack("<QIIQ", data + bs, bs, 0, 0)
    out += bytes(bs) + b"\x5a" * bs
    return bytes(out)


def elf_small(elf, n=6144):
    """The ELF dump's headers and notes with its PT_LOAD segments cut to what
    the first n bytes hold: a file the checks pass."""
    h = bytearray(head(elf, n))
    phoff, = struct.unpack_from("<Q", h, 32)
    phnum, = struct.unpack_from("<H", h, 56)
    for i in range(phnum):
        at = phoff + 56 * i
        ptype, = struct.unpack_from("<I", h, at)
        off, = struct.unpack_from("<Q", h, at + 8)
        if ptype == 1:
            size = max(0, min(n - off, 4096)) if off < n else 0
            struct.pack_into("<Q", h, at + 8, min(off, n))
            struct.pack_into("<QQ", h, at + 32, size, size)
    return bytes(h)


def kallsyms_image():
    """Offsets of the six tables (from the image's start), then the tables:
    names init_uts_ns, _text, __per_cpu_start as single-character tokens."""
    syms = [("D", "init_uts_ns", -0x100), ("T", "_text", -1), ("A", "__per_cpu_start", 0)]
    tokens = [bytes([i]) if 32 < i < 127 else b"" for i in range(256)]
    table = b"".join(t + b"\0" for t in tokens)
    index = b"".join(struct.pack("<H", sum(len(t) + 1 for t in tokens[:i])) for i in range(256))
    names = b"".join(bytes([len(t + n)]) + (t + n).encode() for t, n, _ in syms)
    offsets = b"".join(struct.pack("<i", o) for _, _, o in syms)
    parts = [names, struct.pack("<I", len(syms)), table, index, offsets,
             struct.pack("<Q", 0xffffffff81000000)]
    pos, offs = 48, []
    for p in parts:
        offs.append(pos)
        pos += len(p)
    return struct.pack("<6Q", *offs) + b"".join(parts)


def snapshot_small(path):
    d = json.load(open(path))
    for k in ("commands", "processes", "tmpfs"):
        d[k] = d[k][:3]
    d["slab"]["caches"] = d["slab"]["caches"][:3]
    return json.dumps(d).encode()


if __name__ == "__main__":
    src, snap = sys.argv[1], sys.argv[2]
    put("dumpcheck", "elf-head", head(os.path.join(src, "vmcore.elf"), 6144))
    put("dumpcheck", "elf-small", elf_small(os.path.join(src, "vmcore.elf")))
    put("dumpcheck", "kdump-head", head(os.path.join(src, "vmcore.kdump"), 8192))
    put("dumpcheck", "kdump-small", kdump_small(os.path.join(src, "vmcore.kdump")))
    flat = head(os.path.join(src, "vmcore.kdump-flat"), 4096)
    small = kdump_small(os.path.join(src, "vmcore.kdump"))
    recs = b"".join(struct.pack(">qq", o, 4096) + small[o:o + 4096]
                    for o in range(0, len(small) - 4096 + 1, 4096))
    put("flattened", "kdump-small", flat + recs + struct.pack(">qq", -1, 0))
    put("snapshot", "tasks-after", snapshot_small(snap))
    put("kallsyms", "three-symbols", kallsyms_image())
