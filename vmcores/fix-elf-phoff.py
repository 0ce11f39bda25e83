#!/usr/bin/env python3
"""Make a copy of a QEMU ELF dump that makedumpfile accepts.

QEMU 7.2 writes the section header table right after the ELF header and the
program headers after it; makedumpfile 1.7.2 looks for the program headers at
offset 64 (sizeof(Elf64_Ehdr)) and fails with "Can't get the number of PT_LOAD".
Move the program headers to offset 64 and drop the section headers: every
segment is located by its own p_offset, so nothing else moves.

Usage: fix-elf-phoff.py IN.elf OUT.elf   (OUT the same as IN: fixed in place)
SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import shutil
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")


def main():
    src, dst = sys.argv[1:3]
    if os.path.abspath(src) != os.path.abspath(dst):
        shutil.copyfile(src, dst)
    with open(dst, "r+b") as f:
        (ident, etype, mach, ver, entry, phoff, shoff, flags, ehsize,
         phentsize, phnum, shentsize, shnum, shstrndx) = EHDR.unpack(f.read(EHDR.size))
        if ident[:4] != b"\x7fELF" or ident[4] != 2:
            sys.exit(f"{src}: not a 64-bit ELF file")
        if phoff == EHDR.size:
            return
        if phnum == 0xFFFF:  # PN_XNUM: the real count is section 0's sh_info
            f.seek(shoff + 44)
            phnum = struct.unpack("<I", f.read(4))[0]
            sys.exit(f"{src}: {phnum} program headers need PN_XNUM; not supported")
        if phoff < EHDR.size:
            sys.exit(f"{src}: program headers overlap the ELF header")
        f.seek(phoff)
        phdrs = f.read(phentsize * phnum)
        f.seek(EHDR.size)
        f.write(phdrs)
        f.seek(0)
        f.write(EHDR.pack(ident, etype, mach, ver, entry, EHDR.size, 0, flags, ehsize,
                          phentsize, phnum, shentsize, 0, 0))


if __name__ == "__main__":
    main()
