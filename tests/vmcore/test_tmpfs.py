"""tmpfs: per-superblock shmem usage and mount points against the guest's
meminfo Shmem and what the scenario wrote.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json

from conftest import Dump, dump_params, crash_output
import truth

CRASH_COMMANDS = ["tmpfs --json", "tmpfs"]

# The scenarios' tmpfs and what the guest wrote there between the dumps
# (vmcores/guest/init: dd of exactly this many MiB).
LEAKS = {"tmpfs": ("leak", "/mnt/leak", 150), "numa": ("node1", "/mnt/node1", 96)}


def doc(dump):
    return json.loads(crash_output(dump, "tmpfs --json"))


def by_path(d):
    return {m["path"]: sb for sb in d["superblocks"] for m in sb["mounts"]}


def shmem_kb(dump):
    return truth.meminfo(dump.truth("meminfo"))["Shmem"]


@dump_params(scenarios=("tmpfs", "numa"))
def test_leak_mount_found_and_sized(dump):
    dev, path, mib = LEAKS[dump.scenario]
    sb = by_path(doc(dump))[path]
    assert sb["tmpfs"] and [m["dev"] for m in sb["mounts"]] == [dev]
    want = mib * 1024 if dump.phase == "after" else 0
    # used_blocks counts data pages only: the file is exactly mib MiB.
    assert sb["used_kb"] == want
    assert sb["resident_kb"] == want


@dump_params(formats=("elf", "filtered"), scenarios=("tmpfs", "numa", "tasks"), phases=("after",))
def test_growth_equals_meminfo_shmem_delta(dump):
    """What grew between the dumps is exactly the guest's Shmem delta: the leak
    mount in tmpfs/numa, the internal shm mount (memhog's shared memory) in tasks."""
    before = Dump(dump.scenario, "before", dump.fmt)
    delta = shmem_kb(dump) - shmem_kb(before)
    if dump.scenario in LEAKS:
        path = LEAKS[dump.scenario][1]
        grown = by_path(doc(dump))[path]["used_kb"] - by_path(doc(before))[path]["used_kb"]
        assert grown == LEAKS[dump.scenario][2] * 1024
    else:
        def shm(d):
            return next(sb for sb in d["superblocks"] if sb["internal_shm"])["resident_kb"]
        grown = shm(doc(dump)) - shm(doc(before))
    assert grown == delta


@dump_params()
def test_resident_sum_equals_meminfo_shmem(dump):
    """NR_SHMEM counts exactly the page-cache pages of shmem inodes: tmpfs,
    rootfs (the initramfs), devtmpfs and the internal shm mount.  The guest
    writes no shmem file between printing meminfo and the dump: equal."""
    d = doc(dump)
    assert d["sb_list_complete"] and d["mount_list_complete"]
    assert all(sb["resident_complete"] for sb in d["superblocks"])
    assert d["resident_kb"] == shmem_kb(dump)
    assert d["shmem_kb"] == shmem_kb(dump)
    types = {sb["type"] for sb in d["superblocks"]}
    assert {"tmpfs", "rootfs", "devtmpfs"} <= types
    assert by_path(d)["/"]["type"] == "rootfs" and by_path(d)["/dev"]["type"] == "devtmpfs"


@dump_params()
def test_used_blocks_agree_with_pages(dump):
    """Without swap every used block is a resident page, so df's USED equals the
    resident pages wherever a limit makes the kernel keep used_blocks; the only
    superblock without one is shm_mnt, which holds the rest of Shmem."""
    d = doc(dump)
    for sb in d["superblocks"]:
        if sb["used_kb"] is not None:
            assert sb["used_kb"] == sb["resident_kb"], sb
        else:
            assert sb["internal_shm"] and sb["size_kb"] == 0
    shm = next(sb for sb in d["superblocks"] if sb["internal_shm"])
    assert d["used_kb"] + shm["resident_kb"] == shmem_kb(dump)


@dump_params(formats=("elf",), phases=("after",))
def test_table(dump):
    out = crash_output(dump, "tmpfs")
    rows = {l.split()[-1]: l.split() for l in out.splitlines() if l.strip().endswith(("/", "/run", "/dev", "/mnt/leak", "/mnt/node1"))}
    assert rows["/run"][1:3] == ["tmpfs", "run"] and rows["/run"][3:5] == ["8.0", "MiB"]
    if dump.scenario in LEAKS:
        dev, path, mib = LEAKS[dump.scenario]
        assert rows[path][2] == dev and f"{mib:.1f}" in rows[path]
    assert any(l.startswith("RESIDENT over all shmem superblocks") for l in out.splitlines())
