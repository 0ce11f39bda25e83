"""The extension's two sources of types give the same answers: the dump's own
BTF (extension/crash_btf.c, read at a session's first question) and crash's
gdb (MEMSCOPE_TYPES=gdb, the only source before, and the one left for a
kernel without BTF).  Every golden command line, memdiff against a dump and
against a snapshot included, prints the same in a session of each.

Coverage, and why: crash 8.0.2 on two 6.1 scenarios' "after" ELF dumps,
tmpfs (the memdiff lines, a second dump opened with the session's types)
and kmod (module memory, the enums of 6.1's module_layout era).  The type
questions do not depend on the dump format (the BTF is in the kernel image,
which every format keeps), and test_outputs.py holds BTF's answers on every
6.1 scenario against the baseline's, which came from gdb; test_crash_versions.py
runs the BTF path in crash 8.0.6 and 9.0.2 on 6.12, whose BTF has 64-bit enums.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import subprocess

import pytest

import golden
from conftest import Dump, ROOT, crash_session

CLI = os.environ.get("MEMSCOPE_CLI") or os.path.join(ROOT, "build", "memscope")
DUMPS = [Dump("tmpfs", "after", "elf"), Dump("kmod", "after", "elf")]


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    out = {}
    for dump in DUMPS:
        snap = str(tmp_path_factory.mktemp("snap") / "before.json")
        before = os.path.join(os.path.dirname(os.path.dirname(dump.path)), "before", "vmcore.elf")
        with open(snap, "w") as f:
            subprocess.run([CLI, "snap", before], stdout=f, check=True, timeout=600,
                           env=dict(os.environ, MEMSCOPE_NO_PROGRESS="1"))
        lines = [golden.crash_line(l, before, snap)
                 for l in golden.command_lines(dump.scenario, dump.phase)]
        out[repr(dump)] = {src: dict(zip(lines, crash_session(dump, lines,
                                                              env={"MEMSCOPE_TYPES": src})))
                           for src in ("btf", "gdb")}
    return out


@pytest.mark.parametrize("dump", DUMPS, ids=repr)
def test_btf_is_read(sessions, dump):
    """MEMSCOPE_TYPES=btf says where it falls back to gdb: it does not here."""
    said = [l for out in sessions[repr(dump)]["btf"].values() for l in out.splitlines()
            if "types from gdb" in l]
    assert not said, said[:3]


@pytest.mark.parametrize("dump", DUMPS, ids=repr)
def test_same_outputs(sessions, dump):
    btf, gdb = sessions[repr(dump)]["btf"], sessions[repr(dump)]["gdb"]
    assert btf.keys() == gdb.keys()
    for line in btf:
        assert btf[line].strip(), f"{line}: printed nothing"
        assert btf[line] == gdb[line], f"{line}: BTF's answers print otherwise than gdb's"
