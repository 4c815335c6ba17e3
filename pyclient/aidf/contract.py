"""The decision contract, checked on every decision before anyone acts on it.

A pipeline reads exit 0 as "ship it", so a decision is believed only if it validates against
schemas/decision.schema.json AND is consistent with itself and with the request it answers.
A policy bug, a stray data file or a broken engine can produce a well-formed but wrong-shaped
answer; every such answer becomes an EngineError (exit 4), never an allow.
"""
from __future__ import annotations

import functools
import json
import typing

from . import fast_schema, resources
from .engines import EngineError

if typing.TYPE_CHECKING:
    import jsonschema

# Outcomes under which the action may go ahead without applying for a licence.
ALLOWING_OUTCOMES = frozenset({
    "no_license_required", "license_exception", "veu_authorization", "authorized",
    "within_allocation", "no_allocation", "not_controlled", "not_restricted", "not_subject", "not_enforced",
})
# Outcomes that send the exporter to a licence application: BIS reviews it under a stated policy.
LICENCE_OUTCOMES = frozenset({"license_required", "presumption_of_denial", "beyond_allocation"})
# Outcomes that rest on a named authorization (licence exception or VEU).
AUTHORIZED_OUTCOMES = frozenset({"license_exception", "veu_authorization", "authorized"})


class MalformedDecision(EngineError):
    """The policy answered, but the answer breaks the decision contract."""


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # only to word the problems of a decision the compiled validator refused

    schema = json.loads((resources.schemas_dir() / "decision.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _schema_problems(decision) -> list[str]:
    if fast_schema.is_valid("decision.schema.json", decision):
        return []
    errors = sorted(_validator().iter_errors(decision), key=lambda e: e.json_path)
    return [f"{e.json_path}: {e.message[:200]}" for e in errors]


def _consistency_problems(decision: dict, request: dict) -> list[str]:
    found = []
    outcome, allowed = decision["outcome"], decision["allowed"]
    if allowed and outcome not in ALLOWING_OUTCOMES:
        found.append(f"allowed is true but outcome {outcome!r} does not allow the action")
    if not allowed and outcome in ALLOWING_OUTCOMES:
        found.append(f"allowed is false but outcome {outcome!r} allows the action")
    if outcome in LICENCE_OUTCOMES and not decision.get("review_policy"):
        found.append(f"outcome {outcome!r} needs a licence but names no review policy")
    authorization = decision.get("authorization")
    if outcome in AUTHORIZED_OUTCOMES and not authorization:
        found.append(f"outcome {outcome!r} names no authorization")
    if authorization and outcome not in AUTHORIZED_OUTCOMES:
        found.append(f"authorization {authorization!r} is given with outcome {outcome!r}, which relies on none")
    authorizations = decision.get("authorizations")
    available = authorizations.get("available") if isinstance(authorizations, dict) else None
    # A mixed shipment relies on several authorizations, one per line (aidf.chips.lines).
    by_line = {line.get("authorization") for line in decision.get("lines") or [] if isinstance(line, dict)}
    if authorization and isinstance(available, list) and authorization not in available and authorization not in by_line:
        found.append(f"authorization {authorization!r} is not among the available ones {available!r}"[:300])
    if outcome == "not_enforced" and request.get("view") != "enforced":
        found.append("outcome 'not_enforced' answers only the enforced view, and the request asks for "
                     f"{request.get('view')!r}")
    echoed = ("action", "request_id") if outcome == "invalid_request" else ("action", "request_id", "as_of", "view")
    for field in echoed:
        if field in request and request[field] != decision.get(field):
            found.append(f"{field} is {decision.get(field)!r} but the request says {request[field]!r}")
    return found


def check(decision, request: dict, engine_name: str) -> dict:
    """The decision, if it keeps the contract; else MalformedDecision naming every breach."""
    problems = _schema_problems(decision)
    if isinstance(decision, dict) and isinstance(decision.get("allowed"), bool) and isinstance(decision.get("outcome"), str):
        try:
            problems = _consistency_problems(decision, request) + problems
        except (TypeError, AttributeError, ValueError):  # mistyped fields: the schema problems say which
            problems = problems or ["the decision's fields have the wrong types"]
    if problems:
        summary = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        raise MalformedDecision(f"{engine_name} returned a decision that breaks the contract: {summary}",
                                detail="\n".join(problems))
    return decision
