#!/usr/bin/env python3
"""Boot the dump guest for one scenario and dump it at each of its dump points.

The guest prints its own /proc between @@BEGIN/@@END markers and then
"@@DUMP PHASE"; we save those files as ground truth in OUT/PHASE/, dump the
guest over QMP in each requested format, and answer on the serial console so
the guest goes on.

Usage: run-scenario.py --kernel-dir DIR --initrd FILE --scenario NAME --out DIR
       [--mem MIB] [--cpus N] [--numa] [--append WORD]... [--formats elf,kdump-zlib]
       [--attempts N]
SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time


class Qmp:
    def __init__(self, path, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.buf = b""
        self.recv()  # greeting
        self.cmd("qmp_capabilities")

    def recv(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        while True:
            msg = self.recv()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise RuntimeError(f"QMP {name}: {msg['error']}")

    def dump(self, path, fmt):
        # Synchronous: QEMU answers once the whole dump is written.
        self.cmd("dump-guest-memory", paging=False, protocol="file:" + path, format=fmt)




def answer(proc, word):
    proc.stdin.write(word.encode() + b"\n")
    proc.stdin.flush()


def comparable(name, text):
    """What must not move around a dump: all of buddyinfo and meminfo; of the
    tasks, the processes (a kernel thread's comm names its current work)."""
    if name != "tasks":
        return text
    return [l for l in text.splitlines() if len(l.split()) > 3 and l.split()[3] != "-"]


def changed(phase_dir, check):
    """Which of the files the guest printed again after the dump differ from
    the ground truth saved before it ("" if none): then the dump and its
    ground truth may not agree."""
    moved = []
    for name, text in sorted(check.items()):
        with open(os.path.join(phase_dir, name)) as f:
            if comparable(name, f.read()) != comparable(name, text):
                moved.append(name)
    return ", ".join(moved)


def qemu_argv(a, qmp_path):
    argv = ["qemu-system-x86_64", "-accel", "tcg", "-nodefaults", "-no-reboot",
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-m", str(a.mem), "-smp", str(a.cpus),
            "-kernel", os.path.join(a.kernel_dir, "vmlinuz"), "-initrd", a.initrd,
            "-append", " ".join(["console=ttyS0 loglevel=3 panic=-1",
                                 f"memscope.scenario={a.scenario}", *a.append]),
            "-device", "vmcoreinfo", "-qmp", f"unix:{qmp_path},server=on,wait=off"]
    if a.numa:
        half = a.mem // 2
        for n in range(2):
            argv += ["-object", f"memory-backend-ram,id=m{n},size={half}M",
                     "-numa", f"node,nodeid={n},cpus={n},memdev=m{n}"]
    return argv


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kernel-dir", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--scenario", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--mem", type=int, default=512)
    p.add_argument("--cpus", type=int, default=2)
    p.add_argument("--numa", action="store_true")
    p.add_argument("--append", action="append", default=[],
                   help="a word for the guest kernel's command line (page_owner=on, ...)")
    p.add_argument("--formats", default="elf,kdump-zlib")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--attempts", type=int, default=5,
                   help="dumps of a phase at most, while the guest moves around them")
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    qmp_path = os.path.join(a.out, "qmp.sock")
    if os.path.exists(qmp_path):
        os.unlink(qmp_path)
    console = open(os.path.join(a.out, "console.log"), "w")
    proc = subprocess.Popen(qemu_argv(a, qmp_path), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=sys.stderr)
    qmp = Qmp(qmp_path)
    deadline = time.time() + a.timeout
    section, lines, phases, ok = None, [], [], False
    check, attempts = None, {}
    ext = {"elf": "elf", "kdump-zlib": "kdump-flat", "kdump-lzo": "kdump-lzo-flat",
           "kdump-snappy": "kdump-snappy-flat"}
    try:
        for raw in proc.stdout:
            if time.time() > deadline:
                raise RuntimeError("guest timed out")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            console.write(line + "\n")
            if section is not None:
                if line == f"@@END {section}":
                    text = "\n".join(lines) + "\n"
                    if check is not None:
                        check[section] = text
                    else:
                        pending = os.path.join(a.out, "pending")
                        os.makedirs(pending, exist_ok=True)
                        with open(os.path.join(pending, section), "w") as f:
                            f.write(text)
                    section = None
                else:
                    lines.append(line)
                continue
            if line.startswith("@@BEGIN "):
                section, lines = line[8:], []
            elif line.startswith("@@DUMP "):
                phase = line[7:]
                phase_dir = os.path.join(a.out, phase)
                if os.path.isdir(phase_dir):
                    shutil.rmtree(phase_dir)
                os.rename(os.path.join(a.out, "pending"), phase_dir)
                for fmt in a.formats.split(","):
                    t0 = time.time()
                    qmp.dump(os.path.join(phase_dir, "vmcore." + ext[fmt]), fmt)
                    print(f"[run-scenario] {a.scenario}/{phase}: {fmt} dump in "
                          f"{time.time() - t0:.1f}s", file=sys.stderr)
                check = {}
                answer(proc, "check")
            elif line.startswith("@@CHECKED "):
                phase = line[10:]
                attempts[phase] = attempts.get(phase, 0) + 1
                moved = changed(os.path.join(a.out, phase), check)
                check = None
                if moved and attempts[phase] < a.attempts:
                    print(f"[run-scenario] {a.scenario}/{phase}: the guest's {moved} changed "
                          f"around the dump; dumping again", file=sys.stderr)
                    answer(proc, "again")
                else:
                    if moved:
                        print(f"[run-scenario] {a.scenario}/{phase}: {moved} still moving after "
                              f"{a.attempts} dumps; keeping the last", file=sys.stderr)
                    phases.append(phase)
                    answer(proc, "go")
            elif line.startswith("@@ERROR") or "Kernel panic" in line:
                raise RuntimeError("guest: " + line)
            elif line == "@@DONE":
                ok = True
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        console.close()
        if os.path.exists(qmp_path):
            os.unlink(qmp_path)
    if not ok:
        sys.exit(f"run-scenario: {a.scenario} did not finish; see {a.out}/console.log")


if __name__ == "__main__":
    main()
