"""Compiled JSON Schema validators (jsonschema-rs): a fast yes for the documents that are valid.

Only a yes is believed. A no, or anything the compiled validator cannot judge, sends the caller
to the jsonschema validator, which decides and words the problems; so verdicts and messages stay
jsonschema's, and where the two libraries differ the stricter one only costs time. They differ
(tests/test_fast_validation.py keeps the list honest):
- jsonschema-rs reads a tuple as an array and a Decimal as a number, jsonschema does not: only
  plain JSON values (dict, list, str, int, float, bool, None) are given to it;
- its `format: date` accepts year 0000: dates are checked here as jsonschema checks them;
- its `$` matches only at the very end ("AB\n" fails "^[A-Z]+$"), Python's also before a final
  newline: stricter, so jsonschema decides those.
"""
from __future__ import annotations

import datetime
import functools
import json
import re

from . import resources

_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})
# jsonschema's own date check (jsonschema._format.is_date).
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def is_valid(schema_file: str, document) -> bool:
    """True only if `document` is plain JSON and valid against the schema. False means "ask
    jsonschema": it may still be valid."""
    if not _plain(document):
        return False
    validator = _compiled(schema_file)
    try:
        return validator is not None and validator.is_valid(document)
    except Exception:  # a value it cannot convert (e.g. a str subclass): jsonschema decides
        return False


def _plain(document) -> bool:
    stack = [document]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            stack.extend(node.values())  # keys: jsonschema-rs refuses any that is not a str
        elif kind is list:
            stack.extend(node)
        elif kind not in _PLAIN:
            return False
    return True


def _is_date(value: str) -> bool:
    try:
        return bool(_DATE.fullmatch(value) and datetime.date.fromisoformat(value))
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def _registry():
    import jsonschema_rs

    # Every shipped schema under its $id and its file name, as aidf.validation's registry.
    found = []
    for path in sorted(resources.schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text())
        found += [(path.name, schema), (schema["$id"], schema)]
    return jsonschema_rs.Registry(found)


@functools.lru_cache(maxsize=None)
def _compiled(schema_file: str):
    """Compiled on first use of that schema; None if it cannot be (jsonschema then decides)."""
    try:
        import jsonschema_rs

        schema = json.loads((resources.schemas_dir() / schema_file).read_text())
        return jsonschema_rs.Draft202012Validator(
            schema, registry=_registry(), offline=True,  # never fetch a $ref over the network
            validate_formats=True, formats={"date": _is_date},
            pattern_options=jsonschema_rs.RegexOptions())  # linear-time regex: no backtracking limit to hit
    except Exception:
        return None
