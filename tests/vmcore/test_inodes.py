"""The inodes scenario (bench/bench-costs.sh's slab-heavy case): 300,000
empty tmpfs files in 1,000 directories, then 330,000 in 1,100 and 8 MiB in
one file.  The tmpfs walk (read through the page cache and, for ELF, from
the file's segments: issue #15) must still count every inode the guest
made and the pages no process maps.

Covers ELF and filtered (the scenario makes no kdump formats: the walk
reads the same pages through the same code), both phases, 6.1 and 6.12:
the inode cache's layout (shmem_inode_info, i_sb_list) differs between them.
Made only when named: make-dumps.sh inodes [--kernel 6.12] (cached).
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import re
import subprocess

import pytest

from conftest import ROOT

CLI = os.environ.get("MEMSCOPE_CLI") or os.path.join(ROOT, "build", "memscope")
KERNELS = ("6.1", "6.12")
FORMATS = ("elf", "filtered")
PHASES = ("before", "after")
BLOB_KB = 8 * 1024		# "fill /mnt/many/d1050/blob 8" after the first dump

_dirs = {}


def dumps_dir(kernel):
    if kernel not in _dirs:
        args = ["bash", os.path.join(ROOT, "vmcores", "make-dumps.sh")]
        if kernel != "6.1":
            args += ["--kernel", kernel]
        res = subprocess.run(args + ["inodes"], stdout=subprocess.PIPE, check=True, text=True)
        _dirs[kernel] = res.stdout.strip().splitlines()[-1]
    return _dirs[kernel]


def made(kernel, phase):
    """dirs and files mkinodes made by the dump's moment (its truth file)."""
    with open(os.path.join(dumps_dir(kernel), "inodes", phase, "inodes")) as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


# As in test_cli: makedumpfile 1.7.2 -d 31 drops live slab pages of 6.12
# (shmem inodes, super_blocks, dentries), and memscope says so on stderr.
MISSING = re.compile(r"\d+ reads? of memory the dump does not hold")


def cli_json(*args):
    res = subprocess.run([CLI, *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=True, text=True)
    return json.loads(res.stdout), res.stderr


def lossy(kernel, fmt, err):
    """An expected failure where the 6.12 -d 31 file lost what the walk needs
    and memscope said so; anywhere else the check stands."""
    note = MISSING.search(err)
    if (kernel, fmt) == ("6.12", "filtered") and note:
        pytest.xfail(f"makedumpfile 1.7.2 -d 31 dropped slab pages of 6.12: {note[0]}")


def path(kernel, phase, fmt):
    return os.path.join(dumps_dir(kernel), "inodes", phase, "vmcore." + fmt)


def many(doc):
    """The superblock mounted from device "many", or None (by its device
    name: 6.12's -d 31 files lack the dentry pages that mount paths are
    rebuilt from, so the path reads "?")."""
    return next((sb for sb in doc["superblocks"] if any(m["dev"] == "many" for m in sb["mounts"])),
                None)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_inode_counted(kernel, phase, fmt):
    """s_inodes holds the root directory, every directory and every file
    (and, after, the blob)."""
    truth = made(kernel, phase)
    doc, err = cli_json("tmpfs", path(kernel, phase, fmt))
    blob = phase == "after"
    want = BLOB_KB if blob else 0
    sb = many(doc)
    if sb is None or not sb["resident_complete"] or \
            sb["inodes"] != 1 + truth["dirs"] + truth["files"] + blob or sb["resident_kb"] != want:
        lossy(kernel, fmt, err)
    assert sb is not None, err
    assert sb["resident_complete"]
    assert sb["inodes"] == 1 + truth["dirs"] + truth["files"] + blob
    assert sb["resident_kb"] == want
    assert sb["unmapped_kb"] == want	# no process maps the blob


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_unmapped_delta(kernel, fmt):
    """diff's "files no process maps" figure: the blob written between the dumps."""
    d, err = cli_json("diff", path(kernel, "before", fmt), path(kernel, "after", fmt))
    grown = max((t["delta_used_kb"] for t in d["tmpfs"]), default=None)
    if grown != BLOB_KB or d["shmem_unmapped_delta_kb"] != BLOB_KB:
        lossy(kernel, fmt, err)
    assert d["shmem_unmapped_delta_kb"] == BLOB_KB
    assert grown == BLOB_KB
