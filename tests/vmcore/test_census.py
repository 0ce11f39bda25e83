"""pages: the census of every page against the guest's own /proc/meminfo.

What runs where, and why:
- tmpfs, tasks and kmod, both phases, both kernels, ELF and the filtered
  file (every format reads the memmap alike: the memmap is kernel data that
  makedumpfile keeps; ELF and -d 31 bound the cost to two formats).
- Each class with a counter against the guest's meminfo printed right
  before the dump, within the drift stated in DRIFT_PAGES and why.
- The sum of the classes is every online pfn walked, and those less the
  reserved pages are MemTotal exactly (totalram_pages: managed pages).
- kmod: the module's 100 MiB of alloc_pages() (memeater.ko mib=100) is the
  growth of "allocated, no owner type" between the two dumps.
- the per-cpu lists' blocks: equal to the lists' own counts in the dump,
  and to the guest's zoneinfo "count:" lines within PCP_DRIFT; "allocated,
  refcount 0" (the pages after the first of a non-compound allocation) does
  not grow with storm's forks: the second page of each order-1 PGD
  (PGD_ALLOCATION_ORDER with page table isolation built in) is an upper
  page table, found by the page-table walk.
- pipe buffers and upper page tables, on consumers and storm: equal to
  meminfo's consumers of the same walks; pipehold's pages in the pipe class;
  the upper levels two PGD pages a process (6.12, exact against the guest's
  count of processes) or that and 1-3 PUDs (6.1).
- vmalloc and kernel stacks (pages of VM_ALLOC areas, of live threads' stack
  areas): equal to VmallocUsed - KernelStack and KernelStack of the guest's
  meminfo, to the page, on ELF dumps of the census scenarios and storm (1,500
  forked children: thousands of stacks), both kernels, and on 6.1's filtered
  files.  6.12's -d 31 files lack the slab pages holding the task and
  vmap_area lists (see test_tasks.py): there the census must say its walks
  were cut short, and the classes stay below the counters.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import re

import pytest

from test_cli import KERNELS, KDump, run

SCENARIOS = ("tmpfs", "tasks", "kmod")
FORMATS = ("elf", "filtered")

# class -> (meminfo lines summed, drift in pages and why)
CHECKS = {
    # NR_FREE_PAGES moves between the guest's print and the dump's moment
    # (test_meminfo's MemFree drift of 1 MiB).
    "buddy": (("MemFree",), 256),
    # Active/Inactive(anon) hold shmem too (folio_is_file_lru() is
    # !PG_swapbacked): the census's anon + shmem LRU pages.
    "lru_anon": (("Active(anon)", "Inactive(anon)"), 64),
    "lru_shmem": (("Shmem",), 64),
    "lru_file": (("Active(file)", "Inactive(file)"), 64),
    "unevictable": (("Unevictable",), 16),
    "pagetable": (("PageTables",), 16),
}
# Slab counts kmalloc_large() pages (NR_SLAB_UNRECLAIMABLE_B, mm/slub.c
# kmalloc_large_node_notrace()) that have no PG_slab or slab type: the census
# has them as "no owner", so its slab is below Slab by up to this much.
SLAB_BELOW = 1024


def meminfo(dump):
    return {m[1]: int(m[2]) for m in re.finditer(r"^([\w()]+):\s+(\d+)", dump.truth("meminfo"), re.M)}


_docs = {}


def census(dump):
    key = repr(dump)
    if key not in _docs:
        res = run("pages", "--json", dump.path)
        assert res.returncode == 0, res.stderr
        _docs[key] = json.loads(res.stdout)
    return _docs[key]


def dumps(formats=FORMATS, scenarios=SCENARIOS):
    return pytest.mark.parametrize("dump", [
        pytest.param(KDump(k, s, p, f), id=f"{k}/{s}/{p}/{f}")
        for k in KERNELS for s in scenarios for p in ("before", "after") for f in formats])


@dumps()
def test_classes_against_meminfo(dump):
    doc, mi = census(dump), meminfo(dump)
    kb = doc["page_kb"]
    cls = doc["classes"]
    assert doc["complete"], doc.get("why")
    for name, (lines, drift) in CHECKS.items():
        want = sum(mi[line] for line in lines) // kb
        got = cls[name]["pages"] + (cls["lru_shmem"]["pages"] if name == "lru_anon" else 0)
        assert abs(got - want) <= drift, (name, got, want)
    slab = mi["Slab"] // kb
    assert 0 <= slab - cls["slab"]["pages"] <= SLAB_BELOW, (cls["slab"]["pages"], slab)
    # those kmalloc_large() pages are shown among the pages with no owner type
    large = cls["slab"]["counter_pages"] - cls["slab"]["pages"]
    assert cls["no_owner"]["kmalloc_large_pages"] == large <= cls["no_owner"]["pages"]
    if "HugePages_Total" in mi:
        assert cls["hugetlb"]["pages"] == mi["HugePages_Total"] * mi["Hugepagesize"] // kb


@dumps()
def test_sum_is_present(dump):
    doc, mi = census(dump), meminfo(dump)
    cls = doc["classes"]
    assert sum(c["pages"] for c in cls.values()) == doc["pfns"]
    assert doc["pfns"] - cls["reserved"]["pages"] == mi["MemTotal"] // doc["page_kb"]
    assert cls["tail_orphan"]["pages"] == 0 and doc["corrupt"] == 0


# The per-cpu lists move between the guest's print of zoneinfo and the dump
# (seen: 2 pages); a quiet guest keeps them within this.
PCP_DRIFT = 64


@dumps()
def test_pcp_blocks_equal_the_counts(dump):
    doc = census(dump)
    cls = doc["classes"]
    assert doc["pcp_complete"] and doc["pcp_why"] is None, doc["pcp_why"]
    assert cls["pcp"]["diff_pages"] == 0
    counts = sum(int(m) for m in re.findall(r"^\s+count:\s+(\d+)$", dump.truth("zoneinfo"), re.M))
    assert abs(cls["pcp"]["pages"] - counts) <= PCP_DRIFT, (cls["pcp"]["pages"], counts)


def processes(dump):
    """User processes (an mm: a VmSize line) in the guest's status files."""
    return len(re.findall(r"^VmSize:", dump.truth("status"), re.M))


@pytest.mark.parametrize("kernel", KERNELS)
def test_forked_pgds_are_upper_page_tables(kernel):
    """The second page of each forked process's order-1 PGD has refcount 0;
    the page-table walk claims it, so "allocated, refcount 0" stays put and
    "page tables, upper" grows by the PGD pair of every fork."""
    b, a = (KDump(kernel, "storm", p, "elf") for p in ("before", "after"))
    cb, ca = census(b)["classes"], census(a)["classes"]
    forked = processes(a) - processes(b)
    assert forked > 1000
    assert abs(ca["ref0"]["pages"] - cb["ref0"]["pages"]) <= 8, (cb["ref0"], ca["ref0"])
    assert ca["pgtable_upper"]["pages"] - cb["pgtable_upper"]["pages"] >= 2 * forked


# The scenarios with pipes full of data (consumers) and with 1,500 processes
# (storm), both phases, both kernels, ELF; and the filtered files where the
# task list survives (6.1: see test_tasks.py for 6.12's -d 31 files).
PIPE_PGT_DUMPS = [pytest.param(KDump(k, s, p, f), id=f"{k}/{s}/{p}/{f}")
                  for k in KERNELS for s in ("consumers", "storm") for p in ("before", "after")
                  for f in FORMATS if not (k == "6.12" and f == "filtered")]


@pytest.mark.parametrize("dump", PIPE_PGT_DUMPS)
def test_pipe_and_upper_pgtable_classes(dump):
    """Pipe buffers and upper page tables: every page the walks find is in the
    memmap without a page type, so the classes equal meminfo's consumers of
    the same names; against the guest: pipehold's own pages (what it wrote,
    its spare page) are in the pipe class, and the upper levels are each
    process's PGD pair (page table isolation built in) and, on 6.1 only,
    its PUD pages (1 to 3: text and heap low, mmap and stack high); 6.12's
    PUDs carry the table type, NR_PAGETABLE counts them, and they stay
    page tables."""
    from test_consumers import own_pages, truth_pipes

    doc = census(dump)
    cls = doc["classes"]
    assert doc["owners_complete"], doc["owners_why"]
    u = {c["key"]: c for c in json.loads(run("meminfo", "--json", dump.path).stdout)
         ["summary"]["uncounted"]["consumers"]}
    assert cls["pipe"]["pages"] == u["pipes"]["pages"]
    assert cls["pgtable_upper"]["pages"] == u["pgtables_upper"]["pages"]
    if dump.scenario == "consumers":
        assert cls["pipe"]["pages"] >= own_pages(truth_pipes(dump)) > (0 if dump.phase == "after" else -1)
    n = processes(dump)
    if dump.kernel == "6.12":
        assert cls["pgtable_upper"]["pages"] == 2 * n, (cls["pgtable_upper"], n)
    else:
        assert 3 * n <= cls["pgtable_upper"]["pages"] <= 5 * n, (cls["pgtable_upper"], n)


OWNER_DUMPS = [pytest.param(KDump(k, s, p, f), id=f"{k}/{s}/{p}/{f}")
               for k in KERNELS for s in (*SCENARIOS, "storm") for p in ("before", "after")
               for f in FORMATS if not (k == "6.12" and f == "filtered")]


@pytest.mark.parametrize("dump", OWNER_DUMPS)
def test_vmalloc_and_stacks_equal_the_counters(dump):
    doc, mi = census(dump), meminfo(dump)
    kb, cls = doc["page_kb"], doc["classes"]
    assert doc["owners_complete"] and doc["owners_why"] is None, doc["owners_why"]
    # account_kernel_stack(): the live threads' stacks, idle threads included
    assert cls["kstack"]["pages"] == mi["KernelStack"] // kb
    # vmalloc_nr_pages(): every VM_ALLOC page, the stacks and the cached ones too
    assert cls["vmalloc"]["pages"] + cls["kstack"]["pages"] == mi["VmallocUsed"] // kb
    assert cls["kstack"]["diff_pages"] == 0 and cls["vmalloc"]["diff_pages"] == 0


@pytest.mark.parametrize("phase", ("before", "after"))
def test_owners_partial_on_612_filtered(phase):
    dump = KDump("6.12", "tasks", phase, "filtered")
    doc, mi = census(dump), meminfo(dump)
    kb, cls = doc["page_kb"], doc["classes"]
    assert not doc["owners_complete"] and doc["owners_why"]
    assert cls["kstack"]["pages"] < mi["KernelStack"] // kb
    text = run("pages", dump.path).stdout
    assert "vmalloc, kernel stack, pipe, socket and upper page-table pages partly told apart: " in text


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_kmod_no_owner_growth(kernel, fmt):
    b, a = (census(KDump(kernel, "kmod", p, fmt))["classes"] for p in ("before", "after"))
    grown = a["no_owner"]["pages"] - b["no_owner"]["pages"]
    want = 100 * 1024 // 4
    # the rest of the guest moves a little between the two dumps (256 pages: 1 MiB)
    assert abs(grown - want) <= 256, grown


# ---- page_owner (-o, -c CLASS) ----
# Debian's kernels are built without CONFIG_PAGE_OWNER (their config says
# so), so on every test dump -o must say page_owner is not built in, leave
# the census as it is without -o, and still count the class it was asked
# about.  The grouping itself (page_ext, the stack depot of 6.1 and 6.12,
# stacks by pages) is tested on synthetic structures only:
# tests/unit/test_page_owner.c.  kmod/after, ELF, both kernels: the answer
# comes from the debug info, the same in every format.

def kernel_config(dump):
    """The kernel package's own config (vmcores/fetch-kernel.sh keeps it
    beside the kernel, under the cache the dumps directory is in)."""
    dumps_dir = os.path.dirname(os.path.dirname(dump.dir))
    release = os.path.basename(dumps_dir).rsplit("-", 1)[0]
    path = os.path.join(os.path.dirname(os.path.dirname(dumps_dir)), "kernels", release, "config")
    if not os.path.exists(path):
        pytest.skip(f"no kernel config at {path} (dumps from elsewhere)")
    with open(path) as f:
        return f.read()


@pytest.mark.parametrize("dump", [pytest.param(KDump(k, "kmod", "after", "elf"), id=f"{k}/kmod/after/elf")
                                  for k in KERNELS])
def test_page_owner_not_built_in(dump):
    assert "# CONFIG_PAGE_OWNER is not set" in kernel_config(dump)
    res = run("pages", "-o", "--json", dump.path)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    po = doc.pop("page_owner")
    assert po == {"class": "no_owner", "available": False, "why": po["why"]}
    assert "CONFIG_PAGE_OWNER" in po["why"], po
    assert doc == census(dump)
    text = run("pages", "-c", "slab", dump.path)
    assert text.returncode == 0, text.stderr
    assert 'Who allocated "slab" (page_owner)\n  not available: page_owner: not built in' in text.stdout
    bad = run("pages", "-c", "nosuchclass", dump.path)
    assert bad.returncode == 2
    assert 'no census class "nosuchclass"' in bad.stderr


# ---- socket buffers ----
# consumers, both phases, both kernels, ELF: sockhold's loopback TCP
# connections hold unread data (the guest's /proc/net/tcp at the dump's
# moment gives each socket's queues).  tcp_sendmsg() copies it into the
# sender's page_frag: order-3 compound pages (SKB_FRAG_PAGE_ORDER) of no
# type, filled one after another, which the receive, write and retransmit
# queues hold.  So the class holds at least the queued bytes, and wastes at
# most one such page per socket with data and the sender's last.  The UDP
# datagrams are in their skbs' kmalloc'ed heads: slab, not this class.  The
# walk is of kernel data, the same in every format.
SOCKET_DUMPS = [pytest.param(KDump(k, "consumers", p, "elf"), id=f"{k}/consumers/{p}/elf")
                for k in KERNELS for p in ("before", "after")]
FRAG_PAGE = 32768


def tcp_queued(dump):
    """(bytes in every TCP socket's tx and rx queues, sockets with any)."""
    total = busy = 0
    for m in re.finditer(r"^\s*\d+: \S+ \S+ [0-9A-F]{2} ([0-9A-F]{8}):([0-9A-F]{8})",
                         dump.truth("tcp"), re.M):
        queued = int(m[1], 16) + int(m[2], 16)
        total += queued
        busy += queued > 0
    return total, busy


@pytest.mark.parametrize("dump", SOCKET_DUMPS)
def test_socket_class_holds_the_queued_data(dump):
    doc = census(dump)
    assert doc["owners_complete"], doc["owners_why"]
    got = doc["classes"]["socket"]["pages"] * doc["page_kb"] * 1024
    queued, busy = tcp_queued(dump)
    if dump.phase == "before":
        assert got == 0 and queued == 0
        return
    assert queued >= 65536 + 30000, queued      # sockhold's reads never happen
    assert queued <= got <= queued + FRAG_PAGE * (busy + 1), (got, queued, busy)
