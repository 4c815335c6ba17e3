"""`aidf report`: a memo-ready account of decisions (and, for a case suite, its pass/fail table).

build() decides every request (or runs every suite) first and returns a Report; nothing is
written unless all of them could be decided. markdown() renders a Report; aidf.report_html
renders the same content as one self-contained HTML page. The facts each renderer shows (the
summary, reasons, obligations, authorizations considered, limits) are drawn from the decision
here, once, so the two formats cannot drift apart.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shlex

from . import limits, textout
from .terminal import visible

# -- the model ---------------------------------------------------------------------------------


class ReportInputError(ValueError):
    """A request, a suite or the output path cannot be used: exit 3, nothing written."""


class ReportEngineError(RuntimeError):
    """The policy engine failed on a request or a suite: exit 4, nothing written."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """A reason, an obligation or a reason an authorization is not available."""
    message: str
    citation: str
    code: str
    due: str | None = None
    enforced: bool | None = None


@dataclasses.dataclass(frozen=True)
class Considered:
    authorization: str
    title: str
    citation: str
    available: bool
    relied_on: bool
    why_not: tuple[Entry, ...]


@dataclasses.dataclass(frozen=True)
class Gauge:
    """One limit, before and after the request: a share of AI compute against a percentage
    (UVEU limits) or TPP against a cap (NVEU installed base, country allocation, LPP annual limit)."""
    subject: str
    unit: str  # "percent" or "tpp"
    before: float
    after: float
    limit: float
    passes: bool
    binding: bool
    citation: str
    before_label: str
    after_label: str
    limit_label: str
    note: str = ""  # e.g. the headroom left

    @property
    def verdict(self) -> str:
        return "within the limit" if self.passes else "over the limit"


@dataclasses.dataclass(frozen=True)
class RequestSection:
    """One decided request: from a request file, or one case of a suite."""
    label: str  # how the reader finds it: the file, or suite.yaml:LINE
    decision: dict
    heading: str  # "Request ex-03" or "Case <name>"
    as_of_defaulted: bool = False  # the request named no date and --as-of was not given: today
    case: object | None = None  # the CaseResult, for a suite's case
    note: str | None = None  # the case's note, from the suite


@dataclasses.dataclass(frozen=True)
class SuiteSection:
    path: str
    title: str
    description: str
    results: list  # CaseResult, in the suite's order
    cases: list[RequestSection]  # the cases that have a decision, in the suite's order

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)


@dataclasses.dataclass(frozen=True)
class Report:
    sections: list  # RequestSection | SuiteSection, in the order of the arguments
    as_of: str | None  # --as-of
    view: str | None  # --view (as_written / enforced)
    engine: str
    command: str  # the command that reproduces the report

    @property
    def requests(self) -> list[RequestSection]:
        out = []
        for section in self.sections:
            out.extend(section.cases if isinstance(section, SuiteSection) else [section])
        return out

    @property
    def suites(self) -> list[SuiteSection]:
        return [s for s in self.sections if isinstance(s, SuiteSection)]


# -- building ----------------------------------------------------------------------------------

SUITE_SUFFIXES = (".yaml", ".yml")
_SUITE_KEY = re.compile(rb"""^(suite|'suite'|"suite")[ \t]*:""", re.M)


def is_suite(source: str) -> bool:
    """A .yaml/.yml file with a top-level `suite:` key; any other YAML file is a request. A file
    that cannot be read counts as a suite here: reading it again says what is wrong."""
    if source == "-" or not source.lower().endswith(SUITE_SUFFIXES):
        return False
    from . import reading

    try:
        text = reading.read_path(source, limits.DEFAULT_TIMEOUT_SECONDS)
    except reading.InvalidRequest:
        return True
    return _SUITE_KEY.search(text) is not None


def command_line(sources, *, fmt: str, output: str | None, as_of: str | None, view: str | None,
                 engine: str, default_engine: str = "regorus") -> str:
    """The command that writes this report again, options in a fixed order."""
    words = ["aidf", "report", *sources, "--format", fmt]
    if output and output != "-":
        words += ["-o", output]
    if as_of:
        words += ["--as-of", as_of]
    if view:
        words += ["--view", view.replace("_", "-")]
    if engine != default_engine:
        words += ["--engine", engine]
    return " ".join(shlex.quote(w) for w in words)


def build(sources, *, as_of: str | None, view: str | None, engine: str, command: str) -> Report:
    """Decide every request file and run every suite. Raises ReportInputError (exit 3) or
    ReportEngineError (exit 4) naming the source; a case that fails is part of the report."""
    sections = []
    for source in sources:
        if is_suite(source):
            sections.append(_suite_section(source, as_of=as_of, view=view, engine=engine))
        else:
            sections.append(_request_section(source, as_of=as_of, view=view, engine=engine))
    return Report(sections=sections, as_of=as_of, view=view, engine=engine, command=command)


def _request_section(source: str, *, as_of, view, engine) -> RequestSection:
    from . import api, reading, validation
    from .engines import EngineError, first_line

    label = "standard input" if source == "-" else source
    try:
        request = reading.load(source, limits.DEFAULT_TIMEOUT_SECONDS)
        decision = api.evaluate(request, as_of=as_of, view=view, engine_name=engine).to_dict()
    except validation.InvalidRequest as exc:
        raise ReportInputError(_invalid_line(label, exc)) from exc
    except EngineError as exc:
        raise ReportEngineError(f"{label}: {first_line(str(exc))}") from exc
    if decision.get("outcome") == "invalid_request":
        raise ReportInputError(f"invalid request {label}: " + "; ".join(decision.get("errors") or ["rejected"]))
    defaulted = as_of is None and not (isinstance(request, dict) and request.get("as_of"))
    return RequestSection(label=label, decision=decision, heading=f"Request {request_name(decision, label)}",
                          as_of_defaulted=defaulted)


def _invalid_line(label: str, exc) -> str:
    """One line for an invalid request (validation.InvalidRequest.summary), naming the file."""
    first = exc.problems[0] if exc.problems else None
    if first is not None and first.path == "$" and first.message.startswith("cannot read"):
        return exc.summary()  # it names the file already
    return f"invalid request {label}: {exc.summary()}"


def _suite_section(source: str, *, as_of, view, engine) -> SuiteSection:
    from . import cases

    if not os.path.exists(source):
        raise ReportInputError(f"cannot read {source}: No such file or directory")
    from .engines import EngineError, first_line

    try:
        suite = cases.load_suite(source)
    except cases.SuiteError as exc:
        raise ReportInputError(f"invalid suite {exc}") from exc
    except OSError as exc:
        raise ReportInputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    suite = cases.at(suite, as_of, view)  # as `aidf cases run` does
    try:
        results = cases.run_suite(suite, engines=(engine,))
    except EngineError as exc:
        raise ReportEngineError(f"{source}: {first_line(str(exc))}") from exc
    notes = {c.name: c.note for c in suite.cases}
    undated = {c.name for c in suite.cases if not c.request.get("as_of")}
    sections = []
    for result in results:
        if result.error or result.decision is None:  # a report is written only if every case was decided
            where = f"{suite.path}:{result.line}: case {result.name!r}"
            if str(result.error).startswith("invalid request"):
                raise ReportInputError(f"invalid suite {where}: {result.error}")
            raise ReportEngineError(f"{where}: {result.error or 'no decision'}")
        label = f"{suite.path}:{result.line}" if result.line else str(suite.path)
        sections.append(RequestSection(label=label, decision=result.decision, heading=f"Case {result.name}",
                                       case=result, note=notes.get(result.name),
                                       as_of_defaulted=result.name in undated))
    return SuiteSection(path=str(suite.path), title=suite.title, description=suite.description or "",
                        results=list(results), cases=sections)


# -- what a decision says, for both renderers ----------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def written_date(value) -> str:
    """"2025-06-01" -> "1 June 2025"; anything that is not a date stays as it is."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def prose(text) -> str:
    """Text for a reader: ISO dates written out, control and invisible characters made visible,
    line breaks folded (a message is one paragraph)."""
    text = _ISO_DATE.sub(lambda m: written_date(m.group(0)), str(text))
    return visible(" ".join(text.split("\n")))


def words(code) -> str:
    """"presumption_of_denial" -> "presumption of denial"; None -> "none"."""
    return "none" if code in (None, "") else str(code).replace("_", " ")


def request_name(decision: dict, label: str) -> str:
    return str(decision.get("request_id") or os.path.basename(label))


def verdict(decision: dict) -> str:
    return "Allowed" if decision.get("allowed") is True else "Not allowed"


def authorization_text(decision: dict) -> str:
    name = decision.get("authorization")
    if not name:
        return "none"
    for c in (decision.get("authorizations") or {}).get("considered") or []:
        if c.get("authorization") == name and c.get("title"):
            return f"{name} — {c['title']}"
    return str(name)


def summary_fields(decision: dict) -> list[tuple[str, str]]:
    """The summary line: allowed, outcome, authorization, review policy."""
    return [("Allowed", "yes" if decision.get("allowed") is True else "no"),
            ("Outcome", words(decision.get("outcome"))),
            ("Authorization", authorization_text(decision)),
            ("Review policy", words(decision.get("review_policy")))]


_ENFORCEMENT = {
    "as_written": "",
    "non_enforcement_announced": "BIS announced on 13 May 2025 that it would not enforce the rule",
    "non_enforcement_except_d5_macau_headquarters": "BIS does not enforce the rule except the Macau/D:5-headquarters "
                                                    "requirement",
}


def context_line(decision: dict) -> str:
    """As-of date, view and the rule's status on that date."""
    parts = [f"As of {written_date(decision.get('as_of', '-'))}", f"view: {words(decision.get('view'))}"]
    status = decision.get("rule_status") or {}
    if status.get("label"):
        parts.append(f"rule status: {status['label']}")
    enforcement = _ENFORCEMENT.get(status.get("enforcement"), "")
    if enforcement:
        evaluated = "evaluated as enforced" if decision.get("view") == "enforced" else "evaluated as written"
        parts.append(f"{enforcement} ({evaluated})")
    return prose("; ".join(parts))


def _entry(raw: dict) -> Entry:
    return Entry(message=prose(raw.get("message", "")), citation=prose(raw.get("citation", "")),
                 code=str(raw.get("code", "")), due=prose(raw["due"]) if raw.get("due") else None,
                 enforced=raw.get("enforced"))


def reasons(decision: dict) -> list[Entry]:
    return [_entry(r) for r in decision.get("reasons") or []]


def obligations(decision: dict) -> list[Entry]:
    return [_entry(o) for o in decision.get("obligations") or []]


def errors(decision: dict) -> list[str]:
    return [prose(e) for e in decision.get("errors") or []]


# Outcomes for which the authorizations weighed say nothing: no licence is needed, or nothing was
# evaluated (an "available" there would read as a permission the decision does not give).
_NOTHING_TO_AUTHORIZE = {
    "no_license_required": "None needed: no licence is required.",
    "not_subject": "None needed: the action is not subject to these controls.",
    "framework_not_in_effect": "Not evaluated: the framework was not in effect on the as-of date.",
}


def considered_note(decision: dict) -> str | None:
    """Why the authorizations considered are not listed, for an export_chips decision that has them."""
    if not (decision.get("authorizations") or {}).get("considered"):
        return None
    return _NOTHING_TO_AUTHORIZE.get(decision.get("outcome"))


def considered(decision: dict) -> list[Considered]:
    """export_chips: every authorization weighed, the one relied on first, then the others
    available, then those not available; by name within each group."""
    if considered_note(decision):
        return []
    relied = decision.get("authorization")
    out = [Considered(authorization=str(c.get("authorization")), title=prose(c.get("title", "")),
                      citation=prose(c.get("citation", "")), available=c.get("available") is True,
                      relied_on=c.get("authorization") == relied and relied is not None,
                      why_not=tuple(_entry(w) for w in c.get("why_not") or []))
           for c in (decision.get("authorizations") or {}).get("considered") or []]
    return sorted(out, key=lambda c: (not c.relied_on, not c.available, c.authorization))


def enforcement_mixed(decision: dict) -> bool:
    """Whether the reasons and obligations differ in whether BIS enforces them; when they all
    agree, the context line says so once instead of a mark on every entry."""
    marks = {e.get("enforced") for e in (decision.get("reasons") or []) + (decision.get("obligations") or [])}
    return len(marks - {None}) > 1


def _share(side: dict) -> float:
    total = side.get("total_tpp") or 0
    return 100.0 * side.get("tpp", 0) / total if total else 0.0


def _percent(value: float) -> str:
    return f"{value:.2f}%"


def gauges(decision: dict) -> list[Gauge]:
    """Every limit the decision measured, in the decision's order: deploy_compute constraints,
    the country allocation, or the cap an export_chips shipment counts against."""
    out = []
    if decision.get("outcome") in ("framework_not_in_effect", "invalid_request"):
        return out
    for c in decision.get("constraints") or []:
        before, after = c.get("before") or {}, c.get("after") or {}
        if "limit_percent" in c:
            out.append(Gauge(
                subject=prose(c.get("subject", "")), unit="percent", before=_share(before), after=_share(after),
                limit=float(c["limit_percent"]), passes=c.get("passes") is True, binding=c.get("binding") is True,
                citation=prose(c.get("citation", "")),
                before_label=str(before.get("share") or _percent(_share(before))),
                after_label=str(after.get("share") or _percent(_share(after))),
                limit_label=f"{textout.number(c['limit_percent'])}%",
                note=f"{textout.number(before.get('tpp', 0))} TPP before, {textout.number(after.get('tpp', 0))} "
                     f"TPP after, of {textout.number(after.get('total_tpp', 0))} TPP in all"))
        elif "limit_tpp" in c:
            out.append(Gauge(
                subject=prose(c.get("subject", "")), unit="tpp", before=float(before.get("tpp", 0)),
                after=float(after.get("tpp", 0)), limit=float(c["limit_tpp"]), passes=c.get("passes") is True,
                binding=c.get("binding") is True, citation=prose(c.get("citation", "")),
                before_label=f"{textout.number(before.get('tpp', 0))} TPP",
                after_label=f"{textout.number(after.get('tpp', 0))} TPP",
                limit_label=f"{textout.number(c['limit_tpp'])} TPP"))
    usage = decision.get("allocation") or (decision.get("tpp") or {}).get("counts_against")
    if usage:
        out.append(_usage_gauge(usage, decision))
    return out


def _usage_gauge(usage: dict, decision: dict) -> Gauge:
    if usage.get("limit") == "lpp_annual_limit":
        subject = "LPP annual limit of the ultimate consignee (calendar year)"
    else:
        code = usage.get("country") or ""
        party = decision.get("country") or (decision.get("parties") or {}).get("destination") or {}
        country = f"{party['name']} ({code})" if party.get("code") == code and party.get("name") else code
        period = f" {usage['period']}" if usage.get("period") else ""
        subject = f"Country allocation{' of ' + country if country else ''}{period}"
    return Gauge(
        subject=prose(subject), unit="tpp", before=float(usage.get("used_before", 0)), after=float(usage.get("after", 0)),
        limit=float(usage.get("limit_tpp", 0)), passes=usage.get("within_limit") is True, binding=True,
        citation=prose(_usage_citation(usage, decision)),
        before_label=f"{textout.number(usage.get('used_before', 0))} TPP",
        after_label=f"{textout.number(usage.get('after', 0))} TPP",
        limit_label=f"{textout.number(usage.get('limit_tpp', 0))} TPP",
        note=f"this request {textout.number(usage.get('this_request', 0))} TPP; headroom "
             f"{textout.number(usage.get('headroom_before', 0))} TPP before, "
             f"{textout.number(usage.get('headroom_after', 0))} TPP after")


def _usage_citation(usage: dict, decision: dict) -> str:
    """The citation the decision itself gives for the cap: LPP's entry among the authorizations
    considered, or the reason that applied the country allocation."""
    if usage.get("limit") == "lpp_annual_limit":
        for c in (decision.get("authorizations") or {}).get("considered") or []:
            if c.get("authorization") == "LPP":
                return c.get("citation", "")
        return ""
    return next((r.get("citation", "") for r in decision.get("reasons") or []
                 if str(r.get("code", "")).startswith("REV_ALLOCATION")), "")


def placement_notes(decision: dict) -> list[str]:
    """deploy_compute: the headroom left and the notice to BIS."""
    notes = []
    headroom = decision.get("headroom")
    if headroom and decision.get("outcome") not in ("framework_not_in_effect", "invalid_request"):
        if headroom.get("unbounded"):
            notes.append("Headroom: not bounded by these limits.")
        elif headroom.get("max_placement_tpp") is None:
            notes.append("Headroom: no placement in this country passes.")
        else:
            chips = f" ({textout.number(headroom['chips'])} chips)" if headroom.get("chips") is not None else ""
            notes.append(f"Headroom: {textout.number(headroom.get('tpp') or 0)} TPP more{chips}; the largest "
                         f"placement that passes is {textout.number(headroom['max_placement_tpp'])} TPP.")
    notice = decision.get("notice")
    if notice:
        given = f"given on {written_date(notice['given_on'])}" if notice.get("given_on") else "not given yet"
        state = ("it has run its course" if notice.get("satisfied")
                 else f"not authorized before {written_date(notice.get('effective_from'))}")
        notes.append(f"Notice to BIS: {textout.number(notice.get('required_days'))} days, {given}; {state}.")
    return [prose(n) for n in notes]


def item_rows(decision: dict) -> list[list[str]]:
    """export_chips: each line of the shipment and what covers it."""
    lines = {line.get("index"): line for line in decision.get("lines") or []}
    evaluated = decision.get("outcome") not in ("framework_not_in_effect", "invalid_request")
    rows = []
    for item in decision.get("items") or []:
        line = lines.get(item.get("index")) or {}
        cover = ("not evaluated" if not evaluated else "no licence needed" if not line.get("needs_licence") else
                 f"under {line['authorization']}" if line.get("authorization") else "needs a licence")
        rows.append([prose(item.get("label", "")), prose(item.get("eccn") or "-"), textout.number(item.get("quantity")),
                     textout.number(item.get("tpp_per_unit")), textout.number(item.get("tpp_total")), cover])
    return rows


ITEM_HEADERS = ["Item", "ECCN", "Quantity", "TPP per unit", "TPP total", "Cover"]


def model_line(decision: dict) -> str | None:
    model = decision.get("model")
    if not model:
        return None
    state = f"controlled (ECCN {model['eccn']})" if model.get("controlled") else "not controlled under ECCN 4E091"
    return prose(f"Model: {model.get('total_operations')} operations against the {model.get('threshold_operations')} "
                 f"threshold: {state}.")


# -- the report's header ------------------------------------------------------------------------

def header_fields(report: Report) -> list[tuple[str, str]]:
    """As-of date, view, policy revision, engine: what a reader needs to trust and redo it."""
    decisions = [r.decision for r in report.requests]
    dates = sorted({d.get("as_of") for d in decisions if d.get("as_of")})
    if report.as_of:
        as_of = f"{written_date(report.as_of)} (--as-of)"
    elif len(dates) == 1:
        as_of = written_date(dates[0])
    elif dates:
        as_of = "each request's own: " + ", ".join(written_date(d) for d in dates)
    else:
        as_of = "no decision was made"
    if any(r.as_of_defaulted for r in report.requests):
        as_of += " (a request that names no date is decided as of the day the report is made)"
    views = sorted({d.get("view") for d in decisions if d.get("view")})
    view = words(report.view) if report.view else ", ".join(words(v) for v in views) or "-"
    revisions = sorted({str(d.get("policy_revision")) for d in decisions if d.get("policy_revision")})
    return [("As of", as_of), ("View", view), ("Policy revision", ", ".join(revisions) or "-"),
            ("Engine", report.engine)]


def overview_rows(report: Report) -> list[list[str]]:
    rows = []
    for n, r in enumerate(report.requests, 1):
        d = r.decision
        rows.append([str(n), prose(r.heading), verdict(d), words(d.get("outcome")), d.get("authorization") or "none",
                     words(d.get("review_policy"))])
    return rows


OVERVIEW_HEADERS = ["#", "Request", "Allowed", "Outcome", "Authorization", "Review policy"]


def expectation_parts(values: dict | None) -> list[str]:
    """A case's expected result, one "field: value" per entry, in the order its author wrote it."""
    parts = []
    for key, value in (values or {}).items():
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value) or "none"
        elif isinstance(value, dict):
            shown = ", ".join(f"{k}={_json_scalar(v)}" for k, v in value.items())
        else:
            shown = _json_scalar(value)
        parts.append(prose(f"{key}: {shown}"))
    return parts


def expectation(values: dict | None) -> str:
    return "; ".join(expectation_parts(values)) or "-"


def _json_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return textout.number(value)


_CODE_LISTS = {"reasons": True, "obligations": True, "not_reasons": False, "not_obligations": False}


def outcome_seen(result) -> list[str]:
    """What the decision said for each expectation. For codes that must (not) appear, only the
    codes the case names: a decision's full list of reasons would drown the table."""
    got, expected = dict(result.got or {}), result.expected or {}
    for key, must_appear in _CODE_LISTS.items():
        if key not in got or key not in expected:
            continue
        if must_appear:
            present = [c for c in expected[key] if c in (got[key] or [])]
            missing = [c for c in expected[key] if c not in (got[key] or [])]
            got[key] = ", ".join(present) + ("; " if present and missing else "") + \
                (f"missing {', '.join(missing)}" if missing else "")
        else:
            got[key] = f"present {', '.join(got[key])}" if got[key] else "none present"
    return expectation_parts(got)


def seen_parts(result) -> list[str]:
    """The Got column: "as expected" for a pass (the Expected column already says it)."""
    return ["as expected"] if result.passed else outcome_seen(result) or ["-"]


def case_status(result) -> str:
    return "PASS" if result.passed else "FAIL"


def suite_rows(suite: SuiteSection) -> list[list[str]]:
    rows = []
    for n, r in enumerate(suite.results, 1):
        name = f"{r.name} (line {r.line})" if r.line else r.name
        rows.append([str(n), prose(name), prose(r.source or "-"), case_status(r), expectation(r.expected),
                     "; ".join(seen_parts(r)), prose(r.first_difference or "-")])
    return rows


SUITE_HEADERS = ["#", "Case", "Source", "Result", "Expected", "Got", "First difference"]


def suite_tally(suite: SuiteSection) -> str:
    total, passed = len(suite.results), suite.passed
    failed = f", {total - passed:,} failed" if total - passed else ""
    return f"{passed:,} of {total:,} case{'s' * (total != 1)} passed{failed}."


# -- markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#&])")
_MD_LINE_START = re.compile(r"^(\d*)([-+=.)])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md(text, *, starts_line: bool = False) -> str:
    """Input text made inert in Markdown: no emphasis, links, HTML or table breaks. An underscore
    inside a word (direct_to_ultimate_consignee) cannot start emphasis and is left readable.
    starts_line: the text begins a line, where "- x", "1. x" or "===" would start a list or a heading."""
    escaped = _MD_SPECIAL.sub(r"\\\1", prose(text).strip())
    if starts_line:
        escaped = _MD_LINE_START.sub(r"\1\\\2", escaped)
    return _MD_UNDERSCORE.sub(r"\\_", escaped)


def _code_block(text: str) -> list[str]:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return [fence, visible(text), fence]


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return out


def _md_entry(entry: Entry, mark_enforcement: bool) -> str:
    enforced = ""
    if mark_enforcement and entry.enforced is not None:
        enforced = " *(BIS enforces this on the date)*" if entry.enforced else " *(BIS does not enforce this on the date)*"
    return f"{md(entry.message)} — {md(entry.citation)}{enforced}"


def _md_request(section: RequestSection, number: int) -> list[str]:
    d = section.decision
    out = [f"## {number}. {md(section.heading)}", ""]
    out += [f"Source: {md(section.label)}", ""]
    if section.case is not None:
        c = section.case
        out += [f"Case result: **{case_status(c)}**" + (f" — {md(c.first_difference)}" if c.first_difference
                                                          else ""), ""]
        if c.source:
            out += [f"Expectation from: {md(c.source)}", ""]
        if section.note:
            out += [f"Note: {md(section.note)}", ""]
    out.append(" · ".join(f"**{name}:** {md(value)}" for name, value in summary_fields(d)))
    out.append("")
    if d.get("summary"):
        out += [f"> {md(d['summary'])}", ""]
    out += [md(context_line(d), starts_line=True), ""]
    mixed = enforcement_mixed(d)
    if errors(d):
        out += ["### Errors", ""] + [f"- {md(e)}" for e in errors(d)] + [""]
    if reasons(d):
        out += ["### Reasons", ""]
        out += [f"{n}. {_md_entry(r, mixed)}" for n, r in enumerate(reasons(d), 1)] + [""]
    out += ["### Obligations", ""]
    if obligations(d):
        out += [f"{n}. **Due: {md(o.due or 'not stated')}.** {_md_entry(o, mixed)}"
                for n, o in enumerate(obligations(d), 1)]
    else:
        out.append("None.")
    out.append("")
    if considered_note(d):
        out += ["### Authorizations considered", "", considered_note(d), ""]
    if considered(d):
        out += ["### Authorizations considered", ""]
        for c in considered(d):
            if c.available:
                state = "available, relied on" if c.relied_on else "available"
                out.append(f"- **{md(c.authorization)}** ({md(c.title)}; {md(c.citation)}): {state}.")
            else:
                why = "; ".join(f"{md(w.message)} ({md(w.citation)})" for w in c.why_not) or "not stated"
                out.append(f"- **{md(c.authorization)}** ({md(c.title)}; {md(c.citation)}): not available — {why}")
        out.append("")
    rows = item_rows(d)
    if rows:
        out += ["### Items", ""] + _md_table(ITEM_HEADERS, rows) + [""]
    line = model_line(d)
    if line:
        out += [md(line, starts_line=True), ""]
    shown_gauges = gauges(d)
    notes = placement_notes(d)
    if shown_gauges or notes:
        out += ["### Limits", ""]
        if shown_gauges:
            out += _md_table(["Limit", "Before", "After", "Limit value", "Result", "Citation"],
                             [[g.subject + (" (binding)" if g.binding and g.unit == "percent" else ""),
                               g.before_label, g.after_label, g.limit_label, g.verdict, g.citation] for g in shown_gauges])
            out.append("")
        bullets = [f"- {md(g.subject)}: {md(g.note)}." for g in shown_gauges if g.note] + [f"- {md(n)}" for n in notes]
        out += bullets + ([""] if bullets else [])
    return out


def markdown(report: Report) -> str:
    out = ["# aidf decision report", ""]
    out += [f"- **{name}:** {md(value)}" for name, value in header_fields(report)]
    out += ["- **Reproduce with:**", ""] + ["  " + line for line in _code_block(report.command)] + [""]
    out += ["Exported from aidf, which encodes the Framework for Artificial Intelligence Diffusion "
            "(90 FR 4544, 15 January 2025). A decision is not legal advice.", ""]
    for suite in report.suites:
        out += [f"## Suite: {md(suite.title)}", "", f"File: {md(suite.path)}", ""]
        if suite.description:
            out += [md(suite.description, starts_line=True), ""]
        out += _md_table(SUITE_HEADERS, suite_rows(suite)) + ["", f"**{suite_tally(suite)}**", ""]
    if len(report.requests) > 1:
        out += ["## Overview", ""] + _md_table(OVERVIEW_HEADERS, overview_rows(report)) + [""]
    for number, section in enumerate(report.requests, 1):
        out += _md_request(section, number)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
