"""The dumps and the guest's ground truth agree, as crash's own built-ins see them.

crash reads only the atomic counters (not the per-cpu deltas); the guest folded
them (stat_refresh) just before printing, and the dump follows a moment later.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import re

from conftest import dump_params
from conftest import crash_output
import truth

CRASH_COMMANDS = ["kmem -i", "kmem -z"]

# Pages a zone's free count may move between the guest printing zoneinfo and
# the dump: the printing shell's own allocations, not yet folded per-cpu deltas
# (each bounded by stat_threshold, at most 125 in 6.1, per CPU).
FREE_DRIFT_PAGES = 256


def kmem_z_free(text):
    """{(node, zone name): NR_FREE_PAGES} from crash's kmem -z."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'^NODE: (\d+)\s+ZONE: \d+\s+ADDR: \S+\s+NAME: "(\S+)"', line)
        if m:
            cur = (int(m.group(1)), m.group(2))
            continue
        m = re.match(r"^\s+NR_FREE_PAGES: (\d+)", line)
        if m and cur:
            out[cur] = int(m.group(1))
    return out


@dump_params()
def test_memtotal(dump):
    mem = truth.meminfo(dump.truth("meminfo"))
    m = re.search(r"TOTAL MEM\s+(\d+)", crash_output(dump, "kmem -i"))
    assert m, crash_output(dump, "kmem -i")
    assert int(m.group(1)) * 4 == mem["MemTotal"]


@dump_params()
def test_zone_free_pages(dump):
    zones = truth.zoneinfo(dump.truth("zoneinfo"))
    crash = kmem_z_free(crash_output(dump, "kmem -z"))
    populated = {k: v for k, v in zones.items() if v.get("present", 0) > 0}
    assert populated
    for key, z in populated.items():
        assert key in crash, f"{key} missing from kmem -z"
        assert abs(crash[key] - z["nr_free_pages"]) <= FREE_DRIFT_PAGES, (key, crash[key], z)
