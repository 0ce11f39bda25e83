"""The kernel log from the dump (memscope log / crash memlog) against the
guest's own: every record the guest read from /dev/kmsg right before the dump
(truth file dmesg) must be in memscope's log with the same sequence number,
microseconds, level, facility and text, in order; and the text output must be
the lines dmesg prints for them.

What runs where, and why:
- The CLI: every scenario (tmpfs tasks numa kmod), both phases, all four
  formats (elf, kdump-flat, kdump, filtered), both kernels (6.1, 6.12): the
  log is kernel data every format keeps, and the formats differ in how pages
  are found (ELF segments, the flattened stream, kdump's bitmaps, filtering).
  One process per dump takes ~0.1 s: 64 runs.
- crash (memlog): 6.1 only (Debian 12's crash 8.0.2 cannot open 6.12 dumps),
  the after phase of every scenario in elf and kdump (one reader of each
  kind crash has); crash's start-up is ~7 s a dump, so 8 sessions.  Its JSON
  must equal the CLI's.
- Bad input: a copy of tasks/after's ELF dump of each kernel with the ring's
  pointers, sizes or head/tail overwritten (found through the dump's own
  VMCOREINFO and the ELF program headers), through the production CLI and
  the ASan/UBSan one (make cli-asan): exit 0 or 1, a message, whatever could
  still be read, never a signal or a sanitizer report; a timeout catches an
  endless walk.
No new scenario: the four base scenarios' dmesg is the truth.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import re
import shutil
import struct
import subprocess

import pytest

import conftest
from conftest import FORMATS, PHASES, ROOT, SCENARIOS
from test_cli import CLI, ENV, KERNELS, KDump, kernel_dir

ASAN_CLI = os.environ.get("MEMSCOPE_CLI_ASAN") or os.path.join(ROOT, "build", "asan", "memscope")
SANITIZER = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")
CRASH_COMMANDS = ["memlog --json", "memlog"]
CRASH_FORMATS = ("elf", "kdump")
TIMEOUT = 120
NOTE = re.compile(rb"^-- (printk_ringbuffer|log_buf): seq \d+\.\.\d+, \d+ records")

_json = {}


# ---- the truth: /dev/kmsg records (printk.c devkmsg_read, info_print_ext_header) ----

def unescape(text):
    """/dev/kmsg's text: bytes < 0x20, >= 0x7f and '\\' written as \\xNN."""
    out, i, b = bytearray(), 0, text.encode("utf-8", "surrogateescape")
    while i < len(b):
        if b[i:i + 2] == b"\\x" and i + 4 <= len(b):
            out.append(int(b[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(b[i])
            i += 1
    return bytes(out)


def truth_records(dump):
    """[(seq, usec, level, facility, flags, text bytes, {dict key: bytes})]; the
    dict lines (a space first: SUBSYSTEM=, DEVICE=) belong to the record before."""
    recs = []
    with open(os.path.join(dump.dir, "dmesg"), encoding="utf-8", errors="surrogateescape") as f:
        for line in f.read().split("\n"):
            if not line:
                continue
            if line.startswith(" "):
                key, _, value = line[1:].partition("=")
                recs[-1][6][key] = unescape(value)
                continue
            head, text = line.split(";", 1)
            prefix, seq, usec, flags = head.split(",")[:4]
            recs.append((int(seq), int(usec), int(prefix) & 7, int(prefix) >> 3, flags,
                         unescape(text), {}))
    assert recs, dump
    return recs


def json_text(b):
    """memscope's JSON text of a record's bytes: UTF-8 as it is, else \\xNN."""
    return b.decode("utf-8", "backslashreplace")


def dmesg_lines(recs, fmt="[{sec:5d}.{usec:06d}] ", dict_lines=False):
    """What dmesg prints: every line of a record with the record's prefix; and
    with dict_lines its dictionary as /dev/kmsg shows it."""
    out = []
    for seq, usec, level, fac, _, text, d in recs:
        prefix = fmt.format(sec=usec // 1000000, usec=usec % 1000000,
                            raw=fac << 3 | level).encode()
        out += [prefix + line for line in text.split(b"\n")]
        if dict_lines:
            out += [b" %s=%s" % (k.encode(), d[k]) for k in ("SUBSYSTEM", "DEVICE") if k in d]
    return out


# ---- running memscope ----

def run(cli, *args):
    return subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=dict(ENV, UBSAN_OPTIONS="print_stacktrace=1"), timeout=TIMEOUT)


def log_json(dump):
    key = repr(dump)
    if key not in _json:
        res = run(CLI, "log", "--json", dump.path)
        assert res.returncode == 0, (dump, res.stderr.decode()[-2000:])
        assert res.stderr == b"", (dump, res.stderr.decode()[-2000:])
        _json[key] = json.loads(res.stdout)
    return _json[key]


def assert_holds_truth(doc, recs):
    """Every truth record in the log, same fields, in order."""
    assert doc["format"] == "printk_ringbuffer"
    assert doc["records"] == len(doc["log"])
    seqs = [r["seq"] for r in doc["log"]]
    assert seqs == sorted(set(seqs))
    by_seq = {r["seq"]: r for r in doc["log"]}
    missing = [t[0] for t in recs if t[0] not in by_seq]
    assert not missing, f"truth records not in memscope's log: {missing[:10]}"
    for seq, usec, level, fac, flags, text, d in recs:
        r = by_seq[seq]
        assert (r["ts_nsec"] // 1000, r["level"], r["facility"]) == (usec, level, fac), (seq, r)
        assert r["text"] == json_text(text), (seq, r["text"], text)
        for key in ("subsystem", "device"):
            want = d.get(key.upper())
            assert r[key] == (None if want is None else json_text(want)), (seq, key, r, d)
        assert (r["flags"] & 8 != 0) == (flags == "c"), (seq, r["flags"], flags)
        assert abs(r["time"] - r["ts_nsec"] / 1e9) < 1e-6


def params(kernels=KERNELS, formats=FORMATS, scenarios=SCENARIOS, phases=PHASES):
    dumps = [pytest.param(KDump(k, s, p, f), id=f"{k}/{s}/{p}/{f}")
             for k in kernels for s in scenarios for p in phases for f in formats]
    return pytest.mark.parametrize("dump", dumps)


@params()
def test_json_holds_dmesg(dump):
    doc = log_json(dump)
    assert_holds_truth(doc, truth_records(dump))
    assert doc["skipped"] == 0
    assert doc["next_seq"] == doc["log"][-1]["seq"] + 1
    assert doc["first_seq"] == doc["log"][0]["seq"]


def text_lines(dump, *opts):
    res = run(CLI, "log", *opts, dump.path)
    assert res.returncode == 0 and res.stderr == b"", (dump, opts, res.stderr.decode()[-2000:])
    lines = res.stdout.split(b"\n")
    assert lines[-1] == b"" and NOTE.match(lines[-2]) and lines[-3] == b"", lines[-4:]
    return lines[:-3]


def assert_runs(got, want):
    """want appears in got as one run of lines (memscope may hold records
    logged after the guest read its log)."""
    assert want, "no truth lines"
    assert want[0] in got, want[0]
    i = got.index(want[0])
    assert got[i:i + len(want)] == want


@params(formats=("elf",))
def test_text_is_dmesg(dump):
    assert_runs(text_lines(dump), dmesg_lines(truth_records(dump)))


@params(formats=("elf",), scenarios=("tasks",), phases=("after",))
def test_text_options(dump):
    recs = truth_records(dump)
    assert_runs(text_lines(dump, "-t"), dmesg_lines(recs, ""))
    assert_runs(text_lines(dump, "-r"), dmesg_lines(recs, "<{raw}>[{sec:5d}.{usec:06d}] "))
    assert_runs(text_lines(dump, "-r", "-t"), dmesg_lines(recs, "<{raw}>"))
    assert any(r[6] for r in recs), "no record with a dictionary"
    assert_runs(text_lines(dump, "-d"), dmesg_lines(recs, dict_lines=True))
    names = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
    decoded = [l for l in text_lines(dump, "-x") if l.startswith(b"kern  :")]
    want = [b"kern  :%-6s: " % names[level].encode() + line
            for line, level in zip(dmesg_lines(recs), [r[2] for r in recs for _ in
                                                       r[5].split(b"\n")])]
    assert_runs(decoded, want)
    # The caller (the kernel's "[%6s]" of T<pid> or C<cpu>) between time and text:
    # the guest's kernel has no CONFIG_PRINTK_CALLER, so /dev/kmsg names none.
    caller = re.compile(rb"^(\[ *\d+\.\d{6}\])\[ *[TC]\d+\] (.*)$")
    plain = text_lines(dump)
    with_caller = text_lines(dump, "-c")
    assert len(with_caller) == len(plain)
    for c, p in zip(with_caller, plain):
        m = caller.match(c)
        assert m, c
        assert m[1] + b" " + m[2] == p


# ---- crash ----

def crash_params():
    dumps = [pytest.param(conftest.Dump(s, "after", f), id=f"6.1/{s}/after/{f}")
             for s in SCENARIOS for f in CRASH_FORMATS]
    return pytest.mark.parametrize("cdump", dumps)


@crash_params()
def test_crash_memlog(cdump):
    """crash's memlog: the same JSON as the CLI's, and the same text lines."""
    kd = KDump("6.1", cdump.scenario, cdump.phase, cdump.fmt)
    assert os.path.samefile(kd.path, cdump.path)
    doc = json.loads(conftest.crash_output(cdump, "memlog --json"))
    assert doc == log_json(kd)
    assert_holds_truth(doc, truth_records(kd))
    text = conftest.crash_output(cdump, "memlog").encode().split(b"\n")
    assert_runs(text, dmesg_lines(truth_records(kd)))
    assert any(NOTE.match(l) for l in text[-3:]), text[-3:]


# ---- bad input: the ring's own pointers overwritten in a copy of a dump ----

START_KERNEL_MAP = 0xffffffff80000000   # x86_64 __START_KERNEL_map (page_64_types.h)
U64 = (1 << 64) - 1


class ElfDump:
    """A QEMU ELF dump: its VMCOREINFO and kernel-image addresses as file offsets."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            h = f.read(64)
            phoff, = struct.unpack_from("<Q", h, 32)
            phentsize, phnum = struct.unpack_from("<HH", h, 54)
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
            self.loads, self.info = [], {}
            for i in range(phnum):
                typ, _, off, _, paddr, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", ph,
                                                                         i * phentsize)
                if typ == 1:
                    self.loads.append((paddr, off, filesz))
                elif typ == 4:
                    f.seek(off)
                    self._notes(f.read(filesz))
        assert self.info, "no VMCOREINFO note"
        self.phys_base = int(self.info["NUMBER(phys_base)"]) & U64

    def _notes(self, n):
        o = 0
        while o + 12 <= len(n):
            nsz, dsz, _ = struct.unpack_from("<III", n, o)
            o += 12
            name = n[o:o + nsz]
            o += (nsz + 3) & ~3
            desc = n[o:o + dsz]
            o += (dsz + 3) & ~3
            if name.startswith(b"VMCOREINFO"):
                for line in desc.decode(errors="replace").splitlines():
                    k, _, v = line.partition("=")
                    self.info[k] = v

    def num(self, key):
        return int(self.info[key])

    def symbol(self, name):
        return int(self.info[f"SYMBOL({name})"], 16)

    def offset(self, vaddr):
        """File offset of a kernel-image address (__phys_addr_symbol())."""
        phys = (vaddr - START_KERNEL_MAP + self.phys_base) & U64
        for paddr, off, size in self.loads:
            if paddr <= phys < paddr + size:
                return off + phys - paddr
        raise KeyError(hex(vaddr))


def read_u64(path, off):
    with open(path, "rb") as f:
        f.seek(off)
        return struct.unpack("<Q", f.read(8))[0]


@pytest.fixture(scope="module", params=KERNELS)
def bad_dump(request, tmp_path_factory):
    """(copy of tasks/after's ELF dump, where its ring's fields are, truth)."""
    d = KDump(request.param, "tasks", "after", "elf")
    path = str(tmp_path_factory.mktemp("log") / "vmcore.elf")
    shutil.copyfile(d.path, path)
    e = ElfDump(path)
    prb = read_u64(path, e.offset(e.symbol("prb")))
    desc_ring = prb + e.num("OFFSET(printk_ringbuffer.desc_ring)")
    text_ring = prb + e.num("OFFSET(printk_ringbuffer.text_data_ring)")
    where = {
        "prb": e.offset(e.symbol("prb")),
        "count_bits": e.offset(desc_ring + e.num("OFFSET(prb_desc_ring.count_bits)")),
        "descs": e.offset(desc_ring + e.num("OFFSET(prb_desc_ring.descs)")),
        "infos": e.offset(desc_ring + e.num("OFFSET(prb_desc_ring.infos)")),
        "head_id": e.offset(desc_ring + e.num("OFFSET(prb_desc_ring.head_id)")),
        "tail_id": e.offset(desc_ring + e.num("OFFSET(prb_desc_ring.tail_id)")),
        "size_bits": e.offset(text_ring + e.num("OFFSET(prb_data_ring.size_bits)")),
        "data": e.offset(text_ring + e.num("OFFSET(prb_data_ring.data)")),
    }
    data = read_u64(path, where["data"])
    where["text"] = e.offset(data)
    return path, where, d


def patch(path, off, data):
    with open(path, "r+b") as f:
        f.seek(off)
        old = f.read(len(data))
        f.seek(off)
        f.write(data)
    return old


def q(v):
    return struct.pack("<Q", v & U64)


# name: (field, its new bytes from (old u64, head_id), exit status, what stderr says,
#        the records left: "all" the truth's, "last2" from tail = head - 1, "some")
CASES = {
    "prb-unmapped": ("prb", lambda v, h: q(0xffffdead00000000), 1, b"cannot read the printk",
                     None),
    "descs-unmapped": ("descs", lambda v, h: q(0xffffdead00000000), 1, b"printk descriptors",
                       None),
    "infos-unmapped": ("infos", lambda v, h: q(0xffffdead00000000), 1, b"printk_info array", None),
    "count-bits-huge": ("count_bits", lambda v, h: struct.pack("<I", 60), 1, b"make no sense",
                        None),
    "size-bits-zero": ("size_bits", lambda v, h: struct.pack("<I", 0), 1, b"make no sense",
                       None),
    "data-shifted": ("data", lambda v, h: q(v + 8), 1, b"no record of the kernel log", None),
    "tail-after-head": ("tail_id", lambda v, h: q(h + 5), 0, b"looking at every descriptor",
                        "all"),
    "head-garbage": ("head_id", lambda v, h: q(0xc0ffee0000000000), 0,
                     b"looking at every descriptor", "all"),
    "tail-one-behind-head": ("tail_id", lambda v, h: q(h - 1), 0, b"", "last2"),
    "text-page-ff": ("text", lambda v, h: b"\xff" * 4096, 0, b"skipped", "some"),
}


@pytest.mark.parametrize("cli", ["cli", "asan"])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_ring(bad_dump, case, cli):
    path, where, d = bad_dump
    field, new, status, said, left = CASES[case]
    binary = CLI if cli == "cli" else ASAN_CLI
    head = read_u64(path, where["head_id"])
    old = patch(path, where[field], new(read_u64(path, where[field]), head))
    try:
        res = run(binary, "log", "--json", path)
    finally:
        patch(path, where[field], old)
    err = res.stderr
    for s in SANITIZER:
        assert s.encode() not in err, err.decode()[-3000:]
    assert res.returncode == status, (res.returncode, err.decode()[-2000:])
    assert said in err, err.decode()[-2000:]
    assert err.startswith(b"memscope") or (not err and not said), err.decode()[-2000:]
    if status:
        assert res.stdout == b""
        return
    doc = json.loads(res.stdout)
    recs = truth_records(d)
    if left == "all":
        assert_holds_truth(doc, recs)
        assert doc["skipped"] == 0
    elif left == "last2":
        assert doc["records"] == 2 and doc["skipped"] == 0
        assert doc["log"][-1]["seq"] >= recs[-1][0]
    else:
        # the first page of the text ring holds the oldest records: those go
        assert 0 < doc["records"] < len(recs) and doc["skipped"] > 0
        assert_holds_truth(doc, [r for r in recs if r[0] >= doc["first_seq"]])
