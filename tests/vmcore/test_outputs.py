"""Outputs do not change by accident: what every command prints, with every
option, through the crash extension and the CLI, on the scenario dumps, equals
what the BASELINE commit's build printed (tests/vmcore/golden.py records both;
standard output and exit status only: warnings on stderr may change).

A commit that changes an output on purpose moves BASELINE to itself in the same
commit, and says so.

Coverage, and why: the CLI on both kernels' dumps in two formats, the ELF
dump (every page) and the makedumpfile -c -d 31 file (compressed, filtered:
the reads that miss, and the partial answers the printers print); the
extension on 6.1's ELF dumps (crash 8.0.2 opens no 6.12 dump): the crash
front end prints what the same printers print, and a crash session per
filtered file doubled this module's cost (the longest of the suite) for
printers the CLI already holds on them.  QEMU's kdump streams are read by the same code below the
target, and every format is held against the guest's /proc by the other
test modules; this module guards the front ends and the printers, which do
not depend on the format.

The baseline is built from `git archive BASELINE` in the cache
($MEMSCOPE_CACHE, default ~/.cache/memscope), keyed by the commit, and its
record by the commit, the dumps and golden.py; both are remade when missing.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import hashlib
import os
import shutil
import subprocess
import tempfile

import pytest

import golden
from conftest import ROOT
from test_cli import kernel_dir

BASELINE = "4556bb3259a3b61444f5ae3f68d8511ebc4ffb60"
CACHE = os.environ.get("MEMSCOPE_CACHE") or os.path.expanduser("~/.cache/memscope")
SO = os.environ.get("MEMSCOPE_SO") or os.path.join(ROOT, "build", "memscope.so")
CLI = os.environ.get("MEMSCOPE_CLI") or os.path.join(ROOT, "build", "memscope")
FORMATS = ["elf", "filtered"]
CRASH_FORMATS = ["elf"]


def _baseline_build():
    """build/memscope.so and build/memscope of BASELINE, built once in the cache."""
    top = os.path.join(CACHE, "baseline", BASELINE)
    so, cli = os.path.join(top, "build", "memscope.so"), os.path.join(top, "build", "memscope")
    if os.path.exists(so) and os.path.exists(cli):
        return so, cli
    have = ["git", "-C", ROOT, "cat-file", "-e", BASELINE + "^{commit}"]
    if subprocess.run(have, stderr=subprocess.DEVNULL).returncode:
        # A shallow clone: its history is where it came from.
        subprocess.run(["git", "-C", ROOT, "fetch", "-q", "--unshallow"], stderr=subprocess.DEVNULL)
    assert subprocess.run(have).returncode == 0, \
        f"baseline commit {BASELINE[:12]} is not in this clone's history (git fetch --unshallow)"
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    archive = subprocess.run(["git", "-C", ROOT, "archive", BASELINE], stdout=subprocess.PIPE,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", top], input=archive, check=True)
    subprocess.run(["make", "-s", "-j2", "-C", top], check=True, stdout=subprocess.DEVNULL)
    return so, cli


def _record(out, so, cli):
    args = ["record", out, "--so", so, "--cli", cli, "--dumps", kernel_dir("6.1"),
            "--dumps-612", kernel_dir("6.12"), "--formats", *FORMATS,
            "--crash-formats", *CRASH_FORMATS]
    subprocess.run([golden.sys.executable, golden.__file__, *args], check=True)


def _record_key():
    h = hashlib.sha256()
    with open(golden.__file__, "rb") as f:
        h.update(f.read())
    for k in ("6.1", "6.12"):
        h.update(os.path.basename(kernel_dir(k)).encode())
        # Each scenario's dumps are remade when its own file changes
        # (vmcores/make-dumps.sh): its .complete holds that hash.
        for s in golden.SCENARIOS:
            with open(os.path.join(kernel_dir(k), s, ".complete"), "rb") as f:
                h.update(f.read())
    h.update(" ".join(FORMATS + CRASH_FORMATS).encode())
    return h.hexdigest()[:16]


@pytest.fixture(scope="module")
def records():
    base = os.path.join(CACHE, "golden", f"{BASELINE[:12]}-{_record_key()}")
    if not os.path.exists(os.path.join(base, ".complete")):
        so, cli = _baseline_build()
        shutil.rmtree(base, ignore_errors=True)
        _record(base, so, cli)
        open(os.path.join(base, ".complete"), "w").close()
    with tempfile.TemporaryDirectory() as now:
        _record(now, SO, CLI)
        yield base, now


def _groups():
    out = []
    for front, kernels, formats in (("cli", ("6.1", "6.12"), FORMATS),
                                    ("crash", ("6.1",), CRASH_FORMATS)):
        for k in kernels:
            for s in golden.SCENARIOS:
                for p in golden.PHASES:
                    for f in formats:
                        out.append(os.path.join(front, k, s, p, f))
    return out


@pytest.mark.parametrize("group", _groups())
def test_outputs_unchanged(records, group):
    base, now = records
    a, b = os.path.join(base, group), os.path.join(now, group)
    assert os.path.isdir(a) and os.path.isdir(b), f"{group}: not recorded"
    diffs = golden.compare_dirs(a, b)
    assert not diffs, f"{len(diffs)} outputs of {group} differ from {BASELINE[:12]}:\n" + \
        "\n".join(d for _, d in diffs[:5])
