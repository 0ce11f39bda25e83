"""zoneinfo: the /proc/zoneinfo layout equals the guest's file; the table, the
JSON and the allocation check agree with it and with crash's own kmem -z.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import re

from conftest import dump_params, crash_output
import truth

NODES = (0, 1)
ZONEREFS = 4      # a 2-node guest with one populated zone per node has at most 3
ZONEREF_CMDS = [f"p node_data[{n}].node_zonelists[0]._zonerefs[{i}]"
                for n in NODES for i in range(ZONEREFS)]
HIGHATOMIC_CMDS = [f"p node_data[{n}].node_zones[{z}].nr_reserved_highatomic"
                   for n in NODES for z in range(5)]
NR_FREE_CMDS = [f"p node_data[{n}].node_zones[{z}].free_area[{o}].nr_free"
                for n in NODES for z in (0, 1) for o in range(11)]
CHECKS = ["zoneinfo -a 0", "zoneinfo -a 3,DMA32 -w min -g atomic", "zoneinfo -a 9 -w high"]
CRASH_COMMANDS = (["zoneinfo", "zoneinfo -p -u", "zoneinfo -z", "zoneinfo -z -r",
                   "zoneinfo --json", "kmem -z"]
                  + [c + " --json" for c in CHECKS] + ZONEREF_CMDS + HIGHATOMIC_CMDS + NR_FREE_CMDS)

# Counters may move between the guest printing zoneinfo and the dump: after
# vm.stat_refresh the guest prints meminfo, zoneinfo, then buddyinfo,
# pagetypeinfo, vmstat and slabinfo with cat, whose allocations land after the
# print: a slab page or a SLUB order-3 block, a per-cpu list refill (batch 15
# pages here), their NUMA hits.  Seen: up to 12 pages (numa/before: an order-2
# and an order-3 block left the buddy lists, 8 went onto a per-cpu list, 4 to
# a new slab), on at most 7 counter lines.  Sizes, watermarks, boost,
# protection, the per-cpu high/batch and thresholds, start_pfn and
# node_unreclaimable are not counters: exact.
COUNTER_DRIFT = 64
MAX_DRIFTED_LINES = 12
COUNTER_LINE = re.compile(r"^(      \S+\s+|  pages free\s+|              count: )(\d+)$")


def proc_text(dump, cmd="zoneinfo -z"):
    return crash_output(dump, cmd).strip("\n").splitlines()


@dump_params()
def test_proc_layout_equals_guest_file(dump):
    """Line for line: the same lines, keys and spacing; counters within the drift."""
    want = dump.truth("zoneinfo").strip("\n").splitlines()
    got = proc_text(dump)
    assert len(got) == len(want), "\n".join(got[:20])
    drifted = []
    for g, w in zip(got, want):
        if g == w:
            continue
        mg, mw = COUNTER_LINE.match(g), COUNTER_LINE.match(w)
        assert mg and mw and mg.group(1) == mw.group(1), (g, w)
        assert abs(int(mg.group(2)) - int(mw.group(2))) <= COUNTER_DRIFT, (g, w)
        drifted.append(g)
    # Drift is the exception: nearly every counter line must be exact.
    assert len(drifted) <= MAX_DRIFTED_LINES, drifted


@dump_params(formats=("elf",))
def test_exact_fields(dump):
    """managed/present/spanned/min/low/high/boost/cma/protection: exact, every zone."""
    want = truth.zoneinfo(dump.truth("zoneinfo"))
    got = truth.zoneinfo("\n".join(proc_text(dump)))
    assert set(got) == set(want)
    for key, z in want.items():
        for f in ("spanned", "present", "managed", "min", "low", "high", "boost", "cma",
                  "protection"):
            assert got[key][f] == z[f], (key, f)


# crash prints enumerator names; /proc prints vmstat_text[] (equal but for these).
KMEM_Z_NAMES = {"NR_FREE_CMA_PAGES": "nr_free_cma"}


def kmem_z(text):
    """{(node, zone): {'SIZE', 'PRESENT', 'MIN', 'LOW', 'HIGH', 'ADDR', item: value}}"""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'^NODE: (\d+)\s+ZONE: \d+\s+ADDR: (\S+)\s+NAME: "(\S+)"', line)
        if m:
            cur = out.setdefault((int(m.group(1)), m.group(3)), {"ADDR": int(m.group(2), 16)})
            continue
        if cur is None:
            continue
        for k, v in re.findall(r"(SIZE|PRESENT): (\d+)", line):
            cur[k] = int(v)
        m = re.search(r"MIN/LOW/HIGH: (\d+)/(\d+)/(\d+)", line)
        if m:
            cur["MIN"], cur["LOW"], cur["HIGH"] = map(int, m.groups())
        m = re.match(r"^\s*(NR_\w+): (\d+)$", line)
        if m:
            cur[m.group(1)] = int(m.group(2))
    return out


@dump_params(formats=("elf", "filtered"))
def test_atomic_counters_equal_crash_kmem_z(dump):
    """zoneinfo -z -r prints the atomics alone: crash's kmem -z reads the same."""
    crash = kmem_z(crash_output(dump, "kmem -z"))
    got = truth.zoneinfo("\n".join(proc_text(dump, "zoneinfo -z -r")))
    populated = [k for k, z in got.items() if z["present"]]
    assert populated
    for key in populated:
        c, z = crash[key], got[key]
        assert (c["SIZE"], c.get("PRESENT", c["SIZE"])) == (z["spanned"], z["present"]), key
        # crash prints the watermarks without the boost; the guest's boost is 0.
        assert z["boost"] == 0
        assert (c["MIN"], c["LOW"], c["HIGH"]) == (z["min"], z["low"], z["high"]), key
        # Every zone_stat_item crash lists, under vmstat_text[]'s name.
        items = [k for k in c if k.startswith("NR_")]
        assert len(items) >= 10
        for item in items:
            name = KMEM_Z_NAMES.get(item, item.lower())
            assert c[item] == z[name], (key, item)


@dump_params(formats=("elf",))
def test_table_and_json_agree_with_proc(dump):
    want = truth.zoneinfo(dump.truth("zoneinfo"))
    doc = json.loads(crash_output(dump, "zoneinfo --json"))
    rows = {}
    for line in crash_output(dump, "zoneinfo -p -u").splitlines()[1:]:
        f = line.split()
        if len(f) >= 11 and f[0].isdigit():
            rows[(int(f[0]), f[1])] = [int(x) for x in f[2:11]]
    assert set(rows) == set(want)
    for node in doc["nodes"]:
        for z in node["zones"]:
            key = (node["node"], z["zone"])
            w = want[key]
            for f in ("spanned", "present", "managed", "min", "low", "high", "boost", "cma",
                      "protection"):
                assert z[f] == w[f], (key, f)
            spanned, present, managed, free, mn, lo, hi, boost, pcp = rows[key]
            assert (spanned, present, managed, mn, lo, hi, boost) == \
                (w["spanned"], w["present"], w["managed"], w["min"], w["low"], w["high"],
                 w["boost"])
            if not z["populated"]:
                continue
            assert abs(free - w["nr_free_pages"]) <= COUNTER_DRIFT
            assert z["stats"]["nr_free_pages"] == free
            assert pcp == z["pcp_pages"] == sum(p["count"] for p in z["pagesets"])


def zonerefs(dump, node):
    """[(zone address, zone_idx)] of node's fallback zonelist, from crash's gdb."""
    out = []
    for i in range(ZONEREFS):
        text = crash_output(dump, f"p node_data[{node}].node_zonelists[0]._zonerefs[{i}]")
        m = re.search(r"zone = (0x[0-9a-f]+|0x0)", text)
        idx = re.search(r"zone_idx = (\d+)", text)
        if not m or int(m.group(1), 16) == 0:
            break
        out.append((int(m.group(1), 16), int(idx.group(1))))
    return out


def nr_free(dump, node, zone, order):
    """free_area[order].nr_free as crash's gdb reads it from the dump (the guest's
    buddyinfo was printed a moment earlier and may be a block or two off)."""
    text = crash_output(dump, f"p node_data[{node}].node_zones[{zone}].free_area[{order}].nr_free")
    return int(re.search(r"= (\d+)", text).group(1))


def expected_check(dump, order, highest, wmark, flags_atomic):
    """The zones the check must list, and its verdict, from the guest's /proc
    (watermarks, protection) and crash (zonelist, free pages and blocks, reserve)."""
    zi = truth.zoneinfo(dump.truth("zoneinfo"))
    crash = kmem_z(crash_output(dump, "kmem -z"))
    by_addr = {c["ADDR"]: key for key, c in crash.items()}
    rows = []
    for addr, idx in zonerefs(dump, 0):
        if idx > highest:
            continue
        key = by_addr[addr]
        node, zname = key
        text = crash_output(dump, f"p node_data[{node}].node_zones[{idx}].nr_reserved_highatomic")
        reserve_ha = int(re.search(r"= (\d+)", text).group(1))
        mark = zi[key][wmark]
        unusable = (1 << order) - 1
        if flags_atomic:
            mark -= mark // 2
            mark -= mark // 4
        else:
            unusable += reserve_ha
        need = mark + zi[key]["protection"][highest]
        free = crash[key]["NR_FREE_PAGES"]
        blocks = sum(nr_free(dump, node, idx, o) for o in range(order, 11))
        rows.append({"node": node, "zone": zname, "free_pages": free, "unusable": unusable,
                     "min": mark, "need": need, "blocks_at_or_above_order": blocks,
                     "below": free - unusable <= need})
    return rows


@dump_params(formats=("elf",))
def test_allocation_check(dump):
    cases = [("zoneinfo -a 0 --json", 0, 2, "low", False),
             ("zoneinfo -a 3,DMA32 -w min -g atomic --json", 3, 1, "min", True),
             ("zoneinfo -a 9 -w high --json", 9, 2, "high", False)]
    for cmd, order, highest, wmark, atomic in cases:
        doc = json.loads(crash_output(dump, cmd))
        want = expected_check(dump, order, highest, wmark, atomic)
        assert doc["highest_zoneidx"] == highest and doc["order"] == order
        assert len(doc["zones"]) == len(want) > 0, cmd
        first = None
        for i, (z, w) in enumerate(zip(doc["zones"], want)):
            for f in ("node", "zone", "free_pages", "unusable", "min", "need",
                      "blocks_at_or_above_order"):
                assert z[f] == w[f], (cmd, f, z, w)
            if w["below"]:
                assert not z["pass"] and z["verdict"] == "below_watermark"
            elif order == 0:
                assert z["pass"]
            else:
                # Order > 0 passes only with a block on a list it may use.
                assert z["pass"] == (z["order_found"] >= order)
                assert z["pass"] or w["blocks_at_or_above_order"] == 0 or \
                    z["verdict"] == "no_suitable_block"
            if z["pass"] and first is None:
                first = i
        assert doc["first_pass"] == first, cmd
