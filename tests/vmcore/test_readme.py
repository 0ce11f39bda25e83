"""The README's batch example, run as written: `memscope DUMP... > fleet.jsonl`
then its jq table, on the ELF dumps of every phase of the tmpfs and tasks
scenarios of each kernel; each row against the guest's own /proc at that dump
(uname, and USED = MemTotal - MemFree of its meminfo, MemFree within the drift
test_meminfo allows).
SPDX-License-Identifier: GPL-2.0-or-later
"""
import glob
import os
import re
import shlex
import subprocess
import tempfile

import pytest

import truth
from conftest import ROOT
from test_cli import CLI, ENV, KERNELS, kernel_dir
from test_meminfo import DRIFT_KB

MARK = "<!-- batch-example"


def example():
    """The sh block after the README's batch-example mark."""
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    m = re.search(re.escape(MARK) + r".*?-->\n```sh\n(.*?)```", text, re.S)
    assert m, "README: no batch example"
    return m.group(1)


@pytest.mark.parametrize("kernel", KERNELS)
def test_readme_batch_example(kernel):
    root = kernel_dir(kernel)
    dumps = sorted(p for s in ("tmpfs", "tasks") for p in glob.glob(os.path.join(root, s, "*", "vmcore.elf")))
    if not dumps:
        pytest.skip(f"no tmpfs or tasks dumps of {kernel}")
    script = example()
    assert "memscope /var/crash/*/vmcore" in script
    script = script.replace("memscope /var/crash/*/vmcore",
                            shlex.quote(CLI) + " " + " ".join(map(shlex.quote, dumps)))
    with tempfile.TemporaryDirectory() as tmp:
        res = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=tmp, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert rows[0] == ["file", "node", "release", "used_kb", "largest", "largest_kb", "unaccounted_kb"]
    assert [r[0] for r in rows[1:]] == dumps
    for r in rows[1:]:
        d = os.path.dirname(r[0])
        with open(os.path.join(d, "uname")) as f:
            uname = dict(line.split(None, 1) for line in f.read().splitlines() if " " in line)
        with open(os.path.join(d, "meminfo")) as f:
            mi = truth.meminfo(f.read())
        assert r[1] == uname["nodename"].strip() and r[2] == uname["release"].strip()
        used = mi["MemTotal"] - mi["MemFree"]
        assert abs(int(r[3]) - used) <= DRIFT_KB["MemFree"], (r, used)
        assert int(r[5]) <= int(r[3])
