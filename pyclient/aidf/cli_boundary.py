"""`aidf boundary`: where the outcome changes as one number or date of a request varies.

Exit code: 0 when the search ran, 2 for a usage error (no --vary, a --min or --max that is not a
value of the field, an empty range), 3 for an invalid request or a --vary that names no number,
date or operation count, 4 for an engine error.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import textwrap

import click

from . import boundary as boundaries
from . import overrides, render, textout
from .cli_params import EXIT_ALLOWED, EXIT_ENGINE, EXIT_INVALID, EXIT_USAGE, as_of_option, engine_option, \
    fail, format_option, view_option
from .cli_whatif import decide, load_request, with_options
from .terminal import visible


@click.command()
@click.argument("request", metavar="REQUEST.json|-")
@click.option("--vary", "path", required=True, metavar="PATH",
              help="The number, date or operation count to vary, e.g. items[0].quantity, "
                   "history.lpp_tpp_received_this_year, model.training_operations, as_of.")
@click.option("--min", "low_text", metavar="VALUE", help="Smallest value searched (a number, an operation count "
              "such as 3e26, or a date, as the field is).")
@click.option("--max", "high_text", metavar="VALUE", help="Largest value searched.")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="Change a fact of the request before the search (as aidf whatif does); repeatable.")
@as_of_option
@view_option
@format_option("text", "json")
@engine_option
@click.option("--max-evaluations", type=click.IntRange(20, 100_000), default=boundaries.DEFAULT_MAX_EVALUATIONS,
              show_default=True, help="Cap on the decisions the search may ask for.")
def boundary(request, path, low_text, high_text, assignments, as_of, view, fmt, engine_name, max_evaluations):
    """Find every value of one field at which the decision on REQUEST changes.

    Each probe is a real decision of the policy (no formula). The range is
    sampled (ends, current value, 65 evenly spaced values, doubling distances from the
    minimum, and for dates every date in the policy data), and each two
    neighbouring samples whose decisions differ are bisected down to
    neighbouring values. A change that starts and ends between two samples
    without altering the reasons, obligations or authorizations available at
    either can be missed; the output states the sampling step.

    Defaults: numbers from the schema's minimum (else 0) to 4 times the current
    value; dates from a year before the first date in the policy data to a year
    after the last. Operation counts vary in whole units of 10^12.

    \b
    Examples:
      aidf boundary examples/03-lpp-singapore-first-order.json --vary items[0].quantity
      aidf boundary shipment.yaml --set destination=SG --vary items[0].quantity

    Exit code: 0 when the search ran, 2 usage, 3 invalid request or --vary, 4 engine error.
    """
    if path.strip() == "as_of" and as_of:
        raise click.UsageError("--as-of fixes the as-of date that --vary as_of varies; give one of them")
    label = "standard input" if request == "-" else request
    base = with_options(load_request(request), as_of, view)
    if not isinstance(base, dict):
        decide(base, engine_name, label)  # exits 3 with the reason
    if assignments:
        try:
            base = overrides.apply(base, overrides.parse_all(assignments))
        except overrides.BadOverride as exc:
            fail(EXIT_INVALID, f"--set {exc}")
        label += " with " + ", ".join(f"--set {textout.shorten(a)}" for a in assignments)
    try:
        axis = boundaries.axis_for(base, path)
    except boundaries.BadAxis as exc:
        fail(EXIT_INVALID, f"--vary {exc}")
    current = decide(base, engine_name, label)
    base.setdefault("as_of", current["as_of"])  # every probe is decided on the same date
    if axis.current is None and axis.steps == ("as_of",):
        axis = dataclasses.replace(axis, current=axis.units_of(current["as_of"]))
    low, high, notes = _range(axis, low_text, high_text)
    search = _search(base, axis, low, high, engine_name, max_evaluations)
    runs = search.runs()
    if len(runs) == 1 and runs[0].probe.refused is not None:
        fail(EXIT_INVALID, f"--vary {axis.path}: the request is invalid at every value from {axis.text(low)} to "
                           f"{axis.text(high)}: {runs[0].probe.refused}")
    report = _report(label, axis, base, current, search, engine_name, notes)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        click.echo(render_text(report))
    sys.stdout.flush()
    sys.exit(EXIT_ALLOWED)


def _range(axis, low_text, high_text) -> tuple[int, int, list[str]]:
    """The range to search, in units, and notes on how it was narrowed. Exit 2 for a bound that is
    not a value of the field or an empty range, 3 when the schema refuses every value in it."""
    given = {}
    for option, text in (("--min", low_text), ("--max", high_text)):
        if text is not None:
            try:
                given[option] = axis.units_of(text)
            except boundaries.BadBound as exc:
                fail(EXIT_USAGE, f"{option} {exc} ({visible(axis.path)} is {_kind_words(axis)})")
    low, high = boundaries.default_range(axis, given.get("--min"), given.get("--max"))
    if low > high:
        low_words = "--min" if "--min" in given else "the default minimum"
        high_words = "--max" if "--max" in given else "the default maximum"
        fail(EXIT_USAGE, f"the range is empty: {low_words} {axis.text(low)} is above {high_words} {axis.text(high)}")
    if low == high:
        fail(EXIT_USAGE, f"the range is empty: --min and --max are both {axis.text(low)}, so nothing varies")
    notes = []
    if axis.low is not None and low < axis.low:
        notes.append(f"the request schema allows no {axis.path} below {axis.text(axis.low)}: searched from there")
        low = axis.low
    if axis.high is not None and high > axis.high:
        notes.append(f"the request schema allows no {axis.path} above {axis.text(axis.high)}: searched up to there")
        high = axis.high
    if low >= high:
        allowed = f"{axis.text(axis.low if axis.low is not None else low)} to " \
                  f"{axis.text(axis.high) if axis.high is not None else 'any'}"
        fail(EXIT_INVALID, f"--vary {axis.path}: the range holds no two values the request schema accepts "
                           f"(it allows {allowed})")
    return low, high, notes


def _kind_words(axis) -> str:
    return {"integer": "a whole number", "number": "a number with at most 4 decimal places",
            "operations": "an operation count such as 3e26, in whole units of 10^12",
            "date": "a date in YYYY-MM-DD form"}[axis.kind]


def _search(base, axis, low, high, engine_name, max_evaluations):
    import aidf

    def probe(units):
        request = overrides.apply(base, [(axis.path, axis.value(units))], from_text=False)
        try:
            return boundaries.Probe.of(aidf.evaluate(request, engine_name=engine_name).document)
        except aidf.InvalidRequest as exc:
            first = exc.problems[0] if exc.problems else None
            return boundaries.Probe.invalid(first.path if first else "$", first.message if first else str(exc))
        except aidf.EngineError as exc:
            fail(EXIT_ENGINE, f"{axis.path}={axis.text(units)}: policy engine error: {exc}")

    extra = boundaries.policy_dates() if axis.kind == "date" else ()
    return boundaries.search(probe, low, high, current=axis.current, extra=extra, max_evaluations=max_evaluations)


# -- the report (JSON) and its words -------------------------------------------------------

def _point(axis, units) -> dict:
    return {"value": axis.value(units), "text": axis.text(units)}


def _state(probe) -> dict:
    if probe.refused is not None:
        return {"allowed": None, "outcome": "refused", "authorization": None, "review_policy": None,
                "refused": probe.refused}
    d = probe.decision
    return {"allowed": d.get("allowed"), "outcome": d.get("outcome"), "authorization": d.get("authorization"),
            "review_policy": d.get("review_policy"), "refused": None}


def _report(label, axis, base, current, search, engine_name, notes) -> dict:
    runs = search.runs()
    intervals = []
    for n, run in enumerate(runs):
        following = runs[n + 1] if n + 1 < len(runs) else None
        intervals.append({"from": _point(axis, run.first), "to": _point(axis, run.last), "resolved": True,
                          **_state(run.probe)})
        if following is not None and following.first > run.last + 1:
            intervals.append({"from": _point(axis, run.last + 1), "to": _point(axis, following.first - 1),
                              "resolved": False, "allowed": None, "outcome": "not resolved", "authorization": None,
                              "review_policy": None, "refused": None})
    on = None if axis.steps == ("as_of",) else current.get("as_of")
    changes = [{"last": _point(axis, c.before.last), "first": _point(axis, c.after.first), "exact": c.exact,
                "before": _state(c.before.probe), "after": _state(c.after.probe),
                "words": words(axis, c, base.get("action"), on)} for c in search.changes()]
    return {
        "request": label, "vary": axis.path, "field": axis.label, "kind": axis.kind, "unit": axis.unit,
        "engine": engine_name, "as_of": current.get("as_of"), "view": current.get("view"),
        "current": None if axis.current is None else _point(axis, axis.current),
        "current_decision": {key: current.get(key) for key in ("allowed", "outcome", "authorization", "review_policy")},
        "range": {"min": _point(axis, search.low), "max": _point(axis, search.high)},
        "notes": notes,
        "intervals": intervals,
        "changes": changes,
        "search": {"evaluations": search.evaluations, "max_evaluations": search.max_evaluations,
                   "complete": search.complete, "samples": search.samples + 1,
                   "initial_values": {"probed": search.sampled, "planned": search.planned},
                   "sample_step": axis.span(search.step)},
    }


def _described(state: dict) -> str:
    if state["refused"] is not None:
        return f"refused as invalid ({state['refused']})"
    text = state["outcome"]
    if state["authorization"]:
        text += f" under {state['authorization']}"
    if state["review_policy"]:
        text += f" ({state['review_policy'].replace('_', ' ')})"
    return text


def _proceeds(state: dict, action, still: bool = False) -> str:
    """"ships under LPP", "is still allowed (not_controlled)"."""
    adverb = "still " if still else ""
    if state["authorization"] and action == "export_chips":
        return f"{adverb}ships under {state['authorization']}"
    how = f"under {state['authorization']}" if state["authorization"] else f"({state['outcome']})"
    return f"is {adverb}allowed {how}"


def words(axis, change, action, on: str | None) -> str:
    """One change point in a sentence a reader can paste into a memo."""
    before, after = _state(change.before.probe), _state(change.after.probe)
    last, first = axis.text(change.before.last), axis.text(change.after.first)
    when = f" on {on}" if on else ""
    if not change.exact:
        return (f"between {last} ({_described(before)}) and {first} ({_described(after)}) the outcome changes; "
                f"the evaluation cap stopped the search before it found the exact value")
    subject = (f"{axis.label} that" if axis.label.startswith("quantity of")
               else f"{axis.label} at which the request")
    if axis.kind == "date":
        big, small = "last", "first"
        subject = f"{axis.label} {'on' if axis.steps == ('as_of',) else 'for'} which the request"
        when = f" as of {on}" if on else ""
    else:
        big, small = "largest", "smallest"
    if before["allowed"] is True and after["allowed"] is not True:
        return (f"the {big} {subject} {_proceeds(before, action, still=True)}{when} is {last}; "
                f"from {first} the outcome is {_described(after)}")
    if before["allowed"] is not True and after["allowed"] is True:
        return (f"the {small} {subject} {_proceeds(after, action)}{when} is {first}; "
                f"up to {last} the outcome is {_described(before)}")
    return f"up to {last} the outcome is {_described(before)}{when}; from {first} it is {_described(after)}"


# -- text ----------------------------------------------------------------------------------

def render_text(report: dict) -> str:
    field = report["field"] if report["field"] == report["vary"] else f"{report['vary']} ({report['field']})"
    view = (report["view"] or "as_written").replace("_", " ")
    current = report["current"]["text"] if report["current"] else "not given"
    out = [visible(f"Boundary of {field} in {report['request']}"),
           f"  as of {report['as_of']}, {view}; current value {current}; "
           f"searched {report['range']['min']['text']} to {report['range']['max']['text']}"]
    out += [_wrapped(note, "  note: ") for note in report["notes"]]
    out.append("")
    rows, tones = [], []
    for interval in report["intervals"]:
        allowed = {True: "yes", False: "NO", None: "-"}[interval["allowed"]]
        outcome = interval["outcome"] if interval["refused"] is None else "refused as invalid (below)"
        rows.append([interval["from"]["text"], interval["to"]["text"], allowed, outcome,
                     interval["authorization"] or "-", interval["review_policy"] or "-"])
        tones.append({True: "allowed", False: "not allowed"}.get(interval["allowed"]))
    table = textout.table(["from", "to", "allowed", "outcome", "authorization", "review policy"], rows,
                          tones=tones, tone_column=2)
    out.append("\n".join(line.rstrip() for line in table.split("\n")))
    out += [_wrapped(f"{i['from']['text']} to {i['to']['text']}: {i['refused']}", "  refused ")
            for i in report["intervals"] if i["refused"] is not None]
    out.append("")
    if report["changes"]:
        out.append("Where the outcome changes")
        out += [_wrapped(change["words"][0].upper() + change["words"][1:] + ".", "  - ") for change in report["changes"]]
    else:
        out.append(f"The outcome is the same over the whole range ({report['range']['min']['text']} to "
                   f"{report['range']['max']['text']}).")
    search = report["search"]
    how = (f"How: {search['evaluations']:,} evaluations of the real policy on {report['engine']} (at most "
           f"{search['max_evaluations']:,}). First {search['samples']} evenly spaced values (every "
           f"{search['sample_step']}), both ends, the current value and values at doubling distances from the "
           f"minimum{', and every date in the policy data' if report['kind'] == 'date' else ''}; then every two "
           f"neighbouring values whose decisions differ (outcome, reasons, obligations or authorizations "
           f"available) were bisected down to neighbouring values. A change that starts and ends between two "
           f"neighbouring samples and leaves all of that the same at both would not be seen.")
    out += ["", _wrapped(how, "")]
    initial = search["initial_values"]
    if initial["probed"] < initial["planned"]:
        out.append(_wrapped(f"Only {initial['probed']:,} of the {initial['planned']:,} values planned before bisection "
                            f"fit in the cap.", ""))
    if not search["complete"]:
        out.append(_wrapped("INCOMPLETE: the evaluation cap was reached before the search finished; rows marked "
                            "'not resolved' and changes without an exact value need a larger --max-evaluations.",
                            ""))
    return "\n".join(out)


def _wrapped(text: str, first: str) -> str:
    return textwrap.fill(visible(text), render.WIDTH, initial_indent=first, subsequent_indent=" " * len(first),
                         break_on_hyphens=False, break_long_words=False)
