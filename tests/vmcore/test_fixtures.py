"""Snapshots keep working across versions: the fixture snapshots committed in
tests/fixtures/snapshots/ (vVERSION-KERNEL-SCENARIO-PHASE.json, each written by
the memscope of its version; see the README there) are read by this memscope,
rewritten as this version with nothing lost, validated against
schemas/snap.schema.json, diffed against each other and against the new dumps
of the same scenario.

The diffs are checked against the fixtures' own rows and the new dump's guest
truth (its /proc): the tmpfs scenario's /mnt/leak, the tasks scenario's memhog
processes.  A new dump is another boot than the fixture's (another KASLR
offset), so it is compared with -f, and the warning must say so.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import glob
import json
import os
import re

import pytest

import schemas
from conftest import ROOT
from test_cli import KERNELS, kernel_dir
from test_schemas import run

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "snapshots")
NAME = re.compile(r"^v(\d+)-([0-9.]+)-([a-z0-9]+)-([a-z]+)\.json$")
LEAK = "/mnt/leak"


def fixtures():
    out = []
    for p in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
        m = NAME.match(os.path.basename(p))
        assert m, f"{p}: not vVERSION-KERNEL-SCENARIO-PHASE.json"
        out.append((int(m.group(1)), m.group(2), m.group(3), m.group(4), p))
    return out


def fixture(version, kernel, scenario, phase):
    return os.path.join(FIXTURES, f"v{version}-{kernel}-{scenario}-{phase}.json")


def current_version():
    return schemas.schemas()["snap"]["properties"]["schema_version"]["const"]


def pairs():
    """(version, kernel, scenario) with both phases committed."""
    return sorted({(v, k, s) for v, k, s, p, _ in fixtures()
                   if os.path.exists(fixture(v, k, s, "before"))
                   and os.path.exists(fixture(v, k, s, "after"))})


def load(path):
    with open(path) as f:
        return json.load(f)


def diff(*args):
    res = run(["diff", "--json", *args])
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert schemas.errors("diff", doc) == []
    return doc


def leak_kb(snap):
    rows = [t for t in snap.get("tmpfs", []) if t["mount"] == LEAK]
    assert len(rows) == 1
    return rows[0]["used_kb"]


def memhogs(snap):
    return sum(c["processes"] for c in snap["commands"] if c["comm"] == "memhog")


def test_fixtures_of_an_old_version_are_kept():
    """Every version from the first is represented, and the old one stays:
    a format change adds the new version's fixtures beside the old ones."""
    versions = {v for v, *_ in fixtures()}
    assert 1 in versions
    assert max(versions) <= current_version()


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: os.path.basename(f[4]))
def test_fixture_read_and_rewritten(fx):
    version, kernel, scenario, phase, path = fx
    res = run(["snap", path])
    assert res.returncode == 0, res.stderr
    new, old = json.loads(res.stdout), load(path)
    assert schemas.errors("snap", new) == []
    assert new["version"] == new["schema_version"] == current_version()
    assert old["version"] == version
    # Nothing lost or changed but the version.
    strip = ("version", "schema_version")
    assert {k: v for k, v in new.items() if k not in strip} == \
        {k: v for k, v in old.items() if k not in strip}


@pytest.mark.parametrize("pair", pairs(), ids=lambda p: f"v{p[0]}-{p[1]}-{p[2]}")
def test_fixtures_diff(pair):
    """BEFORE and AFTER both old snapshots: the diff's rows are the fixtures'."""
    version, kernel, scenario = pair
    b, a = fixture(version, kernel, scenario, "before"), fixture(version, kernel, scenario, "after")
    d = diff(b, a)
    sb, sa = load(b), load(a)
    assert d["used"]["before_kb"] == sb["used"]["used_kb"]
    assert d["used"]["after_kb"] == sa["used"]["used_kb"]
    assert d["warnings"] == []
    if scenario == "tmpfs":
        row = [t for t in d["tmpfs"] if t["mount"] == LEAK][0]
        assert row["delta_used_kb"] == leak_kb(sa) - leak_kb(sb) >= 150 * 1024
        assert d["main_cause"]["category"] == "shmem"
    if scenario == "tasks":
        row = [c for c in d["commands"] if c["comm"] == "memhog"][0]
        assert row["delta_processes"] == memhogs(sa) - memhogs(sb) > 0
        assert d["tasks_appeared"]["count"] >= row["delta_processes"]


def guest_memhogs(dump_dir):
    """memhog processes in the guest's own process table at the dump."""
    with open(os.path.join(dump_dir, "tasks")) as f:
        return sum(1 for line in f if not line.startswith("#") and line.split()[-1] == "memhog")


@pytest.mark.parametrize("pair", pairs(), ids=lambda p: f"v{p[0]}-{p[1]}-{p[2]}")
def test_fixture_diffs_against_new_dump(pair):
    """An old snapshot as BEFORE, a dump made now as AFTER."""
    version, kernel, scenario = pair
    if kernel not in KERNELS:
        pytest.skip(f"no dumps of kernel {kernel} here")
    after_dir = os.path.join(kernel_dir(kernel), scenario, "after")
    dump = os.path.join(after_dir, "vmcore.elf")
    if not os.path.exists(dump):
        pytest.skip(f"no {scenario} dump of {kernel}")
    b = fixture(version, kernel, scenario, "before")
    sb = load(b)
    res = run(["diff", "--json", b, dump])
    same_boot = res.returncode == 0
    if not same_boot:
        # Another boot: refused, saying why, unless forced.
        assert res.returncode == 1 and "boot" in res.stderr, res.stderr
    d = diff("-f", b, dump)
    if not same_boot:
        assert d["warnings"], "a diff across boots warns"
    assert d["used"]["before_kb"] == sb["used"]["used_kb"]
    if scenario == "tmpfs":
        row = [t for t in d["tmpfs"] if t["mount"] == LEAK][0]
        assert row["delta_used_kb"] == row["used_kb"] - leak_kb(sb)
        assert row["used_kb"] >= 150 * 1024     # the scenario's fill of 150 MiB
        assert d["main_cause"]["category"] == "shmem"
    if scenario == "tasks":
        row = [c for c in d["commands"] if c["comm"] == "memhog"][0]
        assert row["processes"] == guest_memhogs(after_dir)
        assert row["delta_processes"] == row["processes"] - memhogs(sb)


@pytest.mark.parametrize("pair", pairs(), ids=lambda p: f"v{p[0]}-{p[1]}-{p[2]}")
def test_fixture_of_another_boot_needs_force(pair, tmp_path):
    """What a regenerated dump will be: an old snapshot of another boot (its
    KASLR offset moved) is refused as BEFORE, and compared with -f and a warning."""
    version, kernel, scenario = pair
    if kernel not in KERNELS:
        pytest.skip(f"no dumps of kernel {kernel} here")
    dump = os.path.join(kernel_dir(kernel), scenario, "after", "vmcore.elf")
    if not os.path.exists(dump):
        pytest.skip(f"no {scenario} dump of {kernel}")
    snap = load(fixture(version, kernel, scenario, "before"))
    snap.setdefault("boot", {})["kernel_offset"] = snap["boot"].get("kernel_offset", 0) + (1 << 21)
    other = tmp_path / "other-boot.json"
    other.write_text(json.dumps(snap))
    res = run(["diff", str(other), dump])
    assert res.returncode == 1 and "boot" in res.stderr and "-f" in res.stderr, res.stderr
    d = diff("-f", str(other), dump)
    assert any("boot" in w for w in d["warnings"])
