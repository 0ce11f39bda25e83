#!/usr/bin/env python3
"""Rewrite a zlib-compressed kdump file (makedumpfile -c) with every page
compressed by snappy or zstd instead: the two compressions Debian 12's
makedumpfile and QEMU cannot write, but which production dumps of other
distributions use and libkdumpfile reads.  Headers, bitmaps and page
descriptors keep their places; only the page data after the descriptor
table is rewritten (a page whose compressed form is not smaller stays raw,
as makedumpfile does).  The compressors are the system's libzstd and
libsnappy through ctypes (libkdumpfile links both).

Usage: recompress.py zstd|snappy IN OUT
SPDX-License-Identifier: GPL-2.0-or-later
"""
import ctypes
import struct
import sys
import zlib

# makedumpfile's diskdump_mod.h: header status and page descriptor flags
DUMP_DH_COMPRESSED_ZLIB = 0x1
DUMP_DH_COMPRESSED_SNAPPY = 0x4
DUMP_DH_COMPRESSED_ZSTD = 0x20
FLAGS = {"zstd": DUMP_DH_COMPRESSED_ZSTD, "snappy": DUMP_DH_COMPRESSED_SNAPPY}

# struct disk_dump_header (64-bit): status and the block counts after the
# signature, header_version, utsname (6 x 65) and an 8-aligned timeval.
HDR_STATUS = 424
HDR = struct.Struct("<IiiII")   # status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr
PAGE_DESC = struct.Struct("<qIIQ")  # offset, size, flags, page_flags
# struct kdump_sub_header: size_eraseinfo, data makedumpfile puts after the pages
SUB_SIZE_ERASEINFO = 72


def compressor(kind):
    if kind == "zstd":
        lib = ctypes.CDLL("libzstd.so.1")
        lib.ZSTD_compressBound.restype = ctypes.c_size_t
        lib.ZSTD_compress.restype = ctypes.c_size_t
        lib.ZSTD_isError.restype = ctypes.c_uint

        def compress(data):
            cap = lib.ZSTD_compressBound(ctypes.c_size_t(len(data)))
            out = ctypes.create_string_buffer(cap)
            n = lib.ZSTD_compress(out, ctypes.c_size_t(cap), data, ctypes.c_size_t(len(data)), 1)
            if lib.ZSTD_isError(ctypes.c_size_t(n)):
                raise RuntimeError("ZSTD_compress failed")
            return out.raw[:n]
        return compress
    lib = ctypes.CDLL("libsnappy.so.1")
    lib.snappy_max_compressed_length.restype = ctypes.c_size_t

    def compress(data):
        cap = ctypes.c_size_t(lib.snappy_max_compressed_length(ctypes.c_size_t(len(data))))
        out = ctypes.create_string_buffer(cap.value)
        if lib.snappy_compress(data, ctypes.c_size_t(len(data)), out, ctypes.byref(cap)):
            raise RuntimeError("snappy_compress failed")
        return out.raw[:cap.value]
    return compress


def popcount(data):
    return sum(bin(b).count("1") for b in data)


def main():
    kind, src, dst = sys.argv[1:4]
    compress = compressor(kind)
    with open(src, "rb") as f:
        blob = f.read()
    if blob[:8] != b"KDUMP   ":
        sys.exit(f"{src}: not a kdump-compressed file")
    status, block, sub_blocks, bitmap_blocks, _ = HDR.unpack_from(blob, HDR_STATUS)
    if struct.unpack_from("<Q", blob, block + SUB_SIZE_ERASEINFO)[0]:
        sys.exit(f"{src}: has erase info after the pages: not supported")
    bitmap_off = (1 + sub_blocks) * block
    half = bitmap_blocks * block // 2
    nr = popcount(blob[bitmap_off + half:bitmap_off + 2 * half])  # dumpable pages
    desc_off = bitmap_off + bitmap_blocks * block
    data_off = desc_off + nr * PAGE_DESC.size

    out = bytearray(blob[:data_off])
    struct.pack_into("<I", out, HDR_STATUS,
                     (status & ~DUMP_DH_COMPRESSED_ZLIB) | FLAGS[kind])
    moved = {}  # old offset -> new (offset, size, flags): shared pages (the zero page)
    for i in range(nr):
        at = desc_off + i * PAGE_DESC.size
        off, size, flags, page_flags = PAGE_DESC.unpack_from(blob, at)
        if off not in moved:
            data = blob[off:off + size]
            if flags & DUMP_DH_COMPRESSED_ZLIB:
                data = zlib.decompress(data)
            elif flags:
                sys.exit(f"{src}: page {i} has compression flags {flags:#x}; expected zlib")
            packed = compress(data)
            new = (len(out), len(packed), FLAGS[kind]) if len(packed) < len(data) else \
                (len(out), len(data), 0)
            out += packed if new[2] else data
            moved[off] = new
        noff, nsize, nflags = moved[off]
        PAGE_DESC.pack_into(out, at, noff, nsize, nflags, page_flags)
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
