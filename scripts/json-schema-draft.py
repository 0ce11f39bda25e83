#!/usr/bin/env python3
"""Draft a JSON Schema (draft 2020-12) from sample documents: the start of a
new command's schemas/NAME.schema.json (ARCHITECTURE.md, "Adding a command").

  json-schema-draft.py [--title T] [--map KEY]... FILE...

Each FILE holds one JSON document, or one per line.  Every object of the
samples becomes a fixed set of properties (additionalProperties false), the
keys present in every sample required; an object whose keys are names (a
kernel's counters, cache names: more than MAP_KEYS keys or keys that are not
identifiers, or a key given with --map) becomes a map of its values' schema.
Arrays get one items schema, scalars their JSON types.  Read the draft before
committing it: a key that only some kernels have must not be required, and a
map of kernel counters must not list them.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import json
import re
import sys

MAP_KEYS = 40
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def scalar_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    return "string"


class Node:
    """What the samples at one place had."""

    def __init__(self):
        self.types = set()
        self.props = {}          # key -> Node
        self.seen = 0            # objects seen here
        self.counts = {}         # key -> objects that had it
        self.items = None        # Node of array elements
        self.map = False

    def add(self, v, key, maps):
        if isinstance(v, dict):
            self.types.add("object")
            self.seen += 1
            if key in maps:
                self.map = True
            for k, x in v.items():
                self.counts[k] = self.counts.get(k, 0) + 1
                self.props.setdefault(k, Node()).add(x, k, maps)
        elif isinstance(v, list):
            self.types.add("array")
            if self.items is None:
                self.items = Node()
            for x in v:
                self.items.add(x, key, maps)
        else:
            self.types.add(scalar_type(v))

    def schema(self):
        types = set(self.types)
        if "integer" in types and "number" in types:
            types.discard("integer")
        s = {}
        if "object" in types:
            is_map = self.map or len(self.props) > MAP_KEYS or \
                any(not IDENT.match(k) for k in self.props)
            if is_map:
                vals = Node()
                for n in self.props.values():
                    vals.merge(n)
                s["additionalProperties"] = vals.schema() if self.props else {}
            else:
                s["properties"] = {k: n.schema() for k, n in self.props.items()}
                req = [k for k in self.props if self.counts[k] == self.seen]
                if req:
                    s["required"] = req
                s["additionalProperties"] = False
        if "array" in types:
            s["items"] = self.items.schema() if self.items and self.items.types else {}
        if not types:
            return {}
        s = {"type": sorted(types)[0] if len(types) == 1 else sorted(types), **s}
        return s

    def merge(self, o):
        self.types |= o.types
        self.seen += o.seen
        self.map = self.map or o.map
        for k, n in o.props.items():
            self.counts[k] = self.counts.get(k, 0) + o.counts[k]
            self.props.setdefault(k, Node()).merge(n)
        if o.items is not None:
            if self.items is None:
                self.items = Node()
            self.items.merge(o.items)


def documents(path):
    with open(path) as f:
        text = f.read()
    try:
        yield json.loads(text)
    except json.JSONDecodeError:
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--title", default="")
    ap.add_argument("--map", action="append", default=[], help="a key whose object is a map")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    root = Node()
    for p in args.files:
        for d in documents(p):
            root.add(d, None, set(args.map))
    s = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": args.title,
         **root.schema()}
    json.dump(s, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
