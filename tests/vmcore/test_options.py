"""Every command's options, good and bad, through both front ends: the crash
extension and the CLI parse with one parser (lib/cmd/command.c), so they must
accept the same command lines, reject the same ones with the same message,
and the CLI must exit 2 exactly where crash shows its usage.

The cases are made from the command table itself (memscope --list-options):
every option of every command with good values and bad ones (numbers out of
range or with trailing bytes, a missing argument, an unknown option, a 100 KB
argument), and every pair of options that exclude each other.  A new option
is tested without a line here, unless it has a parser of its own: then its
argument's name needs good and bad words in CUSTOM (the test says so).

One crash session runs every crash case (crash's start-up takes ~7 s), on
6.1's tmpfs/after ELF dump; the CLI runs on the same file.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import concurrent.futures
import json
import os
import re
import subprocess
import tempfile

import pytest

import conftest
from test_cli import CLI, ENV

LONG = "x" * (100 * 1024)
# crash cuts an input line in pieces and runs each piece as a command: the
# pieces of a 100 KB argument are "command not found" lines, not the case's.
CRASH_NOISE = re.compile(r"^crash: command not found: x+$")

# Good and bad words for the options with a parser of their own, by the name
# of their argument.  "3,NOPE" is refused once the dump's zones are read.
CUSTOM = {
    "ORDER[,ZONE]": (["0", "3", "3,DMA32", "1,1", "2,normal"],
                     ["99", "65", "3,NOPE", "x", "-1", "3,", "3x,DMA32", LONG]),
    "MARK": (["min", "low", "high"], ["foo", "LOW", LONG]),
    "CGROUP": (["/"], ["batch", "/" + LONG]),
    "GFP": (["kernel", "high", "nowait", "atomic", "movable", "oom"], ["foo", "GFP_KERNEL", LONG]),
    "KEYS": (["state", "state,comm,wchan", "parent,cgroup,uid", "command"],
             ["foo", "STATE", "state,state", ",", LONG]),
    # pages -c: a census class by its JSON key; a word that is none is refused.
    "CLASS": (["slab", "pipe", "no_owner"], ["foo", "SLAB", "slab,pipe", LONG]),
    "SIZE": (["1", "4096", "300M", "337444K", "2G", "1TiB", "64kb"],
             ["0", "x", "-1", "1.5G", "3P", "12MX", "99999999999999999999", "8T" * 2, LONG]),
}
BAD_NUMBERS = ["abc", "3x", "4294967297", "-1", "+1", "0x10", "1e3", LONG]


def table():
    res = subprocess.run([CLI, "--list-options"], stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(res.stdout)


def flag_of(o):
    return "-" + o["short"] if o["short"] else "--" + o["long"]


def good_values(o):
    if o["type"] == "number":
        return [str(o["min"]), str(o["max"]), str((o["min"] + o["max"]) // 2)]
    if o["type"] == "string" and o["arg"] not in CUSTOM:
        return ["OUTFILE"]             # a file name, or a word any value of which is taken
    assert o["arg"] in CUSTOM, f"option {flag_of(o)} {o['arg']}: add its words to CUSTOM"
    return CUSTOM[o["arg"]][0]


def bad_values(o):
    if o["type"] == "number":
        return BAD_NUMBERS + [str(o["max"] + 1)]
    if o["type"] == "string" and o["arg"] not in CUSTOM:
        return []
    return CUSTOM[o["arg"]][1]


def unknown_letter(cmd, cli_options):
    used = {o["short"] for o in cmd["options"] + cli_options if o["short"]}
    return next(c for c in "QYZXJKLW" if c not in used)


def cases(tab):
    """(command, options, expected) with expected "ok" (accepted), "usage", "help", or
    "dump": a number the parser accepts that the dump may refuse (node 1023 of a
    one-node dump: a usage error once the dump is read, in both front ends)."""
    out = []
    for cmd in tab["commands"]:
        def add(args, want):
            out.append((cmd, list(args), want))

        add([], "ok")
        add(["--json"], "ok")
        add(["--help"], "help")
        add(["-" + unknown_letter(cmd, tab["cli_options"])], "usage")
        add(["--no-such-option"], "usage")
        add(["--" + LONG], "usage")
        add(["--json=yes"], "usage")
        for o in cmd["options"]:
            f = flag_of(o)
            if o["type"] in ("flag", "help"):
                add([f], "ok")
                continue
            for v in good_values(o):
                add([f, v], "dump" if o["type"] == "number" and v != str(o["min"]) else "ok")
            for v in bad_values(o):
                add([f, v], "usage")
            add([f], "usage")                       # missing argument
        for pair in cmd["excludes"]:
            args = []
            for letter in pair:
                o = next(o for o in cmd["options"] if o["short"] == letter)
                args += [flag_of(o)] + (good_values(o)[:1] if o["arg"] else [])
            add(args, "usage")
    return out


class Env:
    """The dump, a snapshot of its before phase, and a place for written files."""

    def __init__(self, tmp):
        self.dump = conftest.Dump("tmpfs", "after", "elf")
        self.tmp = tmp
        self.snapshot = os.path.join(tmp, "before.json")
        with open(self.snapshot, "w") as f:
            subprocess.run([CLI, "snap", conftest.Dump("tmpfs", "before", "elf").path],
                           stdout=f, check=True, env=ENV)

    def operands(self, spec):
        value = {"DUMP": [self.dump.path], "BEFORE": [self.snapshot], "AFTER": [self.dump.path],
                 "[FILE]": [], "": []}
        words = []
        for name in spec["names"].split() or [""]:
            assert name in value, f"operand {name}: say here what to give it"
            words += value[name]
        return words

    def fill(self, args, i):
        return [os.path.join(self.tmp, f"out{i}.json") if a == "OUTFILE" else a for a in args]


def crash_outcome(cmd, text):
    """("usage", message), ("help", None) or ("ok", None) from crash's output."""
    name = cmd["crash"]
    lines = [l for l in text.splitlines() if not CRASH_NOISE.match(l)]
    if any(l == "NAME" for l in lines[:3]) and f"  {name} - " in text:
        return "help", None
    if "Usage:" not in lines:
        return "ok", None
    u = lines.index("Usage:")
    assert u >= 1 and lines[u - 1].startswith(name + ": "), text[:2000]
    assert lines[u + 1] == f"  {name} {cmd['synopsis']['crash']}", lines[u + 1]
    assert lines[u + 2] == f'Enter "help {name}" for details.', lines[u + 2]
    return "usage", lines[u - 1][len(name) + 2:]


def cli_outcome(cmd, res):
    name = cmd["cli"]
    if res.returncode == 2:
        lines = res.stderr.splitlines()
        assert res.stdout == "" and len(lines) == 2, res.stderr[:2000]
        assert lines[0].startswith(f"memscope {name}: "), lines[0]
        assert lines[1] == f"Try 'memscope {name} --help'.", lines[1]
        return "usage", lines[0][len(f"memscope {name}: "):]
    if res.stdout.startswith("NAME\n"):
        assert res.returncode == 0
        return "help", None
    return "ok", None


def run_crash(env, todo):
    lines = [" ".join([cmd["crash"], *env.operands(cmd["operands"]["crash"]), *env.fill(args, i)])
             for i, (cmd, args, _) in enumerate(todo)]
    return conftest.crash_session(env.dump, lines, timeout=1800)


def run_cli(env, i, cmd, args):
    # The operands first: an option given last then has no argument after it.
    words = [cmd["cli"], *env.operands(cmd["operands"]["cli"]), *env.fill(args, 1000 + i)]
    return subprocess.run([CLI, *words], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=ENV, timeout=600)


@pytest.fixture(scope="module")
def results():
    tab = table()
    todo = cases(tab)
    with tempfile.TemporaryDirectory() as tmp:
        env = Env(tmp)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            cli = list(pool.map(lambda c: run_cli(env, c[0], *c[1][:2]), enumerate(todo)))
        crash = run_crash(env, todo)
    return todo, crash, cli


def case_id(cmd, args):
    return " ".join([cmd["crash"]] + [a if len(a) < 40 else a[:8] + "...(%d)" % len(a)
                                      for a in args])


def test_the_front_ends_agree(results):
    todo, crash, cli = results
    bad = []
    for (cmd, args, want), ctext, cres in zip(todo, crash, cli):
        c, m = crash_outcome(cmd, ctext)
        k, n = cli_outcome(cmd, cres)
        if (c, m) != (k, n) or c != want and not (want == "dump" and c in ("ok", "usage")):
            bad.append(f"{case_id(cmd, args)}: want {want}; crash {c} {m!r}; "
                       f"CLI {k} {n!r} (exit {cres.returncode})")
    assert not bad, "\n".join(bad)


def test_accepted_lines_succeed_in_the_cli(results):
    """What both accept runs: exit 0, but for the arguments that cannot work
    (a 100 KB file name) or ask for what the dump lacks (a node it has not)."""
    todo, _, cli = results
    bad = [f"{case_id(cmd, args)}: exit {res.returncode}: {res.stderr[:300]}"
           for (cmd, args, want), res in zip(todo, cli)
           if want == "ok" and res.returncode != 0 and LONG not in args
           and not ("-n" in args and cmd["crash"] in ("meminfo", "zoneinfo"))]
    assert not bad, "\n".join(bad)


def test_numbers_are_checked_whole(results):
    """One message for every bad number: no atoi, no stol, no silent 0."""
    todo, _, cli = results
    for (cmd, args, want), res in zip(todo, cli):
        if want == "usage" and len(args) == 2 and args[1] in BAD_NUMBERS:
            o = next((o for o in cmd["options"] if flag_of(o) == args[0]), None)
            if o and o["type"] == "number":
                assert f"is not a number from {o['min']} to {o['max']}" in res.stderr, res.stderr


def test_operands(tmp_path):
    """Missing and extra operands, per front end (their operands differ)."""
    tab = table()
    env = Env(str(tmp_path))
    for cmd in tab["commands"]:
        spec = cmd["operands"]["cli"]
        res = subprocess.run([CLI, cmd["cli"]], stderr=subprocess.PIPE, text=True, env=ENV)
        assert res.returncode == 2 and f"missing operand ({spec['names']})" in res.stderr
        extra = env.operands(spec) + ["extra"]
        res = subprocess.run([CLI, cmd["cli"], *extra], stderr=subprocess.PIPE, text=True,
                             env=ENV)
        assert res.returncode == 2 and 'extra operand "extra"' in res.stderr, res.stderr


def test_help_is_written_once():
    """crash's 'help NAME' is the CLI's 'NAME --help' with crash's prompt and
    without the CLI's own options: one text."""
    tab = table()
    dump = conftest.Dump("tmpfs", "after", "elf")
    helps = conftest.crash_session(dump, [f"help {cmd['crash']}" for cmd in tab["commands"]])
    for cmd, crash in zip(tab["commands"], helps):
        cli = subprocess.run([CLI, cmd["cli"], "--help"], stdout=subprocess.PIPE, text=True,
                             check=True).stdout
        for o in cmd["options"]:
            assert flag_of(o) in cli, (cmd["cli"], flag_of(o))
        cli = re.sub(r"\nDUMP OPTIONS.*?\n\n", "\n", cli, flags=re.S)
        cli = re.sub(r"\$ memscope (\S+)(.*) vmcore\n", r"crash> \1\2\n", cli)
        cli = cli.replace(f"  memscope {cmd['cli']} {cmd['synopsis']['cli']}",
                          f"  {cmd['crash']} {cmd['synopsis']['crash']}")
        cli = cli.replace(f"  {cmd['cli']} - ", f"  {cmd['crash']} - ", 1)
        if cmd["cli"] != cmd["crash"]:
            cli = re.sub(rf"crash> {cmd['cli']}\b", f"crash> {cmd['crash']}", cli)
        assert crash.strip("\n") == cli.strip("\n"), cmd["crash"]
