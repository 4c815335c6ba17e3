"""Shared fixtures. Every decision a test makes goes through `decide`, which evaluates the
request on regorus AND on OPA (Go) and fails the test unless the two agree exactly."""
from __future__ import annotations

import copy
import json
import pathlib

import jsonschema

import aidf
from aidf import engines

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_ENGINES: dict[str, engines.Engine] = {}
_DECISION_VALIDATOR = None


def engine(name: str) -> engines.Engine:
    if name not in _ENGINES:
        _ENGINES[name] = engines.create(name)
    return _ENGINES[name]


def decision_validator():
    global _DECISION_VALIDATOR
    if _DECISION_VALIDATOR is None:
        schema = json.loads((ROOT / "schemas" / "decision.schema.json").read_text())
        _DECISION_VALIDATOR = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return _DECISION_VALIDATOR


_SERVED: dict = {}


def served_engine() -> engines.Engine:
    """The remote engine, asking a real HTTP OPA-API server (tests/opa_server.py) that evaluates
    the built bundle with OPA (Go). Started once for the whole session."""
    if "engine" not in _SERVED:
        import atexit

        from aidf import bundle
        from aidf.engines.remote_engine import RemoteEngine
        from opa_server import OpaTestServer

        verified = bundle.verify(bundle.build(revision="test-suite"))
        server = OpaTestServer(bundle.policy_set_from(verified), revision=verified.revision).start()
        atexit.register(server.close)
        _SERVED.update(server=server, engine=RemoteEngine(server.url, timeout=30))
    return _SERVED["engine"]


def decide(request: dict, as_of: str | None = None) -> aidf.Decision:
    """The regorus decision, after checking that OPA (Go) in-process and an OPA server loaded
    with the built bundle made the identical one, and that the schema holds."""
    on_regorus = aidf.evaluate(copy.deepcopy(request), as_of=as_of, using=engine("regorus"))
    on_opa = aidf.evaluate(copy.deepcopy(request), as_of=as_of, using=engine("opa"))
    assert on_regorus.document == on_opa.document, _first_difference(on_regorus.document, on_opa.document)
    served = aidf.evaluate(copy.deepcopy(request), as_of=as_of, using=served_engine())
    assert served.document == on_regorus.document, _first_difference(on_regorus.document, served.document)
    errors = sorted(decision_validator().iter_errors(on_regorus.document), key=lambda e: e.json_path)
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors]
    return on_regorus


def _first_difference(a, b, path="$"):
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return f"{path}: regorus {a!r} vs OPA {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: regorus {json.dumps(a)[:300]} vs OPA {json.dumps(b)[:300]}"


H100 = {"description": "H100 SXM", "tpp_per_unit": 15832, "performance_density": 19.4, "designed_for_data_centers": True}


def chips_request(**overrides) -> dict:
    """A valid export_chips request (US company, own data center in Germany) with overrides.

    Dotted keys reach into nested objects: chips_request(**{"ultimate_consignee.headquarters": "CN"}).
    """
    request = {
        "action": "export_chips",
        "as_of": "2025-06-01",
        "transaction": "export",
        "destination": "DE",
        "end_use": "data_center",
        "direct_to_ultimate_consignee": True,
        "ultimate_consignee": {
            "name": "Example Cloud GmbH",
            "located_in": "DE",
            "headquarters": "US",
            "ultimate_parent_headquarters": "US",
            "foreign_government_owned_or_controlled": False,
        },
        "items": [dict(H100, quantity=1000)],
    }
    for key, value in overrides.items():
        node = request
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is _DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return request


_DELETE = object()
DELETE = _DELETE


def at(country: str, hq: str | None = None, parent: str | None = None, **overrides) -> dict:
    """A request whose consignee is located in (and ships to) `country`."""
    hq = hq or country
    return chips_request(**{
        "destination": country,
        "ultimate_consignee.located_in": country,
        "ultimate_consignee.headquarters": hq,
        "ultimate_consignee.ultimate_parent_headquarters": parent or hq,
        **overrides,
    })


def considered(decision: aidf.Decision, name: str) -> dict:
    return next(c for c in decision.document["authorizations"]["considered"] if c["authorization"] == name)


def why_not_codes(decision: aidf.Decision, name: str) -> set[str]:
    return {r["code"] for r in considered(decision, name)["why_not"]}


def obligation_codes(decision: aidf.Decision) -> list[str]:
    return [o["code"] for o in decision.obligations]
