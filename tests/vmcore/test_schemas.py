"""Every JSON output against its JSON Schema (schemas/, draft 2020-12): each
command's --json in each of its shapes, the snapshot, the diff and the batch
lines, on every scenario dump of both kernels (6.1 and 6.12), with
python3-jsonschema.

Dumps: the ELF dump of every phase of every default scenario (the JSON's shape
does not depend on the file format, which test_cli covers), and the
makedumpfile -d 31 file of the tmpfs, tasks and consumers scenarios' last
phase, whose missing pages give partial answers (nulls, reasons, complete:
false; 6.12's consumers copy loses the pipes' pages).

A command of the table with no schema, a schema whose schema_version is not
the table's, or a command with no line in JSON_LINES fails: a new command
brings its schema (ARCHITECTURE.md, "Adding a command").
SPDX-License-Identifier: GPL-2.0-or-later
"""
import concurrent.futures
import glob
import json
import os
import subprocess

import pytest

import schemas
from conftest import ROOT
from test_cli import CLI, ENV, KERNELS, kernel_dir

# Each command's --json shapes: the options that change what the document
# holds (CLI names; the dump is added last).
JSON_LINES = {
    "meminfo": ["--json", "-s --json", "-n 0 --json"],
    "zoneinfo": ["--json", "-u -p --json", "-a 3 --json", "-a 3,DMA32 -w min -g atomic --json"],
    "buddyinfo": ["--json", "-m -v -u -f --json"],
    "oomscore": ["--json", "-a --json", "--memcg / --json"],
    "oomreport": ["--json", "-a --json"],
    "tasks": ["--json", "-g state,comm,wchan --json", "-g parent,uid,cgroup --json", "-s 1 --json"],
    "slabinfo": ["--json", "-a --json"],
    "tmpfs": ["--json", "-a --json"],
    "memcg": ["--json", "-a -m --json", "-c / --json"],
    "overcommit": ["--json", "-P 1 -n 4K --json", "-n 300M --json"],
    "log": ["--json"],
    # pipes -a and vmallocinfo -a / -m change only the text.
    "pipes": ["--json"],
    "sockstat": ["--json", "-m --json"],
    "vmallocinfo": ["--json"],
    "pages": ["--json", "-o --json"],
    "snap": [""],
    # diff: BEFORE AFTER, run on each later phase below.
}
PARTIAL = (("tmpfs", "filtered"), ("tasks", "filtered"), ("consumers", "filtered"))


def table():
    res = subprocess.run([CLI, "--list-options"], stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(res.stdout)


def default_scenarios():
    """The scenarios make-dumps.sh makes by default (not "only when named")."""
    out = []
    for p in sorted(glob.glob(os.path.join(ROOT, "vmcores", "scenarios", "*.sh"))):
        with open(p) as f:
            if "# make-dumps: only when named" not in f.read():
                out.append(os.path.basename(p)[:-3])
    return out


def phases(kernel, scenario):
    """The phases of a scenario's dumps, in the order they were taken."""
    d = os.path.join(kernel_dir(kernel), scenario)
    found = [p for p in os.listdir(d) if os.path.exists(os.path.join(d, p, "vmcore.elf"))] \
        if os.path.isdir(d) else []
    order = {"before": 0, "after": 2}
    return sorted(found, key=lambda p: (order.get(p, 1), p))


def run(args):
    return subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=ENV, timeout=600)


def check(name, args, allow_fail=False):
    """Run memscope args; what is wrong with its JSON against schemas/NAME: a list."""
    res = run(args)
    if res.returncode == 2 or (res.returncode and not allow_fail) or not res.stdout.strip():
        return [f"{' '.join(args)}: exit {res.returncode}: {res.stderr[-300:]}"]
    try:
        doc = json.loads(res.stdout)
    except json.JSONDecodeError as e:
        return [f"{' '.join(args)}: not one JSON document: {e}"]
    return [f"{' '.join(args)}: {e}" for e in schemas.errors(name, doc)]


def test_every_command_has_a_schema():
    names = set()
    for c in table()["commands"]:
        name = c["cli"]
        names.add(name)
        assert name in schemas.schemas(), f"{name}: no schemas/{name}.schema.json"
        s = schemas.schemas()[name]
        jsonschema_validator = schemas.validator(name)   # a valid draft 2020-12 schema
        assert jsonschema_validator is not None
        assert s["properties"]["schema_version"]["const"] == c["schema_version"], \
            f"{name}: the schema is of version {s['properties']['schema_version']['const']}, " \
            f"the table says {c['schema_version']}"
        assert "schema_version" in s["required"]
        assert name in JSON_LINES or name == "diff", f"{name}: no JSON_LINES to validate it with"
    # No schema of a command that is gone (batch: the batch line, of snap's version).
    assert set(schemas.schemas()) - names == {"batch"}
    assert schemas.schemas()["batch"]["oneOf"][1]["properties"]["schema_version"]["const"] == \
        schemas.schemas()["snap"]["properties"]["schema_version"]["const"]


def test_a_schema_catches_drift():
    """The schemas are strict: a renamed key, a string for a number and a
    missing key are each refused (on a document that validates)."""
    doc = {"schema_version": 2, "page_size": 4096, "per_cpu_deltas_folded": True, "node": None,
           "lines": [{"name": "MemTotal", "unit": "kB", "value": 1}]}
    assert schemas.errors("meminfo", doc) == []
    assert schemas.errors("meminfo", dict(doc, pagesize=4096))
    assert schemas.errors("meminfo", dict(doc, page_size="4096"))
    assert schemas.errors("meminfo", {k: v for k, v in doc.items() if k != "lines"})
    assert schemas.errors("meminfo", dict(doc, schema_version=1))


def dumps_of(kernel, scenario):
    out = [(p, "elf") for p in phases(kernel, scenario)]
    ps = phases(kernel, scenario)
    if ps and (scenario, "filtered") in PARTIAL:
        out.append((ps[-1], "filtered"))
    return out


@pytest.mark.parametrize("scenario", default_scenarios())
@pytest.mark.parametrize("kernel", KERNELS)
def test_every_output_validates(kernel, scenario):
    root = kernel_dir(kernel)
    work = []
    for phase, fmt in dumps_of(kernel, scenario):
        dump = os.path.join(root, scenario, phase, "vmcore." + fmt)
        if not os.path.exists(dump):
            continue
        for name, lines in JSON_LINES.items():
            for line in lines:
                work.append((name, [name, *line.split(), dump], fmt != "elf"))
        first = os.path.join(root, scenario, phases(kernel, scenario)[0], "vmcore." + fmt)
        if first != dump and os.path.exists(first):
            work.append(("diff", ["diff", "--json", first, dump], fmt != "elf"))
    if not work:
        pytest.skip(f"no dumps of {scenario} for {kernel}")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        problems = [e for errs in pool.map(lambda w: check(w[0], w[1], w[2]), work) for e in errs]
    assert not problems, f"{len(problems)} problems in {len(work)} outputs:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("kernel", KERNELS)
def test_batch_lines_validate(kernel):
    """memscope DUMP...: one line per operand, in order, each a snapshot with
    its file or an error line, each valid against batch.schema.json."""
    root = kernel_dir(kernel)
    dumps = sorted(glob.glob(os.path.join(root, "*", "*", "vmcore.elf")))[:6]
    bad = os.path.join(ROOT, "README.md")
    res = run([*dumps, bad])
    assert res.returncode == 1, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == len(dumps) + 1
    for path, line in zip(dumps + [bad], lines):
        doc = json.loads(line)
        assert doc["file"] == path
        assert schemas.errors("batch", doc) == [], path
        assert ("error" in doc) == (path == bad)
