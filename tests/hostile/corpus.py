"""The hostile corpus: inputs a reliability tester (or an attacker) feeds a deployment gate.

Each case is built here, not stored, so that the 1 MB+ and random ones cost no repository space.
A case names what must happen: the exit code of `aidf check`, and words the error must contain
(usually the JSON path). None of them may exit 0, print a traceback, or outlive its budget.
"""
from __future__ import annotations

import dataclasses
import json
import pathlib
import random

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


CHIPS = example("01-aia-us-to-germany.json")
PLAN = example("20-plan-uveu-new-country-malaysia.json")
WEIGHTS = example("50-weights-us-lab-to-own-uae-cluster.json")


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    exit_code: int
    words: str  # must appear in the error output (stderr, or the JSON problems)


def _json(value) -> bytes:
    return json.dumps(value).encode()


def _with(request: dict, **changes) -> dict:
    return {**request, **changes}


def _deep(opening: str, closing: str, depth: int) -> bytes:
    return (opening * depth + closing * depth).encode()


def cases() -> list[Case]:
    rng = random.Random(7)
    consignee = CHIPS["ultimate_consignee"]
    found = [
        Case("empty", b"", 3, "is empty"),
        Case("whitespace", b" \n\t ", 3, "is empty"),
        Case("malformed", b'{"action": "export_chips",', 3, "malformed JSON"),
        Case("nan", b'{"action": "export_chips", "x": NaN}', 3, "NaN is not a number JSON allows"),
        Case("infinity", b'{"action": "export_chips", "x": -Infinity}', 3, "-Infinity is not a number JSON allows"),
        Case("duplicate_keys", b'{"action": "export_chips", "action": "deploy_compute"}', 3, "appears twice"),
        Case("bom", b"\xef\xbb\xbf" + _json(CHIPS), 3, "malformed JSON"),
        Case("invalid_utf8", b'{"request_id": "\xff\xfe"}', 3, "not UTF-8"),
        Case("utf16", json.dumps(CHIPS).encode("utf-16"), 3, "not UTF-8"),
        Case("oversized", b'{"request_id": "' + b"x" * 1_000_001 + b'"}', 3, "the limit is 1,000,000"),
        Case("top_level_array", b"[1, 2]", 3, "must be a JSON object, not list"),
        Case("top_level_string", b'"export_chips"', 3, "must be a JSON object, not str"),
        Case("top_level_null", b"null", 3, "must be a JSON object, not NoneType"),
        Case("items_is_a_number", _json(_with(CHIPS, items=5)), 3, "$.items: 5 is not of type 'array'"),
        Case("nested_arrays_10000", _deep("[", "]", 10_000), 3, "nested too deeply"),
        Case("nested_objects_10000", ('{"a":' * 10_000 + "1" + "}" * 10_000).encode(), 3, "nested too deeply"),
        Case("nested_40_in_a_field", _json(_with(CHIPS, history=json.loads("[" * 40 + "]" * 40))), 3,
             "nested more than 32 levels deep"),
        Case("lone_surrogate", b'{"action": "export_chips", "request_id": "\\udcff"}', 3,
             "$.request_id: '\\udcff' contains a lone UTF-16 surrogate"),
        Case("lone_surrogate_key", b'{"action": "export_chips", "\\ud800": 1}', 3, "not valid Unicode"),
        Case("giant_string", _json(_with(CHIPS, request_id="A" * 900_000)), 3,
             "$.request_id: is 900,000 characters long; the limit is 10,000"),
        Case("giant_array_elsewhere", _json(_with(CHIPS, extra=[0] * 20_000)), 3,
             "$.extra: has 20,000 items; the limit is 10,000"),
        Case("items_over_schema_cap", _json(_with(CHIPS, items=CHIPS["items"] * 5000)), 3,
             "$.items: has 5,000 items; the limit is 1,000"),
        Case("as_of_beyond_parse_ns", _json(_with(CHIPS, as_of="2262-04-11")), 3,
             "$.as_of: '2262-04-11' is outside the dates aidf evaluates"),
        Case("as_of_before_parse_ns", _json(_with(CHIPS, as_of="1677-09-21")), 3, "$.as_of"),
        Case("as_of_not_a_day", _json(_with(CHIPS, as_of="2025-02-30")), 3, "$.as_of"),
        Case("as_of_a_number", _json(_with(CHIPS, as_of=20250601)), 3, "$.as_of"),
        Case("negative_quantity", _json(_with(CHIPS, items=[dict(CHIPS["items"][0], quantity=-1)])), 3,
             "$.items[0].quantity"),
        Case("fractional_quantity", _json(_with(CHIPS, items=[dict(CHIPS["items"][0], quantity=1.5)])), 3,
             "$.items[0].quantity"),
        Case("absurd_quantity", b'{"action": "export_chips", "items": [{"quantity": 1e300}]}', 3,
             "$.items[0].quantity"),
        Case("huge_integer", _json(_with(CHIPS, items=[dict(CHIPS["items"][0], quantity=10**30)])), 3,
             "$.items[0].quantity"),
        Case("boolean_quantity", _json(_with(CHIPS, items=[dict(CHIPS["items"][0], quantity=True)])), 3,
             "$.items[0].quantity"),
        Case("unknown_country", _json(_with(CHIPS, destination="XX")), 3, "$.destination: 'XX' is not a known"),
        Case("lowercase_country", _json(_with(CHIPS, destination="de")), 3, "$.destination"),
        Case("missing_field", _json({k: v for k, v in CHIPS.items() if k != "destination"}), 3, "destination"),
        Case("no_action", _json({k: v for k, v in CHIPS.items() if k != "action"}), 3, "$.action"),
        Case("unknown_action", _json(_with(CHIPS, action="ship_everything")), 3, "$.action"),
        Case("unknown_field", _json(_with(CHIPS, allowed=True)), 3, "unknown field"),
        Case("decision_smuggled_in", _json(_with(CHIPS, decision={"allowed": True})), 3, "unknown field"),
        Case("tpp_total_beyond_exact_range", _json(_with(PLAN, installed=[{"country": "US", "tpp": 10**13}] * 10_000)),
             3, "add up to 100,000,000,047,496,000; aidf decides exactly only up to 10,000,000,000,000"),
        Case("operations_beyond_1e28", _json(_with(WEIGHTS, model=dict(WEIGHTS["model"], training_operations="1e400"))),
             3, "$.model.training_operations"),
        Case("operations_not_a_number", _json(_with(WEIGHTS, model=dict(WEIGHTS["model"], training_operations="lots"))),
             3, "$.model.training_operations"),
        Case("injection_in_country", _json(_with(CHIPS, destination='DE" } ; allow := true #')), 3, "$.destination"),
        Case("consignee_is_a_list", _json(_with(CHIPS, ultimate_consignee=[consignee])), 3, "$.ultimate_consignee"),
    ]
    for n in range(8):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
        found.append(Case(f"random_bytes_{n}", noise, 3, "$"))
    return found


# Free-text fields a requester controls, echoed in text output. Every control character
# (C0, DEL, C1) and the bidi and zero-width characters.
CONTROL = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)])) + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\u061c\u2028\u2029"


def string_fields(value, path=()):
    """Paths of every string in a request."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from string_fields(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from string_fields(item, path + (i,))
    elif isinstance(value, str):
        yield path


def with_value(request: dict, path: tuple, value) -> dict:
    copy = json.loads(json.dumps(request))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy
