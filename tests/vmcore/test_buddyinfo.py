"""buddyinfo equals the guest's /proc/buddyinfo; -m its whole /proc/pagetypeinfo;
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
def test_pagetypeinfo_matches_proc(dump):
    """The whole of the guest's /proc/pagetypeinfo, line for line and byte for
    byte: the free-list counts per zone, migratetype and order (walked), the
    "Number of blocks type" table (pageblock bitmaps of the sparse memory
    model), headers and names.  This includes the makedumpfile -d 31 dump: it
    drops free pages' contents but keeps the struct pages (buddy_list links)
    and the kernel's mem_section data."""
    want = dump.truth("pagetypeinfo")
    out = crash_output(dump, "buddyinfo -m")
    parsed = truth_buddy.pagetypeinfo(want)
    assert parsed["free"] and parsed["blocks"], want
    assert "memscope:" not in out
    assert out.rstrip("\n").split("\n") == want.rstrip("\n").split("\n")


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
    zoneinfo = truth.zoneinfo(dump.truth("zoneinfo"))
    pti = doc["pagetypeinfo"]
    assert pti["pageblock_order"] == want["pageblock_order"]
    assert pti["page_owner"] in ("absent", "off")   # the guest prints no mixed-blocks table
    assert {(z["node"], z["zone"]) for z in pti["zones"]} == set(want["blocks"])
    for z in pti["zones"]:
        assert not z["damaged"]
        for mt, counts in z["free"].items():
            assert counts == want["free"][(z["node"], z["zone"], mt)]
        # Pageblocks per migratetype, in the order of the guest's table header.
        blocks = z["pageblocks"]
        assert blocks["status"] == "ok"
        assert list(blocks["count"].values()) == want["blocks"][(z["node"], z["zone"])]
        assert list(blocks["count"]) == pti["migratetypes"]
        # The walk covers the zone's span as the guest's zoneinfo gives it, one
        # step per pageblock: every step counted, offline, or of no migratetype.
        zi = zoneinfo[(z["node"], z["zone"])]
        assert (blocks["start_pfn"], blocks["end_pfn"]) == \
            (zi["start_pfn:"], zi["start_pfn:"] + zi["spanned"])
        steps = len(range(blocks["start_pfn"], blocks["end_pfn"], want["pages_per_block"]))
        assert sum(blocks["count"].values()) + blocks["offline"] + blocks["beyond_types"] == steps
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
