"""vmcore tests: crash loads memscope.so on real dumps made by vmcores/.

Each test module lists the crash commands it needs in CRASH_COMMANDS; crash
runs once per dump with all of them (its start-up, ~7 s, dominates), and
tests read the output of one command with crash_output(dump, command).

Dumps come from vmcores/make-dumps.sh (cached outside the repo), or from the
directory in MEMSCOPE_DUMPS.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.environ.get("MEMSCOPE_SO") or os.path.join(ROOT, "build", "memscope.so")
SCENARIOS = ("tmpfs", "tasks", "numa", "kmod")
PHASES = ("before", "after")
FORMATS = ("elf", "kdump-flat", "kdump", "filtered")
MARK = "@@MEMSCOPE-CMD "

_commands = []
_outputs = {}
_dumps_dir = None


def dumps_dir():
    global _dumps_dir
    if _dumps_dir is None:
        _dumps_dir = os.environ.get("MEMSCOPE_DUMPS")
        if not _dumps_dir:
            res = subprocess.run(["bash", os.path.join(ROOT, "vmcores", "make-dumps.sh")],
                                 stdout=subprocess.PIPE, check=True, text=True)
            _dumps_dir = res.stdout.strip().splitlines()[-1]
    return _dumps_dir


class Dump:
    """One dump file and the guest's own /proc printed right before it."""

    def __init__(self, scenario, phase, fmt):
        self.scenario, self.phase, self.fmt = scenario, phase, fmt
        self.dir = os.path.join(dumps_dir(), scenario, phase)
        self.path = os.path.join(self.dir, "vmcore." + fmt)
        self.vmlinux = os.path.join(dumps_dir(), "vmlinux")

    def __repr__(self):
        return f"{self.scenario}/{self.phase}/{self.fmt}"

    def truth(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()


# Modules that start first: test_outputs.py's setup records the baseline's
# outputs (about 12 minutes on 2 cores when the dumps are new), the longest
# unit of work; started last, it ran alone at the end of the run.
# test_options.py's setup runs every option in both front ends (2 minutes).
# With pytest-xdist's --dist loadfile the workers take modules in this order.
# test_crash_versions.py starts last: the crash builds `make check-vmcore`
# started in the background have had the whole run to finish.
FIRST = ("test_outputs", "test_options")
LAST = ("test_crash_versions",)


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: 0 if item.module.__name__ in FIRST else
               2 if item.module.__name__ in LAST else 1)


def pytest_collection_finish(session):
    for item in session.items:
        for cmd in getattr(item.module, "CRASH_COMMANDS", ()):
            if cmd not in _commands:
                _commands.append(cmd)


def crash_session(dump, lines, timeout=900, env=None):
    """One crash session on dump with the extension loaded, running lines in
    order (env: variables added to crash's environment); returns what each
    printed, in the same order."""
    script = [f"extend {EXTENSION}"]
    for i, line in enumerate(lines):
        script += [f"echo {MARK}{i}", line]
    script += [f"echo {MARK}quit", "quit"]
    res = subprocess.run(["crash", "-s", dump.vmlinux, dump.path], input="\n".join(script) + "\n",
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=timeout, env=dict(os.environ, **(env or {})))
    out, cur = {}, None
    for line in res.stdout.splitlines():
        if line.startswith(MARK):
            cur = line[len(MARK):]
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    missing = [lines[i] for i in range(len(lines)) if str(i) not in out]
    if missing or "quit" not in out:
        raise RuntimeError(f"crash on {dump} did not run {missing[:3]}:\n{res.stdout[-3000:]}")
    return ["\n".join(out[str(i)]) for i in range(len(lines))]


def run_crash(dump, commands):
    """Run crash in batch mode on dump; return {command: output}."""
    return dict(zip(commands, crash_session(dump, commands)))


def crash_output(dump, command):
    key = (dump.scenario, dump.phase, dump.fmt)
    if key not in _outputs:
        _outputs[key] = run_crash(dump, _commands or [command])
    if command not in _outputs[key]:
        _outputs[key].update(run_crash(dump, [command]))
    return _outputs[key][command]


def all_dumps(formats=FORMATS, scenarios=SCENARIOS, phases=PHASES):
    return [Dump(s, p, f) for s in scenarios for p in phases for f in formats]


def dump_params(formats=FORMATS, scenarios=SCENARIOS, phases=PHASES):
    return pytest.mark.parametrize("dump", all_dumps(formats, scenarios, phases), ids=repr)
