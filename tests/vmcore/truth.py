"""Parsers of the guest's own /proc files saved next to each dump.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import re


def meminfo(text):
    """{'MemTotal': kB, ...}; HugePages_* and other unit-less lines as counts."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([^:]+):\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def buddyinfo(text):
    """{(node, zone): [nr_free per order]}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^Node (\d+), zone\s+(\S+)\s+(.*)$", line)
        if m:
            out[(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
    return out


def zoneinfo(text):
    """{(node, zone): {key: value}} with every 'key value' line of each zone section;
    'protection' as a list, per-cpu pageset lines left out."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^Node (\d+), zone\s+(\S+)", line)
        if m:
            cur = out.setdefault((int(m.group(1)), m.group(2)), {})
            continue
        if cur is None or line.startswith("    pagesets") or re.match(r"^\s+cpu:", line):
            continue
        m = re.match(r"^\s+protection: \((.*)\)", line)
        if m:
            cur["protection"] = [int(x) for x in m.group(1).split(",")]
            continue
        m = re.match(r"^\s+(\S+)\s+(-?\d+)$", line)
        if m and m.group(1) not in cur:
            cur[m.group(1)] = int(m.group(2))
    return out


def tasks(text):
    """[{'pid', 'oom_score', 'oom_score_adj', 'RssAnon', 'RssFile', 'RssShmem', 'VmPTE',
    'VmSwap', 'comm'}]; '-' (kernel threads) as None."""
    rows = []
    keys = ("pid", "oom_score", "oom_score_adj", "RssAnon", "RssFile", "RssShmem", "VmPTE",
            "VmSwap")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split(None, len(keys))
        row = {k: (None if v == "-" else int(v)) for k, v in zip(keys, parts)}
        row["comm"] = parts[len(keys)] if len(parts) > len(keys) else ""
        rows.append(row)
    return rows
