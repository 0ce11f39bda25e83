"""Hostile input (issue #14): every reproducer of the issue's table, made at
test time from a scenario dump (hostile_cases.py), through the production
build (MEMSCOPE_CLI) and the sanitized one (MEMSCOPE_CLI_ASAN), and memdiff of
each bad file through crash followed by meminfo in the same session.

Acceptable endings: exit 1 or 2 with a message on stderr, or exit 0 with a
partial answer and a warning on stderr.  Never a signal, a sanitizer report,
a run over 30 s (a subprocess timeout, not a speed claim), or exit 0 with
nothing said.

Coverage, and why no more: the header cases need one dump per format they
break (kdump: vmcore.kdump, filtered: vmcore.filtered, flattened:
vmcore.kdump-flat, ELF: vmcore.elf), of one scenario (tasks/after: the
headers do not depend on the scenario), on both kernels (6.1 and 6.12, whose
notes and VMCOREINFO differ); crash runs on 6.1 only (Debian 12's crash
8.0.2 cannot open a 6.12 dump), in two sessions.  How each case ended is
written to build/hostile-endings.txt for the record.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import collections
import json
import os
import shutil
import stat
import subprocess

import pytest

import conftest
import hostile_cases
from conftest import ROOT
from test_cli import CLI, KERNELS, KDump, kernel_dir
from test_corrupt import ASAN_CLI, SANITIZER

BUILDS = {"prod": CLI, "asan": ASAN_CLI}
COMMANDS = ["meminfo", "zoneinfo", "buddyinfo -m", "oomscore", "slabinfo", "tmpfs", "snap"]
TIMEOUT = 30
ENDINGS = collections.Counter()
ENDINGS_FILE = os.path.join(ROOT, "build", "hostile-endings.txt")


@pytest.fixture(scope="module", autouse=True)
def endings_record():
    yield
    os.makedirs(os.path.dirname(ENDINGS_FILE), exist_ok=True)
    with open(ENDINGS_FILE, "w") as f:
        for (cls, end), n in sorted(ENDINGS.items()):
            f.write(f"{cls}\t{end}\t{n}\n")


@pytest.fixture(scope="module")
def lsan(tmp_path_factory):
    path = tmp_path_factory.mktemp("lsan") / "suppressions"
    # The context of a failed kdump_open() is leaked on purpose (dumpfile.c:
    # 0.5.1's kdump_free() of it reads freed memory); libaddrxlat leaks too.
    path.write_text("leak:libaddrxlat.so\nleak:libkdumpfile.so\n")
    return str(path)


def run(build, args, lsan, stdout=subprocess.PIPE, env=None):
    e = dict(os.environ, MEMSCOPE_NO_PROGRESS="1", LSAN_OPTIONS=f"suppressions={lsan}",
             UBSAN_OPTIONS="print_stacktrace=1", **(env or {}))
    return subprocess.run([BUILDS[build], *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=e, timeout=TIMEOUT)


def ending(res):
    """How a run ended, as one word; asserts it is an acceptable one."""
    err = res.stderr
    assert res.returncode >= 0, f"killed by signal {-res.returncode}: {err[-2000:]}"
    for s in SANITIZER:
        assert s not in err, err[-3000:]
    assert res.returncode in (0, 1, 2), (res.returncode, err[-2000:])
    assert "memscope" in err, f"exit {res.returncode} with nothing said"
    return {0: "partial+warning", 1: "exit 1", 2: "exit 2"}[res.returncode]


def case_class(name):
    return name.split("-")[0]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(kernel, case) -> its bad file, made once; all removed at the end."""
    dirs, files = {}, {}

    def get(kernel, name):
        if (kernel, name) not in files:
            if kernel not in dirs:
                dirs[kernel] = tmp_path_factory.mktemp("hostile-" + kernel)
            src = os.path.dirname(KDump(kernel, "tasks", "after", "elf").path)
            files[kernel, name] = hostile_cases.make(name, src, str(dirs[kernel]))
        return files[kernel, name]
    yield get
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", sorted(hostile_cases.CASES))
def test_bad_file(kernel, name, made, lsan):
    """Each command on the bad file, in both builds, ends acceptably."""
    bad = made(kernel, name)
    for build in BUILDS:
        for cmd in COMMANDS:
            res = run(build, [*cmd.split(), bad], lsan, stdout=subprocess.DEVNULL)
            ENDINGS[case_class(name), ending(res)] += 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_batch_goes_on_after_a_bad_file(kernel, made, lsan):
    """memscope D k D: the issue's batch died after one line."""
    good = KDump(kernel, "tasks", "after", "kdump").path
    bad = made(kernel, "kdump-signature-only")
    for build in BUILDS:
        res = run(build, [good, bad, good], lsan)
        lines = [json.loads(line) for line in res.stdout.splitlines()]
        assert [("error" in line) for line in lines] == [False, True, False], res.stderr
        assert ending(res) == "exit 1" and "may be truncated" in res.stderr
        ENDINGS["batch", "exit 1"] += 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_fifo_and_other_files_refused(kernel, tmp_path, lsan):
    """A FIFO with no writer blocked every command in open(2)."""
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)
    good = KDump(kernel, "tasks", "after", "kdump").path
    for build in BUILDS:
        for args in ([cmd, fifo] for cmd in ("meminfo", "snap", "oomscore")):
            res = run(build, args, lsan)
            assert ending(res) == "exit 1" and "not a regular file" in res.stderr
            ENDINGS["fifo", "exit 1"] += 1
        for args in (["diff", fifo, good], ["diff", good, fifo], ["meminfo", "/dev/null"],
                     ["meminfo", str(tmp_path)]):
            res = run(build, args, lsan)
            assert ending(res) == "exit 1", res.stderr
            ENDINGS["fifo", "exit 1"] += 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_write_error_is_a_failure(kernel, lsan):
    good = KDump(kernel, "tasks", "after", "kdump").path
    for build in BUILDS:
        for cmd in ("meminfo", "zoneinfo", "snap", "meminfo --json"):
            with open("/dev/full", "w") as full:
                res = run(build, [*cmd.split(), good], lsan, stdout=full)
            assert ending(res) == "exit 1" and "write error" in res.stderr, res.stderr
            ENDINGS["stdout", "exit 1"] += 1


def test_node_number_does_not_wrap(lsan):
    """meminfo -n 4294967297 showed node 1 of a 2-node dump."""
    numa = KDump("6.1", "numa", "after", "kdump").path
    if not os.path.exists(numa):
        pytest.skip("no numa dump")
    for build in BUILDS:
        res = run(build, ["meminfo", "-n", "4294967297", numa], lsan)
        assert ending(res) == "exit 2" and "is not a number from" in res.stderr
        ENDINGS["option", "exit 2"] += 1


def bad_snapshots(good):
    """name -> the text of a snapshot the issue's table made hostile."""
    out = {}

    def edit(name, f):
        d = json.loads(good)
        f(d)
        out[name] = json.dumps(d)
    edit("int64-min", lambda d: d["used"].update(used_kb=-2**63))
    edit("int64-min-category", lambda d: d["used"]["categories"].update(anon=-2**63))
    edit("int64-max-meminfo", lambda d: d["meminfo"].update(MemTotal=2**63 - 1))
    edit("number-as-string", lambda d: d["meminfo"].update(MemFree=str(d["meminfo"]["MemFree"])))
    edit("negative-size", lambda d: d["slab"]["caches"][0].update(kb=-5))
    edit("real-number", lambda d: d["tmpfs"][0].update(used_kb=1.5))
    edit("rows-not-a-list", lambda d: d.update(commands={"comm": "x"}))
    out["duplicate-key"] = good.replace('"used_kb":', '"used_kb": 1, "used_kb":', 1)
    return out


@pytest.mark.parametrize("kernel", KERNELS)
def test_hostile_snapshots_refused(kernel, tmp_path, lsan):
    good = str(tmp_path / "good.json")
    res = run("prod", ["snap", "-o", good, KDump(kernel, "tasks", "after", "kdump").path], lsan)
    assert res.returncode == 0, res.stderr
    text = open(good).read()
    for name, bad in bad_snapshots(text).items():
        path = tmp_path / (name + ".json")
        path.write_text(bad)
        for build in BUILDS:
            for args in (["diff", str(path), good], ["diff", good, str(path)]):
                res = run(build, args, lsan)
                assert ending(res) == "exit 1", (name, res.stderr)
                assert "not a memscope snapshot" in res.stderr or "duplicate" in res.stderr, \
                    (name, res.stderr)
                ENDINGS["snapshot", "exit 1"] += 1


# ---- through crash ----

CRASH_CASES = sorted(hostile_cases.CASES)


def crash_lines(files):
    lines = []
    for f in files:
        lines += [f"memdiff {f}", "meminfo"]
    return lines


def test_memdiff_of_bad_files_in_crash(made, tmp_path):
    """memdiff of every bad file, a FIFO, a directory and a dump of another
    boot, each followed by meminfo, in one crash session: crash answers every
    one."""
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)
    other_boot = conftest.Dump("tmpfs", "before", "kdump").path
    files = [made("6.1", n) for n in CRASH_CASES] + [fifo, str(tmp_path), other_boot]
    dump = conftest.Dump("tasks", "after", "kdump")
    out = conftest.crash_session(dump, crash_lines(files), timeout=600)
    memtotal = dump.truth("meminfo").splitlines()[0]       # the guest's own line
    for i, f in enumerate(files):
        said, meminfo = out[2 * i], out[2 * i + 1]
        assert said.startswith("memdiff: "), (f, said[-2000:])
        assert memtotal in meminfo.splitlines(), (f, meminfo[:300])
        ENDINGS["crash-memdiff", "message"] += 1


def test_memdiff_survives_its_reader_dying():
    """The reader process killed by SIGSEGV after every check passed (MEMSCOPE_TEST_CHILD_SIGNAL): memdiff says so, crash goes on."""
    dump = conftest.Dump("tasks", "after", "kdump")
    before = conftest.Dump("tasks", "before", "kdump").path
    script = [f"extend {conftest.EXTENSION}"]
    for i, line in enumerate([f"memdiff {before}", "meminfo"]):
        script += [f"echo {conftest.MARK}{i}", line]
    script += [f"echo {conftest.MARK}quit", "quit"]
    for sig in (11,):
        res = subprocess.run(["crash", "-s", dump.vmlinux, dump.path],
                             input="\n".join(script) + "\n", stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=300,
                             env=dict(os.environ, MEMSCOPE_TEST_CHILD_SIGNAL=str(sig)))
        out = res.stdout
        assert f"was killed by signal {sig}" in out and "crash is unharmed" in out, out[-2000:]
        assert "MemTotal:" in out.split(f"{conftest.MARK}1", 1)[1], out[-2000:]
        assert f"{conftest.MARK}quit" in out
        ENDINGS["crash-child-killed", "message"] += 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_diff_of_two_boots_refused_unless_forced(kernel, lsan):
    """The before of one scenario against the after of another: two boots
    (their KASLR offsets differ; these guests never read boot_id).  Refused;
    with -f compared, with a warning naming what differs."""
    before = KDump(kernel, "tasks", "before", "kdump").path
    after = KDump(kernel, "tmpfs", "after", "kdump").path
    for build in BUILDS:
        res = run(build, ["diff", before, after], lsan)
        assert ending(res) == "exit 1" and "not of one boot of one machine" in res.stderr
        assert "KASLR offset" in res.stderr and "-f compares them anyway" in res.stderr
        ENDINGS["two-boots", "exit 1"] += 1
        res = run(build, ["diff", "-f", before, after], lsan)
        assert res.returncode == 0, res.stderr
        assert res.stdout.startswith("WARNING: not one boot of one machine, compared as forced")
        ENDINGS["two-boots-forced", "exit 0 + warning"] += 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_types_of_another_kernel_refused(kernel, tmp_path, lsan):
    """The other Debian kernel's vmlinux (-k, its BTF; --dwarf; --symtab) and
    its raw .BTF (--btf, as /sys/kernel/btf/vmlinux of another kernel): the
    issue's MemFree 0 kB and zones of 17592186037629 GiB, now refused."""
    other = {"6.1": "6.12", "6.12": "6.1"}[kernel]
    vmlinux = os.path.join(kernel_dir(other), "vmlinux")
    btf = str(tmp_path / "vmlinux.btf")
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.BTF", vmlinux, btf], check=True)
    dump = KDump(kernel, "tasks", "after", "kdump").path
    for build in BUILDS:
        for opts in (["-k", vmlinux], ["-k", vmlinux, "--symtab"], ["--btf", btf]):
            res = run(build, ["meminfo", *opts, dump], lsan)
            assert ending(res) == "exit 1", (opts, res.stderr)
            assert "do not describe the dumped kernel" in res.stderr, (opts, res.stderr)
            ENDINGS["other-types", "exit 1"] += 1
