"""buddyinfo equals the guest's /proc/buddyinfo.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json

from conftest import dump_params, crash_output
import truth

CRASH_COMMANDS = ["buddyinfo", "buddyinfo --json"]


@dump_params()
def test_buddyinfo_matches_proc(dump):
    """The guest prints buddyinfo right before the dump and then only waits on
    the console, so every order's count is expected to be identical."""
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
