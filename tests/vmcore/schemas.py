"""The JSON Schemas of schemas/ (draft 2020-12), loaded once, and validation
with python3-jsonschema: Debian 12's 4.10 (RefResolver) or a later one
(referencing), for the batch line's $ref to the snapshot's schema.
SPDX-License-Identifier: GPL-2.0-or-later
"""
import glob
import json
import os

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "schemas")

_schemas = None
_validators = {}


def schemas():
    """{name: schema} of every schemas/NAME.schema.json."""
    global _schemas
    if _schemas is None:
        _schemas = {}
        for p in sorted(glob.glob(os.path.join(DIR, "*.schema.json"))):
            with open(p) as f:
                _schemas[os.path.basename(p)[:-len(".schema.json")]] = json.load(f)
    return _schemas


def validator(name):
    if name not in _validators:
        s = schemas()[name]
        cls = jsonschema.Draft202012Validator
        cls.check_schema(s)
        try:
            from referencing import Registry, Resource
            reg = Registry().with_resources(
                (x["$id"], Resource.from_contents(x)) for x in schemas().values() if "$id" in x)
            v = cls(s, registry=reg)
        except ImportError:
            store = {x["$id"]: x for x in schemas().values() if "$id" in x}
            v = cls(s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
        _validators[name] = v
    return _validators[name]


def _describe(e):
    where = "/".join(map(str, e.absolute_path)) or "(top)"
    if e.context:
        # oneOf/anyOf: what the closest branch (the fewest errors) found wrong.
        branches = {}
        for c in e.context:
            branches.setdefault(c.schema_path[0], []).append(c)
        best = min(branches.values(), key=len)
        return f"{where}: no branch of {e.validator} fits; the closest: " + \
            "; ".join(_describe(c) for c in best[:3])
    return f"{where}: {e.message[:300]}"


def errors(name, doc):
    """What is wrong with doc against schemas/NAME.schema.json: [] if nothing."""
    found = sorted(validator(name).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return [_describe(e) for e in found][:10]
