"""What changed between two decisions (`aidf whatif`), and the short keys `aidf boundary` compares.

A decision's *signature* is what a reader acts on: allowed, outcome, authorization, review policy.
Its *fingerprint* adds what explains it: the reason and obligation codes and the authorizations
available. Both are tuples, so they compare and hash.
"""
from __future__ import annotations

# The decision fields shown side by side, in reading order.
HEADLINE_FIELDS = ("allowed", "outcome", "authorization", "review_policy", "as_of", "view")
SIGNATURE_FIELDS = ("allowed", "outcome", "authorization", "review_policy")


def signature(decision: dict) -> tuple:
    return tuple(decision.get(field) for field in SIGNATURE_FIELDS)


def fingerprint(decision: dict) -> tuple:
    """The signature and every code that explains it: two decisions with the same fingerprint
    differ at most in the numbers their messages quote."""
    available = (decision.get("authorizations") or {}).get("available") or []
    return (signature(decision),
            tuple(sorted(r.get("code", "") for r in decision.get("reasons") or [])),
            tuple(sorted(o.get("code", "") for o in decision.get("obligations") or [])),
            tuple(available))


def _by_code(entries) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for entry in entries or []:
        grouped.setdefault(entry.get("code", ""), []).append(entry)
    return grouped


def _entry(entry: dict, *keys: str) -> dict:
    return {key: entry.get(key) for key in ("code", "message", "citation", *keys)}


def _changes(before, after, *keys: str) -> dict:
    """Entries (reasons or obligations) added, removed, and kept under the same code with other
    words (e.g. a headroom figure or a deadline that moved)."""
    old, new = _by_code(before), _by_code(after)
    added = [_entry(e, *keys) for code in sorted(set(new) - set(old)) for e in new[code]]
    removed = [_entry(e, *keys) for code in sorted(set(old) - set(new)) for e in old[code]]
    reworded = []
    for code in sorted(set(old) & set(new)):
        was = [_entry(e, *keys) for e in old[code]]
        now = [_entry(e, *keys) for e in new[code]]
        if was != now:
            reworded.append({"code": code, "before": was, "after": now})
    return {"added": added, "removed": removed, "reworded": reworded}


def compare(before: dict, after: dict) -> dict:
    """The differences between two decision documents, as JSON-ready data:
    fields (each headline field before and after, and whether it changed), reasons and
    obligations (added, removed, reworded), and `changed`: whether anything a reader acts on
    (the signature) changed."""
    fields = {name: {"before": before.get(name), "after": after.get(name),
                     "changed": before.get(name) != after.get(name)} for name in HEADLINE_FIELDS}
    return {
        "changed": signature(before) != signature(after),
        "fields": fields,
        "reasons": _changes(before.get("reasons"), after.get("reasons")),
        "obligations": _changes(before.get("obligations"), after.get("obligations"), "due"),
    }
