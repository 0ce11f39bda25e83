"""Parsers of the guest's /proc/pagetypeinfo, and the kernel's fragmentation
arithmetic, for the buddyinfo tests.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import re


def pagetypeinfo(text):
    """{'pageblock_order': int, 'pages_per_block': int,
        'free': {(node, zone, type): [count or '>100000' per order]},
        'blocks': {(node, zone): [pageblocks per migratetype]}}"""
    out = {"free": {}, "blocks": {}}
    for line in text.splitlines():
        m = re.match(r"^Page block order: (\d+)$", line)
        if m:
            out["pageblock_order"] = int(m.group(1))
        m = re.match(r"^Pages per block:\s+(\d+)$", line)
        if m:
            out["pages_per_block"] = int(m.group(1))
        m = re.match(r"^Node\s+(\d+), zone\s+(\S+), type\s+(\S+)\s+(.*)$", line)
        if m:
            cells = [c if c.startswith(">") else int(c) for c in m.group(4).split()]
            out["free"][(int(m.group(1)), m.group(2), m.group(3))] = cells
            continue
        m = re.match(r"^Node (\d+), zone\s+(\S+)\s+([\d ]+)$", line)
        if m:
            out["blocks"][(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
    return out


def _cdiv(a, b):
    """C integer division (truncates toward zero); Python's // floors."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def contig_page_info(nr_free, suitable_order):
    """mm/vmstat.c (v6.1) fill_contig_page_info(): free pages, free blocks, and
    blocks of at least suitable_order counted in units of that order."""
    free_pages = total = suitable = 0
    for order, blocks in enumerate(nr_free):
        total += blocks
        free_pages += blocks << order
        if order >= suitable_order:
            suitable += blocks << (order - suitable_order)
    return free_pages, total, suitable


def unusable_free_index(nr_free, order):
    """mm/vmstat.c (v6.1) unusable_free_index(): 1000 with no free memory, else
    (free_pages - (free_blocks_suitable << order)) * 1000 / free_pages."""
    free_pages, _, suitable = contig_page_info(nr_free, order)
    if free_pages == 0:
        return 1000
    return (free_pages - (suitable << order)) * 1000 // free_pages


def fragmentation_index(nr_free, order):
    """mm/vmstat.c (v6.1) __fragmentation_index(): 0 with no free blocks, -1000
    when a suitable block exists, else
    1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total
    (unsigned long arithmetic returned as int)."""
    free_pages, total, suitable = contig_page_info(nr_free, order)
    if order >= len(nr_free) or total == 0:
        return 0
    if suitable:
        return -1000
    return 1000 - (1000 + free_pages * 1000 // (1 << order)) // total


def index_str(index):
    """unusable_show_print / extfrag_show_print: "%d.%03d" of index / 1000, index % 1000
    in C, so -1000 prints "-1.000" and -500 "0.-500"."""
    quot = _cdiv(index, 1000)
    return "%d.%03d" % (quot, index - quot * 1000)   # Python's %03d pads like C's


def index_table(text):
    """{(node, zone): ['0.000', ...]} from a debugfs extfrag file's layout."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^Node (\d+), zone\s+(\S+) (.*)$", line)
        if m:
            out[(int(m.group(1)), m.group(2))] = m.group(3).split()
    return out
