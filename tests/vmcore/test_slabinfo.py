"""slabinfo equals the guest's /proc/slabinfo; cache memory + slab pages in no
cache equals meminfo's Slab.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import re

from conftest import dump_params, crash_output
import truth

CRASH_COMMANDS = ["slabinfo -p", "slabinfo --json", "slabinfo -n 5"]

PAGE_KB = 4

# Caches whose active_objs may differ between the guest's print and the dump.
# The guest prints slabinfo and then only echoes a line and waits on the
# console; the one thing that can move is a slab changing hands between a
# node partial list (counted free) and a CPU (counted active), which moves
# active_objs by at most one slab's objects (objperslab).  Every other field
# is a per-node counter that only changes when a slab is allocated or freed:
# those must be equal.  (Measured on every dump so far: no drift at all.)
MAX_DRIFTING_CACHES = 3

# meminfo is printed first, slabinfo last (after zoneinfo, buddyinfo,
# pagetypeinfo, vmstat): the shell's reads allocate and free seq_file
# buffers, and an order-1 kmalloc_large still held when meminfo is read
# shows as 2 pages of Slab in no cache.  Measured: 0 or 8 kB.
SLAB_DRIFT_KB = 16


def proc_slabinfo(text):
    """(header lines, [(name, {field: int})]) in file order."""
    lines = [l for l in text.splitlines() if l.strip()]
    start = next(i for i, l in enumerate(lines) if l.startswith("slabinfo - version"))
    rows = []
    for line in lines[start + 2:]:
        m = re.match(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+(\d+)\s+(\d+)"
                     r"\s+(\d+) : slabdata\s+(\d+)\s+(\d+)\s+(\d+)$", line)
        assert m, f"not a slabinfo line: {line!r}"
        keys = ("active_objs", "num_objs", "objsize", "objperslab", "pagesperslab", "limit",
                "batchcount", "sharedfactor", "active_slabs", "num_slabs", "sharedavail")
        rows.append((m.group(1), dict(zip(keys, map(int, m.groups()[1:])))))
    return lines[start:start + 2], rows


@dump_params()
def test_slabinfo_matches_proc(dump):
    want_hdr, want = proc_slabinfo(dump.truth("slabinfo"))
    got_hdr, got = proc_slabinfo(crash_output(dump, "slabinfo -p"))
    assert got_hdr == want_hdr
    # Every kmem_cache of slab_caches once, in the kernel's order.
    assert [n for n, _ in got] == [n for n, _ in want]
    drifting = []
    for (name, g), (_, w) in zip(got, want):
        exact = {k: v for k, v in g.items() if k != "active_objs"}
        assert exact == {k: v for k, v in w.items() if k != "active_objs"}, name
        if g["active_objs"] != w["active_objs"]:
            assert abs(g["active_objs"] - w["active_objs"]) <= w["objperslab"], name
            drifting.append(name)
    assert len(drifting) <= MAX_DRIFTING_CACHES, drifting


@dump_params(formats=("elf", "filtered"))
def test_slabinfo_text_is_byte_identical_where_nothing_moved(dump):
    """Where no cache drifted, the /proc layout is the guest's file, byte for byte."""
    _, want = proc_slabinfo(dump.truth("slabinfo"))
    _, got = proc_slabinfo(crash_output(dump, "slabinfo -p"))
    if got == want:
        lines = [l for l in crash_output(dump, "slabinfo -p").splitlines() if l]
        start = next(i for i, l in enumerate(lines) if l.startswith("slabinfo - version"))
        assert lines[start:] == dump.truth("slabinfo").splitlines()


@dump_params()
def test_slab_total_and_pages_in_no_cache(dump):
    mi = truth.meminfo(dump.truth("meminfo"))
    _, want = proc_slabinfo(dump.truth("slabinfo"))
    doc = json.loads(crash_output(dump, "slabinfo --json"))
    assert doc["list_complete"] and all(c["complete"] for c in doc["caches"])
    cache_kb = doc["cache_bytes"] // 1024
    # Cache memory is num_slabs * pagesperslab pages of the guest's own file.
    assert cache_kb == sum(w["num_slabs"] * w["pagesperslab"] * PAGE_KB for _, w in want)
    uncached_kb = doc["uncached_bytes"] // 1024
    assert uncached_kb >= 0
    assert cache_kb + uncached_kb == doc["slab_bytes"] // 1024
    assert abs(cache_kb + uncached_kb - mi["Slab"]) <= SLAB_DRIFT_KB
    assert abs(uncached_kb - (mi["Slab"] - cache_kb)) <= SLAB_DRIFT_KB


@dump_params(formats=("elf",))
def test_json_agrees_with_proc_layout(dump):
    _, table = proc_slabinfo(crash_output(dump, "slabinfo -p"))
    doc = json.loads(crash_output(dump, "slabinfo --json"))
    assert [c["name"] for c in doc["caches"]] == [n for n, _ in table]
    for c, (_, row) in zip(doc["caches"], table):
        assert (c["active_objs"], c["num_objs"], c["size"], c["objects_per_slab"],
                c["pages_per_slab"], c["num_slabs"]) == \
            (row["active_objs"], row["num_objs"], row["objsize"], row["objperslab"],
             row["pagesperslab"], row["num_slabs"])
        assert c["num_objs"] == sum(n["total_objects"] for n in c["nodes"])
        assert c["free_objs"] == sum(n["partial_free"] for n in c["nodes"])
        assert c["bytes"] == c["num_slabs"] * c["pages_per_slab"] * PAGE_KB * 1024


@dump_params(formats=("elf",), scenarios=("numa",))
def test_numa_caches_have_both_nodes(dump):
    doc = json.loads(crash_output(dump, "slabinfo --json"))
    nodes = {n["node"] for c in doc["caches"] for n in c["nodes"]}
    assert nodes == {0, 1}


@dump_params(formats=("elf",))
def test_top_table_is_the_biggest_caches(dump):
    _, want = proc_slabinfo(dump.truth("slabinfo"))
    out = crash_output(dump, "slabinfo -n 5").splitlines()
    hdr = next(i for i, l in enumerate(out) if l.startswith("CACHE"))
    names = [l.split()[0] for l in out[hdr + 1:hdr + 6]]
    size = {n: w["num_slabs"] * w["pagesperslab"] for n, w in want}
    biggest = sorted(size.values(), reverse=True)[:5]
    assert [size[n] for n in names] == biggest
    assert any(l.startswith("slab pages in no cache") for l in out)
