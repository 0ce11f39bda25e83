"""tasks: every task's state letter, wchan, kernel stack and /proc/PID/status
sizes against what the guest's own kernel printed right before the dump
(taskstate, stacks, status), on both kernels.

What runs where, and why:
- The CLI on every dump of both kernels: the four base scenarios in all four
  formats, and dstate (1000 writers in D state on a FUSE mount that stopped
  answering) in the two formats it is made in, elf and filtered: the kdump
  formats hold the same pages behind the same libkdumpfile reader, and each
  1 GiB kdump-zlib dump would cost minutes of TCG time in cold CI.
- crash on three 6.1 dumps only (dstate/after elf, tasks/after kdump,
  kmod/after elf): its start-up costs ~7 s a dump, and the crash target
  differs from the CLI's only in its reads and its symbol look-ups
  (value_search() and aliases); these cover the storm, a module's symbols
  (fuse, memeater) and a kdump file.
- One corrupted dump (6.1 dstate/after with its .orc_unwind table overwritten),
  under the sanitizers: every unwind fails, says so, and falls back.

Allowed differences, listed (ALLOWED), each only for a task that ran in the
last RAN_WITHIN seconds before the dump:
- init, pid 1: the printing shell itself -- running (R, wchan 0) while it
  prints, asleep in poll() on the console when the host dumps.
- rcu_preempt: RCU's grace-period kthread.  The printing frees /proc's dentries
  and files through call_rcu(), so at print time a grace period is running
  (rcu_gp_fqs_loop) and milliseconds later, at the dump, it is over
  (rcu_gp_kthread waits for the next).
- a kworker seen running (R) in worker_thread while the guest printed and idle
  (I) in worker_thread at the dump: work the printing queued (the console's
  tty flush), done by the time the host dumps.  Seen once, on 6.12 numa.
- kcompactd (a node's compaction thread) seen running (R) while the guest
  printed and asleep in kcompactd at the dump: kcompactd() wakes every
  HPAGE_FRAG_CHECK_INTERVAL_MSEC (500 ms, mm/compaction.c) for proactive
  compaction, whatever the guest does.  Seen once, on 6.12 numa/after.
The filtered dumps of 6.12: makedumpfile 1.7.2 predates 6.10's slab page
type and drops some slab pages with -d 31, task_structs among them; there the
process list is cut short (the output says so) and the tasks it lists must
still be right.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import re
import struct
import subprocess

import pytest

import conftest
from conftest import ROOT

CLI = os.environ.get("MEMSCOPE_CLI") or os.path.join(ROOT, "build", "memscope")
ASAN_CLI = os.environ.get("MEMSCOPE_CLI_ASAN") or os.path.join(ROOT, "build", "asan", "memscope")
ENV = dict(os.environ, MEMSCOPE_NO_PROGRESS="1")
KERNELS = ("6.1", "6.12")
BASE = ("tmpfs", "tasks", "numa", "kmod")
FORMATS = ("elf", "kdump-flat", "kdump", "filtered")
DSTATE_FORMATS = ("elf", "filtered")
ALLOWED = {"init": "the printing shell", "rcu_preempt": "grace period ended after the print",
           "kworker/": "ran the work the printing queued, idle at the dump",
           "kcompactd": "its 500 ms proactive-compaction wake-up"}


def allowed(comm, guest, ours):
    """Is (state, wchan) guest vs ours one of ALLOWED's differences?"""
    if comm.startswith("kworker/"):
        return guest == ("R", "worker_thread") and ours == ("I", "worker_thread")
    if comm.startswith("kcompactd"):
        return guest[0] == "R" and ours == ("S", "kcompactd")
    return comm in ALLOWED
RAN_WITHIN = 30
VM = ("VmSize", "VmData", "VmStk", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmPTE",
      "VmSwap")

_dirs, _json = {}, {}


def kernel_dir(kernel):
    if kernel not in _dirs:
        env = {"6.1": "MEMSCOPE_DUMPS", "6.12": "MEMSCOPE_DUMPS_612"}[kernel]
        d = os.environ.get(env)
        if not d:
            res = subprocess.run(["bash", os.path.join(ROOT, "vmcores", "make-dumps.sh"),
                                  "--kernel", kernel, *BASE, "dstate"],
                                 stdout=subprocess.PIPE, check=True, text=True)
            d = res.stdout.strip().splitlines()[-1]
        _dirs[kernel] = d
    return _dirs[kernel]


class KDump:
    def __init__(self, kernel, scenario, phase, fmt):
        self.kernel, self.scenario, self.phase, self.fmt = kernel, scenario, phase, fmt

    @property
    def dir(self):
        return os.path.join(kernel_dir(self.kernel), self.scenario, self.phase)

    @property
    def path(self):
        return os.path.join(self.dir, "vmcore." + self.fmt)

    @property
    def vmlinux(self):
        return os.path.join(kernel_dir(self.kernel), "vmlinux")

    def truth(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()

    def __repr__(self):
        return f"{self.kernel}/{self.scenario}/{self.phase}/{self.fmt}"


def all_dumps():
    return ([KDump(k, s, p, f) for k in KERNELS for s in BASE for p in ("before", "after")
             for f in FORMATS] +
            [KDump(k, "dstate", p, f) for k in KERNELS for p in ("before", "after")
             for f in DSTATE_FORMATS])


def cli(args, exe=CLI):
    return subprocess.run([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=ENV, timeout=600)


def doc(d):
    key = repr(d)
    if key not in _json:
        res = cli(["tasks", "--json", d.path])
        assert res.returncode in (0, 1), res.stderr[-2000:]
        _json[key] = (json.loads(res.stdout), res.stderr)
    return _json[key]


def taskstate(d):
    """{tid: (tgid, state, wchan, comm)} of the guest's taskstate file."""
    out = {}
    for line in d.truth("taskstate").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        tid, tgid, st, w, comm = line.split(None, 4)
        out[int(tid)] = (int(tgid), st, w, comm)
    return out


def statuses(d):
    """[{field: value}] of the guest's concatenated /proc/PID/status files."""
    procs = []
    for line in d.truth("status").splitlines():
        if line.startswith("Name:"):
            procs.append({})
        k, _, v = line.partition(":")
        procs[-1][k] = v.strip()
    return procs


def may_miss(d, j, stderr):
    """The filtered dumps of 6.12 lose task_structs to makedumpfile 1.7.2."""
    return (d.kernel == "6.12" and d.fmt == "filtered" and not j["complete"]
            and "Excluded page" in stderr)


def reaped(entry):
    """An idle workqueue worker the guest listed may be gone by the dump: a
    pool's idle_timer (idle_worker_timeout(), kernel/workqueue.c) destroys
    the idle workers beyond the pool's two after IDLE_WORKER_TIMEOUT, 5 min,
    and printing dstate's 1,000 tasks under TCG takes minutes (seen: four
    kworkers on a fresh 6.1 dump)."""
    _, st, w, comm = entry
    return st == "I" and w == "worker_thread" and comm.startswith("kworker/")


def same_comm(ours, proc):
    """task->comm is TASK_COMM_LEN - 1 bytes; /proc's comm of a kthread is its
    full name (kthread's full_name, 6.1+), of a workqueue worker the comm and
    "-" its workqueue (wq_worker_comm())."""
    return proc == ours or (proc.startswith(ours) and
                            (len(ours) == 15 or proc[len(ours)] == "-"))


def check_states(d, j, stderr):
    ours = {t["pid"]: t for t in j["tasks"]}
    truth = taskstate(d)
    matched = 0
    for tid, (tgid, st, w, comm) in truth.items():
        o = ours.get(tid)
        if o is None:
            assert may_miss(d, j, stderr) or reaped(truth[tid]), (d, tid, comm)
            continue
        assert o["tgid"] == tgid and same_comm(o["comm"], comm.strip())
        if (o["state"], o["wchan"]) != (st, w):
            assert allowed(comm, (st, w), (o["state"], o["wchan"])), \
                (d, tid, comm, (st, w), (o["state"], o["wchan"]))
            assert o["since_ran_ns"] < RAN_WITHIN * 10**9, (d, tid, o["since_ran_ns"])
            continue
        matched += 1
    # No task the guest did not list, and at most the listed exceptions differ.
    assert set(ours) <= set(truth), set(ours) - set(truth)
    assert matched >= len(ours) - len(ALLOWED)
    return matched


@pytest.mark.parametrize("d", all_dumps(), ids=repr)
def test_state_and_wchan_equal_the_guest(d):
    j, stderr = doc(d)
    assert j["unwinder"].startswith("ORC (")
    assert check_states(d, j, stderr) > 0


@pytest.mark.parametrize("d", all_dumps(), ids=repr)
def test_status_sizes_equal_the_guest(d):
    j, stderr = doc(d)
    ours = {t["pid"]: t for t in j["tasks"]}
    seen = 0
    for p in statuses(d):
        if "VmSize" not in p:
            continue	# a kernel thread: no mm, no Vm lines
        o = ours.get(int(p["Pid"]))
        if o is None:
            assert may_miss(d, j, stderr), (d, p["Pid"])
            continue
        if "status_kb" not in o:	# its mm_struct unreadable
            assert may_miss(d, j, stderr), (d, p["Pid"])
            continue
        for k in VM:
            assert o["status_kb"][k] == int(p[k].split()[0]), (d, p["Pid"], p["Name"], k)
        if "threads" not in o:
            # its signal_struct lost to makedumpfile, said (seen: 6.12 numa/after -d 31)
            assert d.kernel == "6.12" and d.fmt == "filtered" and \
                f"pid {p['Pid']}: cannot read its signal_struct" in stderr, (d, p["Pid"])
            continue
        assert o["threads"] == int(p["Threads"])
        seen += 1
    # a -d 31 file of 6.12 may lose every user task (seen: a fresh dstate/after)
    assert seen > 0 or may_miss(d, j, stderr)


def proc_stacks(d):
    """{tid: ["sym+0xoff [mod]", ...]} of /proc/TID/stack (sizes dropped)."""
    out, cur = {}, None
    for line in d.truth("stacks").splitlines():
        if line.startswith("== "):
            cur = out.setdefault(int(line[3:]), [])
        elif cur is not None and line.startswith("[<"):
            cur.append(re.sub(r"/0x[0-9a-f]+", "", line.split("] ", 1)[1]).strip())
    return out


@pytest.mark.parametrize("d", [KDump(k, s, "after", "elf") for k in KERNELS
                               for s in ("dstate", "tasks", "kmod")], ids=repr)
def test_stacks_equal_proc_stack(d):
    """-s prints every frame; /proc/PID/stack leaves out the scheduler's
    (stack_trace_consume_entry_nosched()): the others, symbol, offset and
    module, are the same."""
    j, _ = doc(d)
    truth = taskstate(d)
    stacks = proc_stacks(d)
    pids = [str(t["pid"]) for t in j["tasks"]
            if t["unwind"] != "none" and truth[t["pid"]][3] not in ALLOWED]
    res = cli(["tasks", "--json", "-s", ",".join(pids), d.path])
    assert res.returncode == 0, res.stderr[-2000:]
    compared = 0
    for t in json.loads(res.stdout)["tasks"]:
        if "stack" not in t:
            continue
        ours = [f["symbol"] for f in t["stack"] if not f["sched"]]
        assert ours == stacks[t["pid"]], (d, t["pid"], t["comm"])
        compared += 1
    assert compared == len(pids)


@pytest.mark.parametrize("kernel", KERNELS)
def test_dstate_grouping_names_the_storm(kernel):
    d = KDump(kernel, "dstate", "after", "elf")
    truth = taskstate(d)
    storm = sum(1 for tgid, st, w, comm in truth.values()
                if (st, w, comm.strip()) == ("D", "path_openat", "sh"))
    res = cli(["tasks", "-g", "state,comm,wchan", d.path])
    assert res.returncode == 0, res.stderr[-2000:]
    groups = [l.strip() for l in res.stdout.splitlines() if "\u00d7" in l]
    # The first, largest group is the storm, with the guest's own count.
    assert groups[0].startswith(f"{storm:,} \u00d7 sh, state D, in path_openat, ")
    # The writer the storm waits behind, in FUSE.
    fuse = [tid for tid, (_, st, w, _) in truth.items() if (st, w) == ("D", "fuse_get_req")]
    assert len(fuse) == 1
    assert "1 \u00d7 sh, state D, in fuse_get_req, " in res.stdout
    # The JSON's groups sum to every task the guest listed, but the idle
    # workers reaped since.
    j = json.loads(cli(["tasks", "--json", "-g", "state,comm,wchan", d.path]).stdout)
    dumped = {t["pid"] for t in json.loads(cli(["tasks", "--json", d.path]).stdout)["tasks"]}
    gone = [tid for tid, e in truth.items() if tid not in dumped and reaped(e)]
    assert sum(g["count"] for g in j["groups"]) == len(truth) - len(gone)
    assert j["groups"][0]["count"] == storm


CRASH_DUMPS = [KDump("6.1", "dstate", "after", "elf"), KDump("6.1", "tasks", "after", "kdump"),
               KDump("6.1", "kmod", "after", "elf")]


@pytest.mark.parametrize("d", CRASH_DUMPS, ids=repr)
def test_crash_agrees(d):
    out = conftest.crash_session(d, ["tasks --json", "tasks -g state,comm,wchan"])
    j = json.loads(out[0][out[0].index("{"):])
    check_states(d, j, "")
    ours = {t["pid"]: t for t in doc(d)[0]["tasks"]}
    for t in j["tasks"]:
        o = ours[t["pid"]]
        assert (t["state"], t["wchan"], t.get("status_kb")) == \
            (o["state"], o["wchan"], o.get("status_kb")), t["pid"]
    assert "\u00d7" in out[1]


# ---- a corrupted ORC table ----------------------------------------------------------

def elf_offset(path, phys):
    """The file offset of a physical address in an ELF vmcore (its PT_LOADs)."""
    with open(path, "rb") as f:
        hdr = f.read(64)
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        f.seek(phoff)
        for _ in range(phnum):
            p_type, _, off, _, paddr, filesz = struct.unpack("<IIQQQQ", f.read(40))
            f.read(phentsize - 40)
            if p_type == 1 and paddr <= phys < paddr + filesz:
                return off + phys - paddr
    raise LookupError(hex(phys))


def kernel_phys(path, system_map, sym):
    """Physical address of a kernel-image symbol: link address + KASLR offset
    - __START_KERNEL_map + phys_base (VMCOREINFO; negative when the kernel
    sits below its link address)."""
    with open(path, "rb") as f:
        note = f.read(1 << 16).decode("latin1")
    kaslr = int(re.search(r"KERNELOFFSET=([0-9a-f]+)", note).group(1), 16)
    phys_base = int(re.search(r"NUMBER\(phys_base\)=(-?\d+)", note).group(1))
    with open(system_map) as f:
        addr = next(int(l.split()[0], 16) for l in f if l.split()[2:3] == [sym])
    return addr + kaslr - 0xffffffff80000000 + phys_base


def test_corrupt_orc_table_gives_partial_answers(tmp_path):
    d = KDump("6.1", "dstate", "after", "elf")
    system_map = os.path.join(os.path.dirname(os.path.realpath(d.vmlinux)), "System.map")
    bad = tmp_path / "vmcore.elf"
    with open(d.path, "rb") as src, open(bad, "wb") as dst:
        while chunk := src.read(1 << 24):
            dst.write(chunk)
    start = elf_offset(d.path, kernel_phys(d.path, system_map, "__start_orc_unwind"))
    stop = elf_offset(d.path, kernel_phys(d.path, system_map, "__stop_orc_unwind"))
    with open(bad, "r+b") as f:
        f.seek(start)
        f.write(b"\xff" * (stop - start))	# sp_reg 15, type 3: no entry is valid
    env = dict(ENV, UBSAN_OPTIONS="print_stacktrace=1")
    res = subprocess.run([ASAN_CLI, "tasks", "--json", str(bad)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env, timeout=600)
    for s in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        assert s not in res.stderr, res.stderr[-3000:]
    assert res.returncode in (0, 1)
    j = json.loads(res.stdout)
    blocked = [t for t in j["tasks"] if t["unwind"] != "none"]
    assert blocked and j["unwinds_partial"] == len(blocked)
    for t in blocked:
        # The message names the bad entry, and the stack scan answered instead.
        assert "unknown SP base reg 15" in t["unwind_error"], t
        assert t["unwind"] == "scan"
    # The states do not depend on the unwinder: still the guest's.
    truth = taskstate(d)
    assert all(t["state"] == truth[t["pid"]][1] for t in j["tasks"]
               if truth[t["pid"]][3] not in ALLOWED)
    text = cli(["tasks", str(bad)])
    assert f"{len(blocked)} unwinds stopped early" in text.stdout


@pytest.mark.parametrize("kernel", KERNELS)
def test_diff_names_the_storm(kernel):
    """diff's "tasks that appeared" are the guest's tasks of after that before
    did not have, grouped by comm, state and wchan; the cause names the storm."""
    b, a = KDump(kernel, "dstate", "before", "elf"), KDump(kernel, "dstate", "after", "elf")
    tb, ta = taskstate(b), taskstate(a)
    # The same task has the same pid within one boot; a worker's /proc comm
    # changes with its workqueue, its task->comm does not.
    appeared = [v for tid, v in ta.items() if tid not in tb]
    storm = sum(1 for _, st, w, comm in appeared
                if (st, w, comm.strip()) == ("D", "path_openat", "sh"))
    res = cli(["diff", b.path, a.path])
    assert res.returncode == 0, res.stderr[-2000:]
    section = res.stdout.split("Tasks that appeared", 1)[1]
    assert f"\n  {len(appeared)} tasks, " in section
    assert f"\n  {storm} \u00d7 sh, state D, in path_openat, " in section
    assert f"A storm: of the {len(appeared)} tasks that appeared, {storm} \u00d7 sh, state D, " \
           f"in path_openat, " in res.stdout
    # The tasks scenario's hogs are a dozen, not a storm.
    b, a = KDump(kernel, "tasks", "before", "elf"), KDump(kernel, "tasks", "after", "elf")
    assert "A storm" not in cli(["diff", b.path, a.path]).stdout
