"""`aidf countries`, `aidf country CC` and `aidf timeline`: what the policy data says about
countries, tiers, allocations and the rule's dates, with the source of each fact.

Exit codes: 0 shown; 2 a bad option (an unknown --tier or --group, a bad date); 3 an unknown
country; 4 the policy data cannot be read or the policy engine fails (timeline).
"""
from __future__ import annotations

import json
import textwrap

import click

from . import country_facts
from .cli_params import EXIT_ENGINE, EXIT_INVALID, EXIT_USAGE, DateParam, engine_option, fail, format_option
from .terminal import visible
from .textout import number, paint, table

WIDTH = 100
# The shared --as-of speaks of a request; these commands have none.
as_of_option = click.option("--as-of", type=DateParam(), help="The date to show (default: today).")
_TIER_TONES = {1: None, 2: None, 3: "warn"}


def _facts() -> country_facts.CountryFacts:
    try:
        return country_facts.load()
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a broken AIDF_POLICY_DIR or data file
        fail(EXIT_ENGINE, f"cannot read the policy data: {type(exc).__name__}: {exc}")


def _day(as_of: str | None) -> str:
    """The as-of date (default today), within the dates aidf evaluates."""
    day = as_of or country_facts.today()
    problem = country_facts.date_problem(day)
    if problem:
        fail(EXIT_USAGE, f"--as-of {problem}")
    return day


def _emit_json(document) -> None:
    click.echo(json.dumps(document, indent=2, sort_keys=True))


def _wrapped(text: str, indent: str = "  ") -> str:
    return textwrap.fill(visible(str(text)), WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _periods_words(periods: list[dict]) -> tuple[str, str]:
    starts = ", ".join(p["from"] or "-" for p in periods)
    ends = ", ".join(p["until"] or "-" for p in periods)
    return starts, ends


# -- aidf countries ------------------------------------------------------------------------------

@click.command()
@click.option("--tier", "tier_text", metavar="1|2|3", help="Only countries in this tier on the as-of date.")
@click.option("--group", "group_text", metavar="GROUP",
              help="Only members of this country group on the as-of date, e.g. D:5 (or d5), A:5, Macau, "
                   "Supp5a (Supp. No. 5(a)); an unknown one lists those accepted.")
@as_of_option
@format_option("text", "json")
def countries(tier_text, group_text, as_of, fmt):
    """Countries with their tier, groups and allocation on a date.

    Tier 1 = Supp. No. 5 to part 740 para. (a); Tier 3 = Macau and Country
    Group D:5; Tier 2 = every other destination (15 CFR 740.27; Supp. No. 5
    to part 740). The as-of date defaults to today.
    """
    facts = _facts()
    day = _day(as_of)
    tier = None
    if tier_text is not None:
        if tier_text.strip() not in {str(t) for t in country_facts.TIERS}:
            fail(EXIT_USAGE, f"unknown tier {tier_text!r}; accepted: {', '.join(str(t) for t in country_facts.TIERS)}")
        tier = int(tier_text)
    group = None
    if group_text is not None:
        try:
            group = facts.resolve_group(group_text)
        except country_facts.UnknownGroup as exc:
            fail(EXIT_USAGE, str(exc))
    rows = facts.rows(day, tier=tier, group=group)
    if fmt == "json":
        _emit_json({"as_of": day, "policy_revision": facts.revision, "filter": {"tier": tier, "group": group},
                    "count": len(rows), "countries": rows,
                    "allocation": {"default_tpp": facts.params["allocation"]["default_tpp"],
                                   "period": facts.params["allocation"]["period"],
                                   "citation": facts.params["allocation"].get("_source")}})
        return
    wanted = ", ".join(w for w in (f"Tier {tier}" if tier else "", facts.label(group) if group else "") if w)
    click.echo(f"Countries on {day}" + (f" ({visible(wanted)})" if wanted else "") + f": {len(rows)}")
    if not rows:
        click.echo(f"No country matches on {day}.")
    else:
        click.echo(table(
            ["Code", "Country", "Tier", "Groups", "Allocation (TPP)"],
            [[r["code"], _row_name(facts, r), r["tier"], ", ".join(facts.label(g) for g in r["groups"]) or "-",
              number(r["allocation_tpp"]) if r["allocation_tpp"] is not None else "-"] for r in rows],
            tones=[_TIER_TONES[r["tier"]] for r in rows], tone_column=2))
    click.echo()
    for line in _countries_notes(facts, day):
        click.echo(_wrapped(line, ""))


def _row_name(facts, row: dict) -> str:
    if "treated_as" in row:
        words = facts.aliases[row["code"]].get("words") or facts.names.get(row["treated_as"], row["treated_as"])
        return f"{row['name']} (treated as {words})"
    return row["name"]


def _countries_notes(facts, day: str) -> list[str]:
    allocation = facts.params["allocation"]
    outcomes = facts.catalogue.get("outcomes", {})
    after = f"; none is set for {day[:4]}, so the last one set applies" if day > allocation["last_day_set"] else ""
    return [
        f"Tiers: {country_facts.TIER_DEFINITION} [{country_facts.TIER_CITATION}].",
        f"Allocation: Tier 2 only, {number(allocation['default_tpp'])} TPP for {allocation['period']} unless "
        f"raised by Supp. No. 5(b){after} [{allocation.get('_source')}]. Tier 1: {outcomes.get('no_allocation')}. "
        f"Tier 3: {outcomes.get('presumption_of_denial')}.",
        f"Policy data revision {facts.revision}. Details and sources: aidf country CODE.",
    ]


# -- aidf country CC -----------------------------------------------------------------------------

@click.command()
@click.argument("country_text", metavar="CODE|NAME")
@as_of_option
@format_option("text", "json")
def country(country_text, as_of, fmt):
    """One country: tier and why, groups, allocation, sources.

    Everything the policy data says about one country on a date: its tier and
    why, its country groups with their dates, the country allocation, the NVEU
    schedule, aliases, and the source of each fact.

    CODE|NAME: an ISO 3166-1 alpha-2 code in any case (de, DE) or an English
    name (Germany). The as-of date defaults to today. Exit 3 for an unknown
    country.
    """
    facts = _facts()
    day = _day(as_of)
    try:
        code = facts.resolve_country(country_text)
    except country_facts.UnknownCountry as exc:
        fail(EXIT_INVALID, str(exc))
    described = facts.describe(code, day)
    if fmt == "json":
        _emit_json(described)
    else:
        click.echo(_country_text(facts, described))


def _country_text(facts, c: dict) -> str:
    day = c["as_of"]
    out = [f"{c['name']} ({c['code']}), as of {day}"]
    if c["treated_as"]:
        alias = c["treated_as"]
        out.append(_wrapped(f"Treated as {alias['name']} ({alias['code']}): {alias['why']}. Its groups, tier and "
                            "allocation are those of the country it is treated as.", ""))
    if not c["rule_in_effect"]:
        out.append(_wrapped(f"Note: the framework was not yet in effect on {day} (effective {c['rule_effective']}, "
                            "90 FR 4544); tiers have no legal effect before that date.", ""))
    out += ["", paint(f"Tier {c['tier']}", _TIER_TONES[c["tier"]] or "") + f" on {day}"]
    out.append(_wrapped(f"Why: {c['tier_basis']['why']}."))
    out.append(_wrapped(f"Tiers: {country_facts.TIER_DEFINITION} [{country_facts.TIER_CITATION}]."))
    changes = "; ".join(f"Tier {h['tier']} from {h['from']}" + (f" until {h['until']}" if h["until"] else "")
                        for h in c["tier_history"])
    out.append(_wrapped(f"Tier history (from the rule's effective date): {changes}."))

    out += ["", "Country groups"]
    if c["groups"]:
        rows = []
        for g in c["groups"]:
            starts, ends = _periods_words(g["periods"])
            rows.append([g["label"], "yes" if g["member_on_as_of"] else "no", starts, ends, g["citation"]])
        out.append(_indent(table(["Group", f"On {day}", "From", "Until", "Citation"], rows)))
        out.append("  (From/Until: \"-\" is an open end; until is the first day no longer a member.)")
        out.append("  Sources:")
        for g in c["groups"]:
            confidence = f" (confidence: {g['confidence']})" if g.get("confidence") else ""
            out.append(_wrapped(f"{g['label']}: {g['source']}{confidence}", "    "))
    else:
        out.append("  In no country group of the policy data.")

    allocation = c["allocation"]
    out += ["", "Country allocation (Supp. No. 5 to part 740 para. (b); 15 CFR 742.6(b)(10)(iii))"]
    out.append(_wrapped(f"{allocation['summary']} [{allocation['citation']}]"))
    if allocation.get("note"):
        out.append(_wrapped(allocation["note"]))

    nveu = c["nveu"]
    out += ["", "NVEU installed-base caps (Table 1 to 15 CFR 748.15(a)(2)(iii)(B))"]
    if nveu is None:
        out.append("  Not applicable: no Data Center VEU may be placed in Macau or Country Group D:5.")
    else:
        out.append(_wrapped(f"{nveu['meaning'][0].upper()}{nveu['meaning'][1:]}."))
        rows = [[e["from"], e["quarter"], number(e["tpp"]), f"in force on {day}" if e["in_force"] else ""]
                for e in nveu["schedule"]]
        out.append(_indent(table(["From", "Period", "Cap (TPP)", ""], rows)))
        if not any(e["in_force"] for e in nveu["schedule"]):
            out.append(f"  No cap is in force on {day} (the schedule starts {nveu['schedule'][0]['from']}).")
        if nveu.get("note"):
            out.append(_wrapped(nveu["note"]))
        out.append(_wrapped(f"Source: {nveu['source']}"))

    if c["jurisdiction"]:
        out += ["", "Jurisdiction"]
        out.append(_wrapped("Part of the United States for the EAR: a shipment there is not an export "
                            f"(request it as a domestic_transfer). Source: {c['jurisdiction']['source']}"))
    if c["aliases"]:
        out += ["", "Aliases"]
        for alias in c["aliases"]:
            out.append(_wrapped(f"{alias['name']} ({alias['code']}) is treated as {c['name']}: {alias['why']}."))
    out += ["", f"Policy data revision {c['policy_revision']}."]
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


# -- aidf timeline -------------------------------------------------------------------------------

@click.command()
@as_of_option
@engine_option
@format_option("text", "json")
def timeline(as_of, engine_name, fmt):
    """The rule's dates, status and enforcement, with sources.

    The rule's dates in order, each with its source: publication, effective
    and compliance dates, the non-enforcement announcement and later history,
    related rules, and changes of country-group membership. Each date shows the
    rule's status from then on, as the policy reports it; the as-of date
    (default today) is marked.

    Exit 4 when the policy engine fails.
    """
    from . import api, engines, validation

    facts = _facts()
    day = _day(as_of)
    events = facts.timeline()
    try:
        statuses = country_facts.rule_status([e["date"] for e in events] + [day], engine_name=engine_name)
    except (engines.EngineError, validation.InvalidRequest) as exc:  # the engine, or a date in the data
        fail(EXIT_ENGINE, f"policy engine error (no timeline): {engines.first_line(str(exc))}")
    finally:
        api.close()
    for event in events:
        event["status_from_this_date"] = statuses[event["date"]]
    if fmt == "json":
        _emit_json({"as_of": day, "today": country_facts.today(), "policy_revision": facts.revision,
                    "status_on_as_of": statuses[day], "events": events})
        return
    click.echo(_timeline_text(facts, events, day, statuses[day]))


def _timeline_text(facts, events: list[dict], day: str, status_now: dict) -> str:
    title = "The Framework for Artificial Intelligence Diffusion: dates, status and enforcement"
    out = [title, "=" * len(title), ""]
    marker = paint(f">>> {day}  as of" + (" (today)" if day == country_facts.today() else ""), "warn")
    marked, shown_status = False, None
    for event in events:
        if not marked and event["date"] > day:
            out += [marker, ""]
            marked = True
        pad = " " * 12
        out.append(textwrap.fill(visible(event["summary"]), WIDTH, initial_indent=f"{event['date']}  ",
                                 subsequent_indent=pad))
        if event.get("detail") and event["detail"] not in event["summary"]:
            out.append(textwrap.fill(visible(event["detail"]), WIDTH, initial_indent=pad, subsequent_indent=pad))
        out.append(textwrap.fill(f"Source: {visible(event['citation'])}", WIDTH, initial_indent=pad,
                                 subsequent_indent=pad))
        status = event["status_from_this_date"]
        if status != shown_status:
            out.append(textwrap.fill(f"Status from this date: {_status_words(status)}", WIDTH,
                                     initial_indent=pad, subsequent_indent=pad))
            shown_status = status
        out.append("")
    if not marked:
        out += [marker, ""]
    out.append(_wrapped(f"On {day} (as the policy reports it): {_status_words(status_now)}.", ""))
    out.append(f"Policy data revision {facts.revision}.")
    return "\n".join(out)


def _status_words(status: dict) -> str:
    if status.get("code") == "not_yet_effective":
        return str(status.get("label"))
    enforcement = country_facts.ENFORCEMENT_WORDS.get(status.get("enforcement"), status.get("enforcement"))
    return f"{status.get('label')}; {enforcement}"
