"""memscope(1) and the bash completion, both written by the CLI from the
command table (memscope --man, --bash-completion; the Makefile's
build/memscope.1 and build/memscope.bash): every command and every option of
the table is in both, the page has the sections a man page has and renders
without a warning, and the completion completes what the table says (run
in bash with stand-ins for bash-completion's _init_completion and _filedir).
SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import ROOT
from test_cli import CLI
from test_schemas import table

HIDDEN = {"list-options", "man", "bash-completion"}


def out(*args):
    return subprocess.run([CLI, *args], stdout=subprocess.PIPE, check=True, text=True).stdout


def man():
    return out("--man")


def completion():
    return out("--bash-completion")


def words(o):
    return ([f"-{o['short']}"] if o.get("short") else []) + \
        ([f"--{o['long']}"] if o.get("long") else [])


def roff(word):
    return word.replace("-", "\\-")


def man_sections(page):
    """{command: its text} of the COMMANDS section."""
    body = page.split('.SH COMMANDS\n', 1)[1].split('\n.SH ', 1)[0]
    parts = re.split(r'^\.SS "([^"]+)"\n', body, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_build_files_are_current():
    """What make wrote is what this memscope writes (make rebuilds them with it)."""
    build = os.path.dirname(CLI)
    for name, text in (("memscope.1", man()), ("memscope.bash", completion())):
        path = os.path.join(build, name)
        if not os.path.exists(path):
            pytest.skip(f"{path} not built")
        with open(path) as f:
            assert f.read() == text, f"{path} is stale"


def test_man_page_has_every_command_and_option():
    page, t = man(), table()
    sections = man_sections(page)
    for c in t["commands"]:
        assert c["cli"] in sections, f"{c['cli']}: no section in COMMANDS"
        text = sections[c["cli"]]
        for o in c["options"]:
            for w in words(o):
                assert re.search(re.escape(roff(w)) + r"\b", text), f"{c['cli']} {w}: not in its section"
        assert roff(c["synopsis"]["cli"]) in text
    options = page.split(".SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
    for o in t["cli_options"]:
        if o.get("long") in HIDDEN:
            assert roff(f"--{o['long']}") not in page
            continue
        for w in words(o):
            assert roff(w) in options, f"{w}: not in OPTIONS"
    for w in t["common"]:
        assert roff(f"--{w}") in options


def test_man_page_sections():
    page = man()
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", '"JSON OUTPUT"',
              '"EXIT STATUS"', "DIAGNOSTICS", "ENVIRONMENT", "EXAMPLES", '"SEE ALSO"'):
        assert f"\n.SH {s}\n" in page, s
    status = page.split('.SH "EXIT STATUS"\n', 1)[1].split("\n.SH ", 1)[0]
    assert re.findall(r"^\.B (\d)$", status, re.M) == ["0", "1", "2"]
    env = page.split(".SH ENVIRONMENT\n", 1)[1].split("\n.SH ", 1)[0]
    assert "MEMSCOPE_NO_PROGRESS" in env and "TMPDIR" in env
    diag = page.split(".SH DIAGNOSTICS\n", 1)[1].split("\n.SH ", 1)[0]
    assert "stderr" in diag and "stdout" in diag


@pytest.mark.skipif(not shutil.which("groff"), reason="no groff")
def test_man_page_renders_cleanly():
    res = subprocess.run(["groff", "-man", "-ww", "-z"], input=man(), stderr=subprocess.PIPE,
                         text=True, check=True)
    assert res.stderr == ""
    text = subprocess.run(["groff", "-man", "-Tutf8"], input=man(), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, check=True).stdout
    assert "memscope meminfo" in re.sub(r".\x08", "", text)


# bash-completion's helpers, reduced to what _memscope uses.
STUBS = r"""
_init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${words[cword]}
	prev=${words[cword-1]}; }
_filedir() { COMPREPLY+=(FILE); }
"""


def complete(line):
    """What _memscope offers for the last word of line."""
    ws = line.split(" ")
    script = STUBS + completion() + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in ws) + \
        f")\nCOMP_CWORD={len(ws) - 1}\n_memscope\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    res = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    return res.stdout.split()


def test_completion_has_every_command_and_option():
    t = table()
    subprocess.run(["bash", "-n"], input=completion(), text=True, check=True)
    cmds = [c["cli"] for c in t["commands"]]
    offered = complete("memscope ")
    assert set(cmds) <= set(offered) and "FILE" in offered    # a command, or dumps (batch)
    for c in t["commands"]:
        opts = complete(f"memscope {c['cli']} -")
        for o in c["options"]:
            for w in words(o):
                assert w in opts, f"{c['cli']} {w}: not completed"
        for o in t["cli_options"]:
            if o.get("long") in HIDDEN:
                assert f"--{o['long']}" not in opts
            else:
                assert set(words(o)) <= set(opts), o
        assert "--json" in opts and "--help" in opts
        # After the command: the dump, a file name.
        assert complete(f"memscope {c['cli']} ") == ["FILE"]
    # An option's argument: a file name for a FILE (-k vmlinux, snap -o), nothing
    # for a word (zoneinfo -a ORDER); after a flag, the dump.
    assert complete("memscope -k ") == ["FILE"]
    assert complete("memscope snap -o ") == ["FILE"]
    assert complete("memscope zoneinfo -a ") == []
    assert complete("memscope meminfo -s ") == ["FILE"]
    assert complete("memscope tasks -s ") == []
    # A command by its start (or a dump's file name: batch mode).
    assert complete("memscope zo") == ["zoneinfo", "FILE"]


def test_make_install_installs_both():
    """make install (into a DESTDIR, nothing rebuilt): the page, the completion
    and the schemas where man, bash-completion and users look for them."""
    build = os.path.join(ROOT, "build")
    made = [os.path.join(build, f) for f in ("memscope.so", "memscope", "memscope.1", "memscope.bash")]
    if not all(os.path.exists(p) for p in made):
        pytest.skip("not built")
    with tempfile.TemporaryDirectory() as dest:
        keep = [w for p in made for w in ("-o", os.path.relpath(p, ROOT))]
        subprocess.run(["make", "-s", *keep, "install", f"DESTDIR={dest}", "PREFIX=/usr"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        share = os.path.join(dest, "usr", "share")
        with open(os.path.join(share, "man", "man1", "memscope.1")) as f:
            assert f.read().startswith(".\\\" memscope(1)")
        with open(os.path.join(share, "bash-completion", "completions", "memscope")) as f:
            assert "complete -F _memscope memscope" in f.read()
        assert sorted(os.listdir(os.path.join(share, "memscope", "schemas"))) == \
            sorted(os.listdir(os.path.join(ROOT, "schemas")))
