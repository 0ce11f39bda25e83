"""buddyinfo equals the guest's /proc/buddyinfo; -m its /proc/pagetypeinfo;
-v finds the free lists consistent with nr_free; -u/-f the extfrag indexes
the kernel's own formula gives on the guest's /proc/buddyinfo.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json

from conftest import dump_params, crash_output
import truth
import truth_buddy

CRASH_COMMANDS = ["buddyinfo", "buddyinfo --json", "buddyinfo -m", "buddyinfo -v",
                  "buddyinfo -u", "buddyinfo -f", "buddyinfo -m -v -u -f --json"]

# The guest prints buddyinfo, pagetypeinfo and the rest right before the dump and
# then only waits on the console: every count is expected to be identical.


@dump_params()
def test_buddyinfo_matches_proc(dump):
    want = truth.buddyinfo(dump.truth("buddyinfo"))
    got = truth.buddyinfo(crash_output(dump, "buddyinfo"))
    assert got == want


@dump_params(formats=("elf",))
def test_buddyinfo_json_agrees_with_table(dump):
    table = truth.buddyinfo(crash_output(dump, "buddyinfo"))
    doc = json.loads(crash_output(dump, "buddyinfo --json"))
    for z in doc["zones"]:
        assert z["complete"]
        assert table[(z["node"], z["zone"])] == z["nr_free"]
        assert z["free_pages"] == sum(n << o for o, n in enumerate(z["nr_free"]))


@dump_params()
def test_pagetypeinfo_free_lists_match_proc(dump):
    """Every free-list count per zone, migratetype and order, the migratetype
    names and the pageblock order equal the guest's /proc/pagetypeinfo.  This
    includes the makedumpfile -d 31 dump: it drops free pages' contents but
    keeps the struct pages, whose buddy_list links are what the walk reads."""
    want = truth_buddy.pagetypeinfo(dump.truth("pagetypeinfo"))
    out = crash_output(dump, "buddyinfo -m")
    got = truth_buddy.pagetypeinfo(out)
    assert want["free"], dump.truth("pagetypeinfo")
    assert got["free"] == want["free"]
    assert got["pageblock_order"] == want["pageblock_order"]
    assert got["pages_per_block"] == want["pages_per_block"]
    # The header lines are the kernel's, byte for byte, once per node.
    lines = [ln for ln in dump.truth("pagetypeinfo").splitlines()
             if ln.startswith(("Page block", "Pages per", "Free pages count"))]
    assert [ln for ln in out.splitlines()
            if ln.startswith(("Page block", "Pages per", "Free pages count"))] == lines
    # The pageblock table is announced as not shown, never printed with numbers.
    assert not got["blocks"]
    assert "not shown" in out
    assert "memscope:" not in out


@dump_params()
def test_verify_finds_no_mismatch(dump):
    out = crash_output(dump, "buddyinfo -v")
    zones = truth.buddyinfo(dump.truth("buddyinfo"))
    assert f"verify: {len(zones)} zones, 0 orders with a mismatch" in out, out
    ok_lines = [ln for ln in out.splitlines() if " ok: " in ln]
    assert len(ok_lines) == len(zones), out
    for (node, zone), counts in zones.items():
        blocks = sum(counts)
        assert any(ln.startswith(f"Node {node}, zone {zone:>8s} ") and f"ok: {blocks} blocks" in ln
                   for ln in ok_lines), out


@dump_params()
def test_fragmentation_indexes(dump):
    """unusable_index / extfrag_index recomputed here from the guest's own
    /proc/buddyinfo with mm/vmstat.c's formulas (truth_buddy.py) and printed
    the kernel's way ("%d.%03d")."""
    buddy = truth.buddyinfo(dump.truth("buddyinfo"))
    unusable = truth_buddy.index_table(crash_output(dump, "buddyinfo -u"))
    extfrag = truth_buddy.index_table(crash_output(dump, "buddyinfo -f"))
    assert set(unusable) == set(buddy) == set(extfrag)
    for key, nr_free in buddy.items():
        orders = range(len(nr_free))
        assert unusable[key] == [truth_buddy.index_str(truth_buddy.unusable_free_index(nr_free, o))
                                 for o in orders]
        assert extfrag[key] == [truth_buddy.index_str(truth_buddy.fragmentation_index(nr_free, o))
                                for o in orders]


@dump_params(formats=("elf", "filtered"))
def test_json_sections(dump):
    doc = json.loads(crash_output(dump, "buddyinfo -m -v -u -f --json"))
    want = truth_buddy.pagetypeinfo(dump.truth("pagetypeinfo"))
    buddy = truth.buddyinfo(dump.truth("buddyinfo"))
    pti = doc["pagetypeinfo"]
    assert pti["pageblock_order"] == want["pageblock_order"]
    for z in pti["zones"]:
        assert not z["damaged"]
        for mt, counts in z["free"].items():
            assert counts == want["free"][(z["node"], z["zone"], mt)]
    assert doc["verify"]["problems"] == 0
    assert all(z["ok"] for z in doc["verify"]["zones"])
    for z in doc["unusable_index"]["zones"]:
        nr_free = buddy[(z["node"], z["zone"])]
        assert z["index"] == [truth_buddy.unusable_free_index(nr_free, o)
                              for o in range(len(nr_free))]
    for z in doc["extfrag_index"]["zones"]:
        nr_free = buddy[(z["node"], z["zone"])]
        assert z["index"] == [truth_buddy.fragmentation_index(nr_free, o)
                              for o in range(len(nr_free))]
