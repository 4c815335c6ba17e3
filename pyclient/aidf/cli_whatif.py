"""`aidf whatif`: a request as it is and with changed facts, decided side by side.

Exit code: that of the changed decision (0 allowed, 1 not), 3 for an invalid request or a bad
--set, 4 for an engine error; no --set at all is a usage error (2).
"""
from __future__ import annotations

import json
import sys
import textwrap

import click

from . import compare as comparing
from . import limits, overrides, render, textout
from .cli_params import (EXIT_ALLOWED, EXIT_ENGINE, EXIT_INVALID, EXIT_NOT_ALLOWED, as_of_option, engine_option,
                         fail, format_option, view_option, view_value)
from .terminal import visible


# -- shared with `aidf boundary` -------------------------------------------------------

def load_request(source: str):
    """The request in a file (or standard input for -): exit 3 when it cannot be read or parsed."""
    from . import reading
    from .validation import InvalidRequest

    label = "standard input" if source == "-" else source
    try:
        return reading.load(source, limits.DEFAULT_TIMEOUT_SECONDS)  # a FIFO or a stalled pipe never hangs
    except InvalidRequest as exc:
        line = exc.summary()
        fail(EXIT_INVALID, line if label in line else f"{label}: {line}")


def with_options(request, as_of: str | None, view: str | None):
    """The request with --as-of and --view written into it, so a --set as_of or view can still
    change them for the other decision."""
    if not isinstance(request, dict):
        return request  # not an object: validation says so
    request = dict(request)
    if as_of:
        request["as_of"] = as_of
    if view:
        request["view"] = view_value(view)
    return request


def decide(request, engine_name: str, where: str):
    """The decision (a dict), or exit 3 (invalid, naming the field) or 4 (engine error)."""
    import aidf

    try:
        return aidf.evaluate(request, engine_name=engine_name).document
    except aidf.InvalidRequest as exc:
        fail(EXIT_INVALID, f"{where}: {exc.summary()}")
    except aidf.EngineError as exc:
        fail(EXIT_ENGINE, f"{where}: policy engine error (treated as not allowed): {exc}")


def exit_code(decision: dict) -> int:
    if decision.get("outcome") == "invalid_request":
        return EXIT_INVALID
    return EXIT_ALLOWED if decision.get("allowed") is True else EXIT_NOT_ALLOWED


# -- the command -----------------------------------------------------------------------

@click.command()
@click.argument("request", metavar="REQUEST.json|-")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="A changed fact, e.g. items[0].quantity=1700, destination=MY, as_of=2026-03-01, "
                   "view=enforced. Repeat for several; at least one.")
@as_of_option
@view_option
@format_option("text", "json")
@engine_option
def whatif(request, assignments, as_of, view, fmt, engine_name):
    """Decide REQUEST as it is and with changed facts, side by side.

    Shows what changed in outcome, allowed, authorization, review policy,
    reasons (codes added and removed, with their messages) and obligations.
    --as-of and --view apply to both decisions; --set as_of=DATE or
    --set view=enforced changes them for the second only.

    \b
    Example:
      aidf whatif examples/03-lpp-singapore-first-order.json --set items[0].quantity=1700

    Exit code: that of the changed decision (0 allowed, 1 not allowed), 3 for an
    invalid request or a --set that cannot apply, 4 for an engine error.
    """
    if not assignments:
        raise click.UsageError("give at least one --set PATH=VALUE (e.g. --set items[0].quantity=1700)")
    try:
        pairs = overrides.parse_all(assignments)
    except overrides.BadOverride as exc:
        fail(EXIT_INVALID, f"--set {exc}")
    label = "standard input" if request == "-" else request
    base = with_options(load_request(request), as_of, view)
    before = decide(base, engine_name, label)
    try:
        changed = overrides.apply(base, pairs)
    except overrides.BadOverride as exc:
        fail(EXIT_INVALID, f"--set {exc}")
    after = decide(changed, engine_name, "with " + ", ".join(f"--set {textout.shorten(a)}" for a in assignments))
    facts = [{"path": path, "before": overrides.get(base, overrides.parse_path(path)),
              "after": overrides.get(changed, overrides.parse_path(path))} for path, _ in pairs]
    differences = comparing.compare(before, after)
    if fmt == "json":
        click.echo(json.dumps({"request": label, "engine": engine_name, "changes": facts, "as_is": before,
                               "changed": after, "differences": differences}, indent=2, sort_keys=True))
    else:
        click.echo(render_text(label, facts, differences))
    sys.stdout.flush()
    sys.exit(exit_code(after))


# -- text ------------------------------------------------------------------------------

_ROW_NAMES = {"allowed": "allowed", "outcome": "outcome", "authorization": "authorization",
              "review_policy": "review policy", "as_of": "as of", "view": "view"}


def _cell(name: str, value) -> str:
    if name == "allowed":
        return "yes" if value is True else "NO"
    if name == "view" and isinstance(value, str):
        return value.replace("_", " ")
    return "-" if value is None else str(value)


def fact_text(value) -> str:
    if value is None:
        return "(not given)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return textout.number(value) if isinstance(value, (int, float)) else str(value)


def render_text(label: str, facts: list[dict], differences: dict) -> str:
    out = [f"What if: {visible(label)}"]
    out += [f"  {visible(f['path'])}: {visible(fact_text(f['before']))} -> {visible(fact_text(f['after']))}"
            for f in facts]
    out.append("")
    rows, tones = [], []
    for name in comparing.HEADLINE_FIELDS:
        field = differences["fields"][name]
        rows.append([_ROW_NAMES[name], _cell(name, field["before"]), _cell(name, field["after"]),
                     "changed" if field["changed"] else ""])
        tones.append(("allowed" if field["after"] is True else "not allowed") if name == "allowed" else None)
    table = textout.table(["", "as is", "with the changes", ""], rows, tones=tones, tone_column=2)
    out.append("\n".join(line.rstrip() for line in table.split("\n")))
    if not differences["changed"]:
        out.append("\nThe outcome does not change.")
    out += _entry_lines("Reasons", differences["reasons"])
    out += _entry_lines("Obligations", differences["obligations"])
    return "\n".join(out)


def _entry_lines(title: str, changes: dict) -> list[str]:
    out = []
    for key, mark in (("added", "+"), ("removed", "-")):
        if changes[key]:
            out.append(f"\n{title} {key}")
            out += [_wrapped(_described(e), f"  {mark} ") for e in changes[key]]
    if changes["reworded"]:
        out.append(f"\n{title} kept, with other words")
        for change in changes["reworded"]:
            out.append(f"  ~ {visible(change['code'])}")
            out += [_wrapped(e["message"] or "", "      was: ") for e in change["before"]]
            out += [_wrapped(e["message"] or "", "      now: ") for e in change["after"]]
    if not any(changes.values()):
        out.append(f"\n{title}: no change")
    return out


def _wrapped(text: str, first: str) -> str:
    return textwrap.fill(visible(text), render.WIDTH, initial_indent=first, subsequent_indent=" " * len(first),
                         break_on_hyphens=False, break_long_words=False)


def _described(entry: dict) -> str:
    due = f" Due: {entry['due']}." if entry.get("due") else ""
    return f"{entry['code']}: {entry['message']}{due} [{entry['citation']}]"
