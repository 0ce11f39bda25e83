"""oomreport on the oom and allocfail scenarios, against the guest's own log.

Scenarios, formats and kernels, and why (cold CI stays under its budget):
- oom/after, every format (elf, kdump-flat, kdump, filtered) of both kernels,
  CLI: the log is read from the dump's memory, so each format's reader is on
  the path; the OOM event's fields must equal the guest's /dev/kmsg records
  (dmesg truth) and the victim the pid the guest's init saw killed (oomkill).
- oom/before, elf only: the dump precedes the OOM, so no event; the format
  does not matter for an absence.
- allocfail/after, elf and filtered (the production-like makedumpfile -d 31
  file, which drops pages) of both kernels: the replay names fragmentation and
  its per-order free counts equal the guest's /proc/buddyinfo.
- crash: 6.1 only (Debian 12's crash 8.0.2 cannot open 6.12), elf only, one
  session for both scenarios: the extension's JSON equals the CLI's.
- the sanitized CLI on the oom dump with the report's own records garbled.
The base scenarios (tmpfs tasks numa kmod) are not run here.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import random
import re
import shutil

import pytest

import conftest
import truth
from test_cli import KERNELS, KDump, kernel_dir, run
from test_corrupt import SANITIZER, asan, lsan_suppressions  # noqa: F401 (fixture)

FORMATS = ("elf", "kdump-flat", "kdump", "filtered")


# ---- the guest's log, parsed here independently of memscope ----------------------

def kmsg(text):
    """[(seq, usec, text)] of the /dev/kmsg records (level,seq,usec,flags;text);
    the kernel escapes a newline in a record as \\x0a."""
    out = []
    for line in text.splitlines():
        head, sep, body = line.partition(";")
        if not sep or head.count(",") < 3:
            continue
        _, seq, usec, _ = head.split(",", 3)
        body = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), body)
        out.append((int(seq), int(usec), body))
    return out


def expected_oom(records):
    """The first OOM report of the log, as the kernel printed it."""
    ev = None
    cols = None
    for i, (seq, usec, text) in enumerate(records):
        m = re.match(r"^(\S+) invoked oom-killer: gfp_mask=(0x[0-9a-f]+)\(([^)]*)\), "
                     r"order=(-?\d+), oom_score_adj=(-?\d+)$", text)
        if m and ev is None:
            ev = {"seq": seq, "usec": usec, "comm": m.group(1), "gfp_mask": int(m.group(2), 16),
                  "gfp_names": m.group(3), "order": int(m.group(4)), "adj": int(m.group(5)),
                  "meminfo": {}, "zones": {}, "rows": []}
            continue
        if ev is None:
            continue
        m = re.search(r"PID: (\d+) Comm: ", text)
        if m and "pid" not in ev:
            ev["pid"] = int(m.group(1))
        if i and records[i - 1][2] == "Mem-Info:":
            for k, v in re.findall(r"(\w+):(\d+)", text):
                ev["meminfo"][k] = int(v)
        m = re.match(r"^Node (\d+) (\S+) free:(\d+)kB boost:(\d+)kB min:(\d+)kB low:(\d+)kB "
                     r"high:(\d+)kB .* present:(\d+)kB managed:(\d+)kB", text)
        if m:
            z = ev["zones"].setdefault((int(m.group(1)), m.group(2)), {})
            z.update(zip(("free_kb", "boost_kb", "min_kb", "low_kb", "high_kb", "present_kb",
                          "managed_kb"), map(int, m.groups()[2:])))
        m = re.match(r"^Node (\d+) (\S+): (.*) = (\d+)kB$", text)
        if m:
            z = ev["zones"].setdefault((int(m.group(1)), m.group(2)), {})
            z["nr_free"] = [int(c) for c in re.findall(r"(\d+)\*\d+kB", m.group(3))]
        if text.startswith("[  pid  ]"):
            cols = text.split("]", 1)[1].split()
        elif cols and re.match(r"^\[\s*\d+\]", text):
            pid, rest = text[1:].split("]", 1)
            vals = rest.split(None, len(cols) - 1)
            row = dict(zip(cols, vals))
            ev["rows"].append({"pid": int(pid), **{k: (v if k == "name" else int(v))
                                                   for k, v in row.items()}})
        m = re.match(r"^oom-kill:constraint=(\w+),.*,task=(.+),pid=(\d+),uid=(\d+)$", text)
        if m:
            ev["constraint"] = m.group(1)
            ev["task"], ev["task_pid"] = m.group(2), int(m.group(3))
        m = re.match(r"^Out of memory: Killed process (\d+) \((.*)\) total-vm:(\d+)kB, "
                     r"anon-rss:(\d+)kB, file-rss:(\d+)kB, shmem-rss:(\d+)kB, UID:(\d+) "
                     r"pgtables:(\d+)kB oom_score_adj:(-?\d+)$", text)
        if m:
            ev["kill"] = {"seq": seq, "usec": usec, "pid": int(m.group(1)), "comm": m.group(2),
                          **dict(zip(("total_vm_kb", "anon_rss_kb", "file_rss_kb",
                                      "shmem_rss_kb", "uid", "pgtables_kb", "oom_score_adj"),
                                     map(int, m.groups()[2:])))}
            return ev
    return ev


def expected_allocfail(records):
    for seq, usec, text in records:
        m = re.match(r"^(\S+): page allocation failure: order:(\d+), mode:(0x[0-9a-f]+)"
                     r"\(([^)]*)\), nodemask=", text)
        if m:
            return {"seq": seq, "usec": usec, "comm": m.group(1), "order": int(m.group(2)),
                    "gfp_mask": int(m.group(3), 16), "gfp_names": m.group(4)}
    return None


def expected_events(records, after):
    """Every OOM report and allocation failure the kernel logged after seq
    `after`, as (kind, seq, comm, killed pid): a task the OOM killer picked may
    itself log a page allocation failure before it exits, so a run can have one."""
    out = []
    for seq, usec, text in records:
        if seq <= after:
            continue
        m = re.match(r"^(\S+) invoked oom-killer: ", text)
        if m:
            out.append(["oom", seq, m.group(1), None])
        m = re.match(r"^(\S+): page allocation failure: ", text)
        if m:
            out.append(["allocfail", seq, m.group(1), None])
        m = re.match(r"^(?:Out of memory|Memory cgroup out of memory): Killed process (\d+) ", text)
        if m and out and out[-1][0] == "oom" and out[-1][3] is None:
            out[-1][3] = int(m.group(1))
    return [tuple(e) for e in out]


def oomkill(d):
    """The guest's init: "pid PID status STATUS comm COMM" of the task it saw killed."""
    w = d.truth("oomkill").split()
    return {"pid": int(w[1]), "status": int(w[3]), "comm": w[5]}


_json = {}


def report(d, *opts):
    key = (repr(d), opts)
    if key not in _json:
        res = run("oomreport", "--json", *opts, d.path)
        assert res.returncode == 0, res.stderr[-2000:]
        _json[key] = json.loads(res.stdout)
    return _json[key]


def kdumps(scenario, phase, formats):
    return [KDump(k, scenario, phase, f) for k in KERNELS for f in formats]


# ---- oom/after --------------------------------------------------------------------

@pytest.mark.parametrize("d", kdumps("oom", "after", FORMATS), ids=repr)
def test_oom_event_equals_the_guests_log(d):
    exp = expected_oom(kmsg(d.truth("dmesg")))
    assert exp and "kill" in exp, "the guest's log has no OOM report"
    events = [e for e in report(d)["events"] if e["kind"] == "oom"]
    assert len(events) == 1
    e = events[0]
    assert e["missing"] is None
    assert e["seq"] == exp["seq"] and e["ts_nsec"] // 1000 == exp["usec"]
    t = e["trigger"]
    assert (t["comm"], t["pid"], t["gfp_mask"], t["gfp_names_logged"], t["order"],
            t["oom_score_adj"]) == (exp["comm"], exp["pid"], exp["gfp_mask"], exp["gfp_names"],
                                    exp["order"], exp["adj"])
    # the dump's own gfpflag_names spell the mask as %pGg did
    assert t["gfp_names_dump"] == exp["gfp_names"] and t["gfp_same"]
    assert e["constraint"]["constraint"] == exp["constraint"]
    assert (e["constraint"]["task"], e["constraint"]["pid"]) == (exp["task"], exp["task_pid"])
    assert e["meminfo"] == {**e["meminfo"], **exp["meminfo"]} and exp["meminfo"]
    got_zones = {(z["node"], z["zone"]): z for z in e["zones"]}
    assert set(got_zones) == set(exp["zones"])
    for key, z in exp["zones"].items():
        for k, v in z.items():
            assert got_zones[key][k] == v, (key, k)
    assert len(e["tasks"]) == len(exp["rows"])
    for got, row in zip(e["tasks"], exp["rows"]):
        assert (got["pid"], got["tgid"], got["uid"], got["total_vm"], got["rss"],
                got["pgtables_bytes"], got["swapents"], got["oom_score_adj"], got["comm"]) == \
            (row["pid"], row["tgid"], row["uid"], row["total_vm"], row["rss"],
             row["pgtables_bytes"], row["swapents"], row["oom_score_adj"], row["name"])
        for k in ("rss_anon", "rss_file", "rss_shmem"):
            assert got.get(k) == row.get(k)
    k = e["killed"]
    exk = exp["kill"]
    assert k["seq"] == exk["seq"] and k["ts_nsec"] // 1000 == exk["usec"]
    for f in ("pid", "comm", "total_vm_kb", "anon_rss_kb", "file_rss_kb", "shmem_rss_kb", "uid",
              "pgtables_kb", "oom_score_adj"):
        assert k[f] == exk[f], f


@pytest.mark.parametrize("d", kdumps("oom", "after", FORMATS), ids=repr)
def test_oom_victim_is_the_task_the_guest_saw_killed(d):
    seen = oomkill(d)
    assert seen["status"] == 128 + 9      # the shell's status of a SIGKILLed child
    e = [e for e in report(d)["events"] if e["kind"] == "oom"][0]
    assert (e["killed"]["pid"], e["killed"]["comm"]) == (seen["pid"], seen["comm"])
    # the kernel's choice recomputed from the logged table is that task
    assert e["recompute"]["agrees"] and e["recompute"]["chosen_pid"] == seen["pid"]
    # the after dump is taken once the guest reaped it: not in its process list
    assert seen["pid"] not in [t["pid"] for t in truth.tasks(d.truth("tasks"))]
    assert e["now"]["victim"] == "gone"


@pytest.mark.parametrize("kernel", KERNELS)
def test_oom_next_victim_is_the_guests_highest_oom_score(kernel):
    d = KDump(kernel, "oom", "after", "elf")
    tasks = truth.tasks(d.truth("tasks"))
    scores = sorted(((t["oom_score"], t["pid"]) for t in tasks), reverse=True)
    assert scores[0][0] > scores[1][0], "a tie in /proc/PID/oom_score decides nothing"
    assert report(d)["next_victim"]["pid"] == scores[0][1]


@pytest.mark.parametrize("kernel", KERNELS)
def test_oom_before_has_no_event(kernel):
    d = KDump(kernel, "oom", "before", "elf")
    assert expected_oom(kmsg(d.truth("dmesg"))) is None
    assert report(d)["events"] == []


@pytest.mark.parametrize("kernel", KERNELS)
def test_oom_text_says_the_check_and_the_time(kernel):
    d = KDump(kernel, "oom", "after", "elf")
    seen = oomkill(d)
    res = run("oomreport", d.path)
    assert res.returncode == 0, res.stderr
    assert f"picks pid {seen['pid']} ({seen['comm']})" in res.stdout
    assert "agrees with the logged victim" in res.stdout
    assert "the log is from the time of the failure, the zones from the time of the dump" \
        in res.stdout
    pages = run("oomreport", "-p", d.path)
    assert pages.returncode == 0 and pages.stdout != res.stdout


@pytest.mark.parametrize("kernel", KERNELS)
def test_diff_lists_the_oom_between_the_dumps(kernel):
    before, after = KDump(kernel, "oom", "before", "elf"), KDump(kernel, "oom", "after", "elf")
    exp = expected_oom(kmsg(after.truth("dmesg")))
    last_before = kmsg(before.truth("dmesg"))[-1][0]
    assert last_before < exp["seq"]
    res = run("diff", "--json", before.path, after.path)
    assert res.returncode == 0, res.stderr[-2000:]
    d = json.loads(res.stdout)["oom_events"]
    assert d["from_seq"] > last_before and d["note"] is None
    logged = expected_events(kmsg(after.truth("dmesg")), last_before)
    assert logged[0] == ("oom", exp["seq"], exp["comm"], exp["kill"]["pid"])
    assert [(e["kind"], e["seq"], e["comm"], e["killed_pid"]) for e in d["events"]] == logged
    text = run("diff", before.path, after.path).stdout
    assert "OOM events between the dumps" in text and f"killed pid {exp['kill']['pid']}" in text


# ---- allocfail/after -------------------------------------------------------------

@pytest.mark.parametrize("d", kdumps("allocfail", "after", ("elf", "filtered")), ids=repr)
def test_allocfail_replay_names_fragmentation(d):
    exp = expected_allocfail(kmsg(d.truth("dmesg")))
    assert exp, "the guest's log has no allocation failure"
    events = [e for e in report(d)["events"] if e["kind"] == "allocfail"]
    assert len(events) == 1
    e = events[0]
    t = e["trigger"]
    assert e["seq"] == exp["seq"] and e["ts_nsec"] // 1000 == exp["usec"]
    assert (t["comm"], t["order"], t["gfp_mask"], t["gfp_names_logged"]) == \
        (exp["comm"], exp["order"], exp["gfp_mask"], exp["gfp_names"])
    assert t["gfp_names_dump"] == exp["gfp_names"]
    rp = e["replay"]
    assert rp["cause"] == "fragmentation"
    buddy = truth.buddyinfo(d.truth("buddyinfo"))
    assert rp["zones"]
    for z in rp["zones"]:
        assert z["cause"] == "fragmentation"
        assert z["nr_free"] == buddy[(z["node"], z["zone"])], (z["node"], z["zone"])


# ---- the crash front --------------------------------------------------------------

def test_crash_equals_cli():
    dumps = [conftest.Dump("oom", "after", "elf"), conftest.Dump("allocfail", "after", "elf")]
    for d in dumps:
        out = conftest.crash_session(d, ["oomreport --json", "oomreport"])
        cli = report(KDump("6.1", d.scenario, d.phase, d.fmt))
        assert json.loads(out[0]) == cli
        assert "== " in out[1] and "replay" in out[1]


# ---- a garbled report under the sanitizers --------------------------------------

@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("seed", (3, 8))
def test_garbled_report_in_the_dump(kernel, seed, tmp_path, lsan_suppressions):  # noqa: F811
    """The log's own text overwritten around the OOM report: whatever is left
    is parsed, nothing is made up, nothing overruns."""
    d = KDump(kernel, "oom", "after", "elf")
    bad = tmp_path / "vmcore.elf"
    shutil.copyfile(d.path, bad)
    data = bad.read_bytes()
    # every copy of the text (the ring's, and stale ones in free pages or the
    # guest's tmpfs): one of them is the log's
    hits = [m.start() for m in re.finditer(re.escape(b" invoked oom-killer: "), data)][:16]
    assert hits
    r = random.Random(seed)
    with open(bad, "r+b") as f:
        for at in hits:
            for _ in range(40):
                f.seek(max(0, at + r.randrange(-512, 8192)))
                f.write(r.randbytes(r.randrange(1, 64)))
    res = asan(["oomreport", "--json", str(bad)], lsan_suppressions)
    for s in SANITIZER:
        assert s not in res.stderr, res.stderr[-3000:]
    assert res.returncode in (0, 1), res.stderr[-2000:]
    if res.returncode == 0:
        for e in json.loads(res.stdout)["events"]:
            assert e["kind"] in ("oom", "allocfail")
