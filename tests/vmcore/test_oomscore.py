"""oomscore equals what the guest's kernel printed in /proc/PID/{oom_score,status}.

The guest prints its tasks file (pid oom_score oom_score_adj RssAnon RssFile
RssShmem VmPTE VmSwap comm, kB) right before the dump, with shell builtins only,
and its processes then sleep until the dump is taken: every number is expected
to be identical.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import re

from conftest import dump_params, crash_output
import truth

CRASH_COMMANDS = ["oomscore --json", "oomscore -a -p"]


def doc(dump):
    return json.loads(crash_output(dump, "oomscore --json"))


def by_pid(d):
    return {t["pid"]: t for t in d["tasks"]}


@dump_params()
def test_every_process_is_found(dump):
    """The walk of init_task.tasks finds exactly the processes /proc listed
    (crash 8.0.2's own task table finds none of them on this kernel)."""
    d = doc(dump)
    assert d["complete"]
    want = {r["pid"] for r in truth.tasks(dump.truth("tasks"))}
    assert set(by_pid(d)) == want


@dump_params()
def test_oom_score_and_rss_match_proc(dump):
    d = doc(dump)
    kb = d["page_size"] // 1024
    got = by_pid(d)
    for row in truth.tasks(dump.truth("tasks")):
        t = got[row["pid"]]
        assert t["oom_score"] == row["oom_score"], (row, t)
        assert t["oom_score_adj"] == row["oom_score_adj"], (row, t)
        if row["RssAnon"] is None:
            # No mm: /proc/PID/status has no Vm/Rss lines: the kernel threads.
            assert t["reason"] == "kernel_thread" and t["mm"] is None, t
            assert t["badness"] is None and row["oom_score"] == 0
            continue
        # /proc/PID/status (fs/proc/task_mmu.c task_mem): K(get_mm_counter()),
        # VmPTE = mm_pgtables_bytes(mm) >> 10.
        assert t["rss_anon"] * kb == row["RssAnon"], (row, t)
        assert t["rss_file"] * kb == row["RssFile"], (row, t)
        assert t["rss_shmem"] * kb == row["RssShmem"], (row, t)
        assert t["swapents"] * kb == row["VmSwap"], (row, t)
        assert t["pgtables_bytes"] // 1024 == row["VmPTE"], (row, t)


@dump_params()
def test_skipped_tasks_score_zero_in_proc(dump):
    """oom_badness() == LONG_MIN reads as oom_score 0 (proc_oom_score)."""
    want = {r["pid"]: r for r in truth.tasks(dump.truth("tasks"))}
    for t in doc(dump)["tasks"]:
        if t["reason"] != "eligible":
            assert want[t["pid"]]["oom_score"] == 0, t
    assert by_pid(doc(dump))[1]["reason"] == "init"
    for pid, row in want.items():
        if row["oom_score_adj"] == -1000:
            assert by_pid(doc(dump))[pid]["reason"] == "oom_score_adj_min"


@dump_params()
def test_victim_has_the_highest_oom_score(dump):
    """select_bad_process(): the most points wins, a later task in the process
    list replaces an earlier one with equal points; its /proc oom_score is the
    highest among the candidates."""
    d = doc(dump)
    want = {r["pid"]: r["oom_score"] for r in truth.tasks(dump.truth("tasks"))}
    cand = [t for t in d["tasks"] if t["reason"] == "eligible"]
    if not cand:
        assert d["victim"] is None
        return
    best = max(t["badness"] for t in cand)
    expect = [t for t in cand if t["badness"] == best][-1]
    assert d["victim"] == expect["pid"]
    assert want[d["victim"]] == max(want[t["pid"]] for t in cand)
    assert [t["pid"] for t in d["tasks"] if t["victim"]] == [d["victim"]]


@dump_params(formats=("elf",), scenarios=("tasks",), phases=("after",))
def test_memhogs_in_the_tasks_scenario(dump):
    """The scenario's 12 helpers with oom_score_adj -1000..1000: the 1000 one is
    the victim, the -1000 one is skipped; memhog THREADS starts that many extra threads
    (vmcores/guest/init: one helper with 2, one with 1)."""
    d = doc(dump)
    hogs = [t for t in d["tasks"] if t["comm"] == "memhog"]
    assert len(hogs) == 12
    assert by_pid(d)[d["victim"]]["oom_score_adj"] == 1000
    assert [t["reason"] for t in hogs if t["oom_score_adj"] == -1000] == ["oom_score_adj_min"]
    assert sorted(t["nr_threads"] for t in hogs) == [1] * 10 + [2, 3]
    for t in hogs:
        assert t["kstacks"] == t["nr_threads"]


def table(text):
    """{pid: (marked, last column)} of the candidate and skipped rows."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(>?)\s+(\d+)\s+(\d+)\s+(\S+)\s+.*\s(\S+)$", line)
        if m and not line.lstrip().startswith("PID"):
            rows[int(m.group(2))] = (m.group(1) == ">", m.group(5))
    return rows


@dump_params(formats=("elf", "filtered"))
def test_table_agrees_with_proc(dump):
    rows = table(crash_output(dump, "oomscore -a -p"))
    d = doc(dump)
    for r in truth.tasks(dump.truth("tasks")):
        marked, last = rows[r["pid"]]
        assert marked == (r["pid"] == d["victim"])
        if by_pid(d)[r["pid"]]["reason"] == "eligible":
            assert int(last) == r["oom_score"]
