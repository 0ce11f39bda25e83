#!/usr/bin/env python3
"""Record what every command prints, with every option, on the scenario dumps,
through both front ends (the crash extension and the memscope CLI), and compare
two such records.  test_outputs.py keeps it as a test: the outputs of a
baseline commit against the tree's.

  golden.py record OUT --so SO --cli CLI [--dumps DIR] [--dumps-612 DIR] [--all-formats]
  golden.py compare [--subset] A B   (two records; exit 1 and the differences if any)

A record is a directory: one file per front end, dump and command line, holding
the command's standard output (crash: its fp, warnings included) and, for the
CLI, a last line "exit N".  The CLI's stderr goes to a .err file beside it,
which compare reports but does not hold against (warnings may name their real
cause better than before; what a command prints does not change).
SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import difflib
import os
import subprocess
import sys
import tempfile

SCENARIOS = ("tmpfs", "tasks", "numa", "kmod")
PHASES = ("before", "after")
MARK = "@@GOLDEN "

# The command lines, written with crash's names; the CLI's names and operands
# are derived below.  Every option of every command appears at least once.
COMMON = [
    "meminfo", "meminfo -m", "meminfo -s", "meminfo -p", "meminfo -n 0", "meminfo --json",
    "meminfo -n 0 --json", "meminfo -s -p",
    "zoneinfo", "zoneinfo -z", "zoneinfo -p", "zoneinfo -u", "zoneinfo -r", "zoneinfo -z -r",
    "zoneinfo --json", "zoneinfo -u -p --json", "zoneinfo -a 3", "zoneinfo -a 3,DMA32 -w min -g atomic",
    "zoneinfo -a 0 -w high -g movable", "zoneinfo -a 3 --json", "zoneinfo -a 9 -g oom -n 0",
    "zoneinfo -a 1,1 -g high", "zoneinfo -a 2 -g nowait -w min",
    "buddyinfo", "buddyinfo -m", "buddyinfo -v", "buddyinfo -u", "buddyinfo -f", "buddyinfo --json",
    "buddyinfo -m -v -u -f --json", "buddyinfo -m -v",
    "oomscore", "oomscore -p", "oomscore -a", "oomscore --json", "oomscore -a -p",
    "slabinfo", "slabinfo -p", "slabinfo -a", "slabinfo -n 5", "slabinfo --json",
    "tmpfs", "tmpfs -a", "tmpfs --json",
    "memsnap -",
    "memlog", "memlog -x -c -d", "memlog -r -t", "memlog --json",
    "oomreport", "oomreport -p", "oomreport -a", "oomreport --json",
    "tasks", "tasks -p", "tasks -g state,comm,wchan", "tasks -g parent,uid,cgroup -p", "tasks -s 1,memhog",
    "tasks --json",
    "overcommit", "overcommit -p", "overcommit -a", "overcommit --json", "overcommit -n 300M",
    "overcommit -P 1 -n 4K --json",
    "pages", "pages -p", "pages --json",
    "pipes", "pipes -a", "pipes --json",
    "sockstat", "sockstat -m", "sockstat -a", "sockstat --json",
    "vmallocinfo", "vmallocinfo -a", "vmallocinfo --json",
    "memcg", "memcg -t", "memcg -s -p", "memcg -a -m", "memcg --json", "oomscore --memcg /",
]
NUMA = ["meminfo -n 1", "meminfo -n 1 --json", "zoneinfo -a 2 -n 1", "zoneinfo -a 3,DMA32 -n 1 --json"]
DIFF = ["memdiff BEFORE", "memdiff -p BEFORE", "memdiff --json BEFORE", "memdiff SNAPSHOT"]


def command_lines(scenario, phase):
    lines = COMMON + (NUMA if scenario == "numa" else [])
    if phase == "after":
        lines = lines + DIFF
    return lines


def slug(line):
    return "".join(c if c.isalnum() or c in "-_," else "_" for c in line).strip("_") or "none"


def cli_args(line, dump, before, snapshot):
    """The CLI form of a crash command line on this dump."""
    words = line.split()
    name, rest = words[0], words[1:]
    if name == "memsnap":
        return ["snap", dump]
    if name == "memlog":
        return ["log", *rest, dump]
    if name == "memdiff":
        opts = [w for w in rest if w.startswith("-")]
        which = before if "BEFORE" in rest else snapshot
        return ["diff", *opts, which, dump]
    return [name, *rest, dump]


def crash_line(line, before, snapshot):
    return line.replace("BEFORE", before).replace("SNAPSHOT", snapshot)


class Dump:
    def __init__(self, kernel, root, scenario, phase, fmt):
        self.kernel, self.root, self.scenario, self.phase, self.fmt = kernel, root, scenario, phase, fmt
        self.path = os.path.join(root, scenario, phase, "vmcore." + fmt)
        self.before = os.path.join(root, scenario, "before", "vmcore." + fmt)
        self.vmlinux = os.path.join(root, "vmlinux")

    def key(self):
        return os.path.join(self.kernel, self.scenario, self.phase, self.fmt)


def write(out, parts, text):
    path = os.path.join(out, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def snapshot_of(cli, dump, tmp):
    """A snapshot file of the before dump, made by the build under test."""
    path = os.path.join(tmp, dump.key().replace("/", "_") + ".json")
    with open(path, "w") as f:
        subprocess.run([cli, "snap", dump.before], stdout=f, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, MEMSCOPE_NO_PROGRESS="1"), timeout=600)
    return path


def record_cli(cli, dump, out, tmp):
    env = dict(os.environ, MEMSCOPE_NO_PROGRESS="1")
    snap = snapshot_of(cli, dump, tmp) if dump.phase == "after" else None
    runs = [(line, cli_args(line, dump.path, dump.before, snap))
            for line in command_lines(dump.scenario, dump.phase)]
    if dump.phase == "after":
        runs.append(("batch", [dump.before, dump.path]))
    for line, args in runs:
        res = subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, timeout=600)
        stdout = res.stdout.replace(tmp, "TMP")
        write(out, ["cli", dump.key(), slug(line)], stdout + f"exit {res.returncode}\n")
        write(out, ["cli", dump.key(), slug(line) + ".err"], res.stderr.replace(tmp, "TMP"))


def record_crash(so, cli, dump, out, tmp):
    snap = snapshot_of(cli, dump, tmp) if dump.phase == "after" else ""
    lines = command_lines(dump.scenario, dump.phase)
    script = [f"extend {so}"]
    for line in lines:
        script += [f"echo {MARK}{line}", crash_line(line, dump.before, snap)]
    script += [f"echo {MARK}quit", "quit"]
    res = subprocess.run(["crash", "-s", dump.vmlinux, dump.path], input="\n".join(script) + "\n",
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=1800)
    got, cur = {}, None
    for text in res.stdout.splitlines():
        if text.startswith(MARK):
            cur = text[len(MARK):]
            got[cur] = []
        elif cur is not None:
            got[cur].append(text)
    for line in lines:
        if line not in got:
            raise RuntimeError(f"crash on {dump.path} did not run {line!r}:\n{res.stdout[-3000:]}")
        write(out, ["crash", dump.key(), slug(line)], "\n".join(got[line]).replace(tmp, "TMP") + "\n")


def dumps(args):
    formats = ("elf", "kdump-flat", "kdump", "filtered") if args.all_formats else args.formats
    out = []
    for kernel, root in (("6.1", args.dumps), ("6.12", args.dumps_612)):
        if not root:
            continue
        for s in SCENARIOS:
            for p in PHASES:
                for f in formats:
                    out.append(Dump(kernel, root, s, p, f))
    return out


def record(args):
    os.makedirs(args.out, exist_ok=True)
    todo = dumps(args)
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = [pool.submit(record_cli, args.cli, d, args.out, tmp) for d in todo]
        # crash 8.0.2 cannot open 6.12 dumps: the extension is recorded on 6.1.
        jobs += [pool.submit(record_crash, args.so, args.cli, d, args.out, tmp)
                 for d in todo if args.so and d.kernel == "6.1" and d.fmt in args.crash_formats]
        for j in jobs:
            j.result()
    return 0


def files(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def compare_dirs(a, b, limit=40, subset=False):
    """Differences of record b against record a: a list of (path, diff text).
    subset: b may record fewer dumps or formats than a."""
    diffs = []
    fa, fb = files(a), files(b)
    if subset:
        fa &= fb
    for rel in sorted(fa | fb):
        if rel.endswith(".err"):
            continue
        if rel not in fa or rel not in fb:
            diffs.append((rel, "only in " + (a if rel in fa else b)))
            continue
        with open(os.path.join(a, rel)) as x, open(os.path.join(b, rel)) as y:
            ta, tb = x.read(), y.read()
        if ta != tb:
            d = "".join(list(difflib.unified_diff(ta.splitlines(True), tb.splitlines(True),
                                                  "before/" + rel, "after/" + rel))[:limit])
            diffs.append((rel, d))
    return diffs


def compare(args):
    diffs = compare_dirs(args.a, args.b, subset=args.subset)
    for rel, d in diffs:
        print(d if d.startswith("---") else f"{rel}: {d}")
    errs = sum(1 for rel in files(args.a) & files(args.b) if rel.endswith(".err") and
               open(os.path.join(args.a, rel)).read() != open(os.path.join(args.b, rel)).read())
    print(f"{len(diffs)} outputs differ; {errs} stderr files differ (not held against)")
    return 1 if diffs else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("out")
    r.add_argument("--so", help="memscope.so (crash is run only with it)")
    r.add_argument("--cli", required=True)
    r.add_argument("--dumps", default=os.environ.get("MEMSCOPE_DUMPS"))
    r.add_argument("--dumps-612", default=os.environ.get("MEMSCOPE_DUMPS_612"))
    r.add_argument("--formats", nargs="+", default=["elf", "kdump-flat", "filtered"])
    r.add_argument("--crash-formats", nargs="+", default=["elf", "filtered"])
    r.add_argument("--all-formats", action="store_true")
    r.add_argument("--jobs", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--subset", action="store_true", help="B recorded fewer dumps than A")
    args = ap.parse_args()
    if args.cmd == "record":
        args.cli = os.path.abspath(args.cli)
        args.so = args.so and os.path.abspath(args.so)
        return record(args)
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
