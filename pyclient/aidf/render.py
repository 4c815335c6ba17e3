"""Plain-text rendering of a decision for people: outcome first, then why, then what to do."""
from __future__ import annotations

import textwrap

WIDTH = 100

HEADLINES = {
    "no_license_required": "ALLOWED - no licence required under the framework",
    "license_exception": "ALLOWED - licence exception",
    "veu_authorization": "ALLOWED - Data Center VEU authorization",
    "license_required": "NOT ALLOWED WITHOUT A LICENCE",
    "framework_not_in_effect": "NOT EVALUATED - framework not in effect on the as-of date",
    "invalid_request": "INVALID REQUEST",
    "authorized": "ALLOWED - placement authorized under a Data Center VEU",
    "not_authorized": "NOT AUTHORIZED",
    "within_allocation": "ALLOWED - within the country allocation (presumption of approval)",
    "no_allocation": "ALLOWED - no country allocation applies (presumption of approval)",
    "beyond_allocation": "NOT ALLOWED - beyond the country allocation (policy of denial)",
    "presumption_of_denial": "NOT ALLOWED - presumption of denial",
    "not_controlled": "ALLOWED - not an ECCN 4E091 model",
    "not_restricted": "ALLOWED - not restricted by the framework",
    "not_enforced": "ALLOWED - not enforced on the as-of date (enforced view)",
    "not_subject": "ALLOWED - not subject: no export, reexport or in-country transfer (inside the United States)",
    "authorization_required": "NOT ALLOWED WITHOUT AUTHORIZATION",
    "review_required": "HOLD - due diligence first (Red Flag 28): ask the customer before the run",
}


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False)


def _usage_line(limit: dict) -> str:
    name = "country allocation" if limit["limit"] == "country_allocation" else "LPP annual limit"
    return _wrap(
        f"counts against the {name}: {limit['used_before']:,} before + {limit['this_request']:,} now = "
        f"{limit['after']:,} of {limit['limit_tpp']:,} ({'within' if limit['within_limit'] else 'OVER'}); "
        f"headroom left {limit['headroom_after']:,}", "    ", "  ")


def _tpp_lines(tpp: dict) -> list[str]:
    limit = tpp.get("counts_against")
    return [f"  shipment total {tpp['shipment_total']:,} TPP; needing authorization {tpp['requiring_authorization']:,} TPP",
            _usage_line(limit) if limit else "  counts against no allocation or cap"]


def _limit_lines(decision: dict) -> list[str]:
    lines = []
    for c in decision.get("constraints") or []:
        if "limit_percent" in c:
            value = f"{c['before']['share']} -> {c['after']['share']} (limit {c['limit_percent']}%)"
        else:
            value = f"{c['before']['tpp']:,} -> {c['after']['tpp']:,} TPP (limit {c['limit_tpp']:,})"
        mark = "ok  " if c["passes"] else "FAIL"
        binding = "  <- binding" if c["binding"] else ""
        lines.append(f"  {mark} {c['subject']}: {value}{binding}")
    notice = decision.get("notice")
    if notice:
        given = f"given {notice['given_on']}" if notice["given_on"] else "not given yet"
        state = "run its course" if notice["satisfied"] else f"NOT AUTHORIZED before {notice['effective_from']}"
        lines.append(f"  notice to BIS: {notice['required_days']} days, {given}; {state}")
    headroom = decision.get("headroom")
    if headroom:
        if headroom["unbounded"]:
            lines.append("  headroom: not bounded by these limits")
        else:
            chips = f" ({headroom['chips']:,} chips)" if headroom.get("chips") is not None else ""
            lines.append(f"  headroom: {headroom['tpp']:,} TPP more{chips}; "
                         f"largest placement that passes: {headroom['max_placement_tpp']:,} TPP"
                         if headroom["max_placement_tpp"] is not None else "  headroom: no placement in this country passes")
    return lines


def text(decision: dict, source: str | None = None) -> str:
    out = [HEADLINES.get(decision["outcome"], decision["outcome"].upper())]
    if decision.get("summary"):
        out.append(_wrap(decision["summary"], "  "))
    meta = [f"request {decision['request_id']}" if decision.get("request_id") else None,
            source, f"as of {decision['as_of']}" if decision.get("as_of") else None]
    out.append("  " + " | ".join(m for m in meta if m))
    status = decision.get("rule_status")
    if status:
        enforcement = {
            "as_written": "",
            "non_enforcement_announced": "; BIS announced non-enforcement on 13 May 2025 "
                                         + ("(evaluated as enforced)" if decision.get("view") == "enforced"
                                            else "(evaluated as written)"),
            "non_enforcement_except_d5_macau_headquarters": "; not enforced except the Macau/D:5-headquarters requirement (BIS, 31 May 2026)",
        }[status["enforcement"]]
        out.append(_wrap(f"Rule status: {status['label']}{enforcement}", "  "))
    if decision.get("errors"):
        out.append("\nErrors")
        out.extend(_wrap(e, "    ", "  - ") for e in decision["errors"])
    if decision.get("reasons"):
        out.append("\nWhy")
        for n, r in enumerate(decision["reasons"], 1):
            out.append(_wrap(f"{r['message']} [{r['citation']}]", "     ", f"  {n}. "))
    if decision.get("obligations"):
        out.append("\nObligations")
        for o in decision["obligations"]:
            out.append(_wrap(f"{o['message']} Due: {o['due']}. [{o['citation']}]", "    ", "  - "))
    lines = decision.get("lines") or []
    if len(lines) > 1 and decision["outcome"] not in ("framework_not_in_effect", "not_subject"):
        out.append("\nLines")
        for line in lines:
            cover = (f"under {line['authorization']}" if line["authorization"] else "needs a licence") \
                if line["needs_licence"] else "no licence needed"
            out.append(_wrap(f"{line['label']} ({line['level']}-level, {line['tpp_total']:,} TPP): {cover}", "      ",
                             f"  {line['index'] + 1}. "))
    considered = (decision.get("authorizations") or {}).get("considered") or []
    if considered and decision["outcome"] not in ("no_license_required", "not_subject"):
        out.append("\nAuthorizations considered")
        for c in considered:
            if c["available"]:
                chosen = " (relied on)" if c["authorization"] == decision.get("authorization") else ""
                out.append(f"  {c['authorization']}: available{chosen}")
            else:
                why = " ".join(r["message"] for r in c["why_not"])
                out.append(_wrap(why, "        ", f"  {c['authorization']}: not available - "))
    if decision.get("constraints") is not None and decision.get("outcome") not in ("framework_not_in_effect", "invalid_request"):
        out.append("\nLimits (before -> after this placement)")
        out.extend(_limit_lines(decision))
    if decision.get("tpp"):
        out.append("\nTPP")
        out.extend(_tpp_lines(decision["tpp"]))
    if decision.get("allocation"):
        out.append("\nCountry allocation")
        out.append(_usage_line(decision["allocation"]))
    out.append(f"\nPolicy revision {decision.get('policy_revision')}")
    return "\n".join(out)


def one_line(decision: dict, source: str) -> str:
    verdict = "ALLOWED" if decision["allowed"] else "NOT ALLOWED"
    detail = decision.get("authorization") or decision.get("review_policy") or ""
    view = "enforced" if decision.get("view") == "enforced" else ""
    return f"{verdict:<12} {decision['outcome']:<24} {detail:<24} {view:<9}{source}".rstrip()


def side_by_side(written: dict, enforced: dict) -> str:
    """The as-written and enforced decisions on one table, for `aidf check --view both`."""
    rows = [("", "AS WRITTEN", "ENFORCED"),
            ("allowed", "yes" if written["allowed"] else "NO", "yes" if enforced["allowed"] else "NO"),
            ("outcome", written["outcome"], enforced["outcome"]),
            ("authorization", written.get("authorization") or "-", enforced.get("authorization") or "-"),
            ("review policy", written.get("review_policy") or "-", enforced.get("review_policy") or "-"),
            ("as of", written.get("as_of", "-"), enforced.get("as_of", "-"))]
    return "\n".join(f"{a:<16}{b:<34}{c}" for a, b, c in rows)
