"""Hostile inputs made at test time from a scenario dump (issue #14's
reproducers): each case is a name, the source format and a function that
makes the bad file from a copy.  Used by test_hostile.py; also runnable by hand
(python3 hostile_cases.py DUMPDIR OUTDIR) to look at the files.

Offsets are those of makedumpfile's struct disk_dump_header and
kdump_sub_header (diskdump_mod.h) and of the ELF64 header.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import shutil
import struct
import sys

# struct disk_dump_header (x86_64)
KD_HEADER_VERSION = 8
KD_BLOCK_SIZE = 428
KD_SUB_HDR_SIZE = 432
KD_BITMAP_BLOCKS = 436
KD_MAX_MAPNR = 440
# struct kdump_sub_header, at block_size
SUB_SIZE_NOTE = 56
SUB_MAX_MAPNR_64 = 96
# ELF64
EI_CLASS = 4
E_PHOFF = 32
E_PHENTSIZE = 54
E_PHNUM = 56


def _poke(path, off, fmt, *vals):
    with open(path, "r+b") as f:
        f.seek(off)
        f.write(struct.pack(fmt, *vals))


def _peek(path, off, fmt):
    with open(path, "rb") as f:
        f.seek(off)
        return struct.unpack(fmt, f.read(struct.calcsize(fmt)))


def kdump_layout(path):
    """block_size, sub_hdr_size, bitmap_blocks and the offsets of the bitmaps
    and the page descriptors of a kdump file."""
    bs, shs, bb = _peek(path, KD_BLOCK_SIZE, "<iiI")
    bitmap = (1 + shs) * bs
    return {"block_size": bs, "bitmap": bitmap, "bitmap_len": bb * bs,
            "descs": bitmap + bb * bs}


def truncate(frac):
    def f(path):
        os.truncate(path, int(os.path.getsize(path) * frac))
    return f


def truncate_to(n):
    return lambda path: os.truncate(path, n)


def signature_only(path):
    with open(path, "wb") as f:
        f.write(b"KDUMP   ")


def field(off, fmt, val):
    return lambda path: _poke(path, off, fmt, val)


def sub_field(off, fmt, val):
    return lambda path: _poke(path, _peek(path, KD_BLOCK_SIZE, "<i")[0] + off, fmt, val)


def sub_header_ff(path):
    bs = _peek(path, KD_BLOCK_SIZE, "<i")[0]
    _poke(path, bs, "255s", b"\xff" * 255)


def first_desc_size(size):
    def f(path):
        lay = kdump_layout(path)
        _poke(path, lay["descs"] + 8, "<I", size)
    return f


def pagesize_zero(path):
    with open(path, "r+b") as f:
        head = f.read(4 << 20)
        n = head.count(b"PAGESIZE=4096")
        assert n, "no PAGESIZE=4096 in the first 4 MiB"
        f.seek(0)
        f.write(head.replace(b"PAGESIZE=4096", b"PAGESIZE=0000"))


def flip_second_bitmap(path):
    """One byte of the second (dumpable pages) bitmap inverted: one whose bit
    count changes, in the middle of memory."""
    lay = kdump_layout(path)
    half = lay["bitmap_len"] // 2
    start = lay["bitmap"] + half
    with open(path, "r+b") as f:
        f.seek(start)
        bm = f.read(half)
        for i in range(half // 2, half):
            if bin(bm[i]).count("1") != 4:
                f.seek(start + i)
                f.write(bytes([bm[i] ^ 0xff]))
                return
    raise AssertionError("no byte to flip")


# name: (source format, mutation)
KDUMP_CASES = {
    "kdump-signature-only": ("kdump", signature_only),
    "kdump-block-size-0": ("kdump", field(KD_BLOCK_SIZE, "<i", 0)),
    "kdump-block-size-neg": ("kdump", field(KD_BLOCK_SIZE, "<i", -4096)),
    "kdump-header-version-neg": ("kdump", field(KD_HEADER_VERSION, "<i", -1)),
    "kdump-bitmap-blocks-0": ("kdump", field(KD_BITMAP_BLOCKS, "<I", 0)),
    "kdump-bitmap-blocks-1": ("kdump", field(KD_BITMAP_BLOCKS, "<I", 1)),
    "kdump-max-mapnr-huge": ("kdump", field(KD_MAX_MAPNR, "<I", 0xffffffff)),
    "kdump-max-mapnr64-huge": ("kdump", sub_field(SUB_MAX_MAPNR_64, "<Q", 1 << 60)),
    "kdump-size-note-huge": ("kdump", sub_field(SUB_SIZE_NOTE, "<Q", 1 << 62)),
    "kdump-sub-header-ff": ("kdump", sub_header_ff),
    "kdump-desc-size-5000": ("kdump", first_desc_size(5000)),
    "kdump-pagesize-0000": ("kdump", pagesize_zero),
    "kdump-truncated-99": ("kdump", truncate(0.99)),
    "kdump-truncated-50": ("kdump", truncate(0.5)),
    "filtered-bitmap-flip": ("filtered", flip_second_bitmap),
    "filtered-truncated-99": ("filtered", truncate(0.99)),
}

ELF_CASES = {
    "elf-phentsize-0": ("elf", field(E_PHENTSIZE, "<H", 0)),
    "elf-class-32": ("elf", field(EI_CLASS, "B", 1)),
    "elf-phnum-huge": ("elf", field(E_PHNUM, "<H", 0xfffe)),
    "elf-phoff-past-eof": ("elf", field(E_PHOFF, "<Q", 1 << 40)),
    "elf-pagesize-0000": ("elf", pagesize_zero),
    "elf-truncated-99": ("elf", truncate(0.99)),
    "elf-header-only": ("elf", truncate_to(64)),
}

FLAT_CASES = {
    "flat-truncated-50": ("kdump-flat", truncate(0.5)),
    "flat-record-size-huge": ("kdump-flat", field(4096 + 8, ">q", 1 << 62)),
    "flat-record-offset-neg": ("kdump-flat", field(4096, ">q", -5)),
}

CASES = {**KDUMP_CASES, **ELF_CASES, **FLAT_CASES}


ELF_HEAD = 16 << 20


def make(name, dumpdir, outdir):
    """The bad file of case name from the dump in dumpdir (vmcore.FMT), in outdir.
    ELF cases keep the dump's first 16 MiB (headers, notes, the first pages)
    and extend it as a hole to the dump's size: what they break is in the
    headers, and 7 full copies of a 512 MiB dump per kernel would cost
    seconds and gigabytes."""
    fmt, mutate = CASES[name]
    src = os.path.join(dumpdir, "vmcore." + fmt)
    dst = os.path.join(outdir, name)
    if fmt == "elf":
        with open(src, "rb") as fi, open(dst, "wb") as fo:
            fo.write(fi.read(ELF_HEAD))
        os.truncate(dst, os.path.getsize(src))
    else:
        shutil.copyfile(src, dst)
    mutate(dst)
    return dst


if __name__ == "__main__":
    for n in CASES:
        print(make(n, sys.argv[1], sys.argv[2]))
