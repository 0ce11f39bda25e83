"""memscope.so in the crash versions users run: Debian 12's 8.0.2 (the
reference, /usr/bin/crash with build/memscope.so), Debian 13's 8.0.6 and
Debian unstable's 9.0.2 (gdb 16.3): Debian's own binaries of those
releases, set up by scripts/debian-crash.sh (run on their own glibc, cached
in ~/.cache/memscope/crash; MEMSCOPE_CRASH_FROM=build builds them from
source with scripts/build-crash.sh instead), each with a memscope.so
compiled against its own defs.h (`make CRASH_INCLUDE=...`,
build/crash-VERSION/memscope.so).

What runs in each crash, on 6.1 (8.0.2 cannot open 6.12 dumps: see
shared field notes; 8.0.6 opens none of these 6.1 dumps: UNOPENABLE):
  - every command line of golden.py's COMMON (every command, every option)
    and its DIFF lines (memdiff against the before dump and against a
    snapshot of it made by the CLI);
  - on the tmpfs and tasks scenarios' after dumps (the after dump is the one
    memdiff runs on), as an ELF dump and as a kdump file (vmcore.kdump,
    makedumpfile's compressed format): 4 dumps, the two formats' readers in
    each crash, the two scenarios' commands (tmpfs, tasks) with their truth;
  - the output must be identical to 8.0.2's, line for line: the numbers
    are held against the guest's truth by the other modules on 8.0.2, so
    an identical output carries those checks over.
On 6.12, where 8.0.2 has no output, the same command lines on the same
scenarios and formats: 8.0.6 and 9.0.2 must print the same, line for line
(9.0.2 is held to 8.0.2's output on 6.1 above), and meminfo equals the CLI's
on the same file and the guest's /proc/meminfo.  So 8.0.6, which opens only
the 6.12 dumps here, runs every command, both readers and memdiff there.

Dumps a crash version cannot open for reasons of its own are listed in
UNOPENABLE with the reason, and skipped there only.

The version check at `extend`: 8.0.2's memscope.so in 8.0.6 and 9.0.2 says
both versions and the command that rebuilds it, and still loads (the
layouts it touches did not move); a memscope.so built against a defs.h
whose struct kernel_table was changed (a member inserted before utsname) is
refused in 8.0.2, with crash unloading it.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import functools
import os
import re
import shutil
import subprocess
import tempfile

import pytest

import conftest
from conftest import ROOT
import golden

# MEMSCOPE_CRASH_VERSIONS: the versions to test, every one the script
# names by default ("all"); empty for none.  Debian's binaries take some
# 10 s each to set up.  Building them instead (MEMSCOPE_CRASH_FROM=build)
# costs 11 to 19 min of CPU each: measured on a 2-core machine with warm
# dumps, the whole .ci/run took 51 min with both builds in the background,
# against 29-34 min without, too much for a cold-cache CI run's 60.
# `make check-vmcore` sets up the versions named here in the background
# before the dumps are made, and conftest runs this module last, so its wait
# for them is short or none.
SCRIPT = os.path.join(ROOT, "scripts", {"build": "build-crash.sh"}.get(
    os.environ.get("MEMSCOPE_CRASH_FROM", "debian"), "debian-crash.sh"))


def _versions():
    env = os.environ.get("MEMSCOPE_CRASH_VERSIONS", "all")
    if env.strip() == "all":
        env = subprocess.run(["bash", SCRIPT, "--list"],
                             stdout=subprocess.PIPE, check=True, text=True).stdout
    return tuple(env.split())


VERSIONS = _versions()
REFERENCE = "8.0.2"
SCENARIOS = ("tmpfs", "tasks")
FORMATS = ("elf", "kdump")
BUILD = os.path.dirname(conftest.EXTENSION)
# The Makefile's EXTDIR: crash's own /usr/lib/crash/extensions.
EXTDIR = "/usr/lib/crash/extensions"
CLI = os.environ.get("MEMSCOPE_CLI") or os.path.join(ROOT, "build", "memscope")
ENV = dict(os.environ, MEMSCOPE_NO_PROGRESS="1")
KERNEL_ENV = {"6.1": "MEMSCOPE_DUMPS", "6.12": "MEMSCOPE_DUMPS_612"}

_tmp = tempfile.mkdtemp(prefix="memscope-crashver-")

# (crash version, kernel, scenario, format): why that crash cannot open it.
# crash 8.0.6 aborts at start-up on every 6.1 dump here: the guests are
# dumped live, with a vCPU's active task on the PTI entry stack
# (cpu_entry_area, fffffe00000xx000); the gdb register fetch for the active
# task (x86_64_get_current_task_reg() -> fill_stackbuf()) fails its stack
# read with error(FATAL): "crash: read of stack at fffffe0000014000 failed".
# 9.0.x returns early there (bt_info.stackbase == 0).  It opens the 6.12
# dumps, which test_612 and the warning test use.
PTI_806 = ("aborts at start-up: the active task's stack read on the PTI entry stack fails "
           "inside gdb's register fetch (x86_64_get_current_task_reg)")
UNOPENABLE = {("8.0.6", "6.1", s, f): PTI_806 for s in SCENARIOS for f in FORMATS}


@functools.lru_cache(maxsize=None)
def dumps(kernel):
    d = os.environ.get(KERNEL_ENV[kernel])
    if not d:
        res = subprocess.run(["bash", os.path.join(ROOT, "vmcores", "make-dumps.sh"),
                              "--kernel", kernel, *SCENARIOS], stdout=subprocess.PIPE,
                             check=True, text=True)
        d = res.stdout.strip().splitlines()[-1]
    return d


@functools.lru_cache(maxsize=None)
def crash_dir(version):
    """The cache dir of that crash (set up or built if missing)."""
    res = subprocess.run(["bash", SCRIPT, version],
                         stdout=subprocess.PIPE, check=True, text=True, timeout=7200)
    return res.stdout.strip().splitlines()[-1]


def crash_include(version):
    return "/usr/include/crash" if version == REFERENCE else \
        os.path.join(crash_dir(version), "include", "crash")


@functools.lru_cache(maxsize=None)
def crash_of(version):
    """(crash binary, the EXTDIR under a DESTDIR where `make install
    CRASH_INCLUDE=...` put the memscope.so built against its defs.h)."""
    crash = "crash" if version == REFERENCE else os.path.join(crash_dir(version), "bin", "crash")
    dest = os.path.join(_tmp, "install-" + version)
    subprocess.run(["make", "-s", "-C", ROOT, f"BUILD={BUILD}", f"DESTDIR={dest}",
                    f"CRASH_INCLUDE={crash_include(version)}", "install"], check=True, timeout=1800)
    return crash, os.path.join(dest, EXTDIR.lstrip("/"))


def session(crash, so, vmlinux, dump, lines, timeout=1800, extdir=None):
    """One crash session: extend so, then lines; (what extend printed, {line: output}).
    extdir: crash's CRASH_EXTENSIONS, where it finds an so named without a path."""
    script = [f"echo {golden.MARK}extend", f"extend {so}"]
    for i, line in enumerate(lines):
        script += [f"echo {golden.MARK}{i}", line]
    script += [f"echo {golden.MARK}quit", "quit"]
    env = dict(os.environ)
    env.pop("CRASH_EXTENSIONS", None)
    if extdir:
        env["CRASH_EXTENSIONS"] = extdir
    res = subprocess.run([crash, "-s", vmlinux, dump], input="\n".join(script) + "\n",
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=timeout, env=env, cwd=_tmp)
    got, cur = {}, None
    for text in res.stdout.splitlines():
        if text.startswith(golden.MARK):
            cur = text[len(golden.MARK):]
            got[cur] = []
        elif cur is not None:
            got[cur].append(text)
    if "quit" not in got:
        raise RuntimeError(f"{crash} on {dump} did not finish:\n{res.stdout[-3000:]}")
    return "\n".join(got.get("extend", [])), {line: "\n".join(got.get(str(i), ["(not run)"]))
                                              for i, line in enumerate(lines)}


@functools.lru_cache(maxsize=None)
def snapshot(kernel, scenario, fmt):
    """A snapshot of the before dump, made once by the CLI: every crash diffs the same file."""
    before = os.path.join(dumps(kernel), scenario, "before", "vmcore." + fmt)
    path = os.path.join(_tmp, f"{kernel}-{scenario}-{fmt}.json")
    with open(path, "w") as f:
        subprocess.run([CLI, "snap", before], stdout=f, check=True, env=ENV, timeout=900)
    return path


def lines_of(scenario):
    return golden.command_lines(scenario, "after")


@functools.lru_cache(maxsize=None)
def outputs(version, kernel, scenario, fmt):
    """What each command line printed in that crash on that after dump."""
    crash, extdir = crash_of(version)
    root = dumps(kernel)
    before = os.path.join(root, scenario, "before", "vmcore." + fmt)
    lines = lines_of(scenario)
    run = [golden.crash_line(line, before, snapshot(kernel, scenario, fmt)) for line in lines]
    ext, got = session(crash, "memscope.so", os.path.join(root, "vmlinux"),
                       os.path.join(root, scenario, "after", "vmcore." + fmt), run, extdir=extdir)
    # The snapshot's temporary name is the same file in every crash.
    return ext, {line: got[r] for line, r in zip(lines, run)}


def skip_unopenable(version, kernel, scenario, fmt):
    why = UNOPENABLE.get((version, kernel, scenario, fmt))
    if why:
        pytest.skip(f"crash {version} cannot open {kernel}/{scenario}/{fmt}: {why}")


CASES = [(v, s, f) for v in VERSIONS for s in SCENARIOS for f in FORMATS]


@pytest.mark.parametrize("version,scenario,fmt", CASES,
                         ids=[f"{v}-{s}-{f}" for v, s, f in CASES])
def test_same_output_as_802(version, scenario, fmt):
    skip_unopenable(version, "6.1", scenario, fmt)
    ext, got = outputs(version, "6.1", scenario, fmt)
    ref_ext, ref = outputs(REFERENCE, "6.1", scenario, fmt)
    assert "shared object loaded" in ext, ext
    assert "memscope:" not in ext, f"a build for {version} warned in {version}:\n{ext}"
    assert "memscope:" not in ref_ext, ref_ext
    assert len(got) == len(lines_of(scenario)) > 60
    differ = [line for line in got if got[line] != ref[line]]
    detail = "\n".join(f"--- {line}\n{REFERENCE}:\n{ref[line][:1500]}\n{version}:\n{got[line][:1500]}"
                       for line in differ[:3])
    assert not differ, f"{len(differ)} of {len(got)} lines differ from {REFERENCE}'s:\n{detail}"
    # Each line printed something of its own (no command is missing in this crash).
    for line, text in got.items():
        assert text.strip() and "command not found" not in text, (line, text)


def meminfo_kb(text):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+):\s+(\d+) kB", text, re.M)}


def opens(version, kernel, scenario, fmt):
    return not UNOPENABLE.get((version, kernel, scenario, fmt))


@pytest.mark.parametrize("version,scenario,fmt", CASES,
                         ids=[f"{v}-{s}-{f}" for v, s, f in CASES])
def test_612(version, scenario, fmt):
    """6.12, which 8.0.2 cannot open (and the only kernel 8.0.6 opens here):
    every command line as on 6.1, on both scenarios and formats; the newer
    crashes print the same, line for line, and meminfo is the CLI's on the
    same file, and the guest's own /proc/meminfo."""
    skip_unopenable(version, "6.12", scenario, fmt)
    ext, got = outputs(version, "6.12", scenario, fmt)
    assert "shared object loaded" in ext and "memscope:" not in ext, ext
    assert len(got) == len(lines_of(scenario)) > 60
    for line, text in got.items():
        assert text.strip() and "command not found" not in text, (line, text)
    other = next((v for v in VERSIONS if v != version and opens(v, "6.12", scenario, fmt)), None)
    if other:
        _, theirs = outputs(other, "6.12", scenario, fmt)
        differ = [line for line in got if got[line] != theirs[line]]
        detail = "\n".join(f"--- {line}\n{other}:\n{theirs[line][:1500]}\n{version}:\n{got[line][:1500]}"
                           for line in differ[:3])
        assert not differ, f"{len(differ)} of {len(got)} lines differ between {version} and {other}:\n{detail}"
    after = os.path.join(dumps("6.12"), scenario, "after")
    cli = subprocess.run([CLI, "meminfo", os.path.join(after, "vmcore." + fmt)], stdout=subprocess.PIPE,
                         check=True, text=True, env=ENV, timeout=900).stdout
    assert got["meminfo"].strip() == cli.strip()
    with open(os.path.join(after, "meminfo")) as f:
        truth = meminfo_kb(f.read())
    ours = meminfo_kb(got["meminfo"])
    assert ours["MemTotal"] == truth["MemTotal"]
    # MemFree may drift between the guest's print and the dump (test_meminfo).
    assert abs(ours["MemFree"] - truth["MemFree"]) <= 1024
    assert ours["Shmem"] == truth["Shmem"]


@pytest.mark.parametrize("version", (REFERENCE,) + VERSIONS)
def test_install_where_crash_looks(version):
    """`make install` puts memscope.so in a folder that this crash searches for
    an extension named without a path (the paths compiled into it), and the
    sessions above load it from there by name (CRASH_EXTENSIONS = that folder
    under the DESTDIR)."""
    crash, extdir = crash_of(version)
    assert os.path.isfile(os.path.join(extdir, "memscope.so"))
    binary = shutil.which(crash)
    # debian-crash.sh's bin/crash runs Debian's binary through its loader.
    debian = version != REFERENCE and os.path.join(crash_dir(version), "root", "usr", "bin", "crash")
    if debian and os.path.exists(debian):
        binary = debian
    with open(binary, "rb") as f:
        data = f.read()
    searched = {m.decode().rstrip("/") for m in re.findall(rb"/usr/lib(?:64)?/crash/extensions/?", data)}
    assert EXTDIR in searched, searched


@pytest.mark.parametrize("version", VERSIONS)
def test_other_crash_warns_with_rebuild_command(version):
    """8.0.2's memscope.so in a newer crash: both versions, the rebuild command; it loads."""
    crash, _ = crash_of(version)
    # 6.12, which both newer crashes open (8.0.6 opens no 6.1 dump: UNOPENABLE).
    root = dumps("6.12")
    ext, got = session(crash, conftest.EXTENSION, os.path.join(root, "vmlinux"),
                       os.path.join(root, "tmpfs", "after", "vmcore.elf"), ["meminfo"])
    assert f"built against crash {REFERENCE}'s defs.h; this is crash {version}" in ext, ext
    inc = os.path.join(crash_dir(version), "include", "crash")
    assert f"rebuild it for this crash: make -C {ROOT} CRASH_INCLUDE={inc}, then extend " \
        f"{ROOT}/build/crash-{version}/memscope.so" in ext, ext
    assert "not loaded" not in ext and "shared object loaded" in ext, ext
    # 8.0.6 grew struct machdep_table; the members memscope reads held.
    assert "struct machdep_table is 544 bytes in this crash, 536 in that defs.h " \
        "(the members memscope reads check out)" in ext, ext
    assert "MemTotal:" in got["meminfo"]


def test_moved_layout_is_refused():
    """A defs.h whose struct kernel_table has a member inserted before utsname:
    the release memscope would read is not one, so it refuses, and crash
    unloads it and goes on."""
    inc = os.path.join(_tmp, "moved", "include", "crash")
    os.makedirs(inc, exist_ok=True)
    with open("/usr/include/crash/defs.h") as f:
        text = f.read()
    moved, n = re.subn(r"(struct kernel_table \{[^\n]*\n)", r"\1\tchar memscope_test_moved[64];\n",
                       text, count=1)
    assert n == 1
    with open(os.path.join(inc, "defs.h"), "w") as f:
        f.write(moved)
    so = os.path.join(BUILD, "crash-test-moved", "memscope.so")
    subprocess.run(["make", "-s", "-C", ROOT, f"BUILD={BUILD}", f"CRASH_INCLUDE={inc}",
                    "CRASH_VERSION=test-moved", so], check=True, timeout=1800)
    root = dumps("6.1")
    ext, got = session("crash", so, os.path.join(root, "vmlinux"),
                       os.path.join(root, "tmpfs", "after", "vmcore.elf"), ["meminfo", "sys"])
    assert "built against crash test-moved's defs.h; this is crash 8.0.2" in ext, ext
    # Its release is nonsense, or empty (then the size that differs tells).
    assert re.search(r"struct kernel_table(: the members memscope reads do not hold their values"
                     r" here| is 84288 bytes in this crash, 84352 in that defs.h)", ext), ext
    assert "a layout it relies on differs: not loaded" in ext, ext
    assert "no commands registered: shared object unloaded" in ext, ext
    # crash goes on: its own meminfo is not there, its own sys is.
    assert "command not found: meminfo" in got["meminfo"]
    assert "RELEASE:" in got["sys"]


def teardown_module(module):
    shutil.rmtree(_tmp, ignore_errors=True)
