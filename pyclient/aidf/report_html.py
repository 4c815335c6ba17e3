"""`aidf report --format html`: the report as one self-contained page.

No script, no external stylesheet, font or image: inline CSS and inline SVG only, and a
Content-Security-Policy that would block anything else. Every string that came from a request,
a suite or a decision is escaped (html.escape) after control and invisible characters are made
visible, so a request_id such as "<script>" is shown as text. Printed, it is black on white,
each request starts a new page, and tables and charts are not split across pages where they fit.
"""
from __future__ import annotations

import html as _html

from . import report as model
from .terminal import visible

_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 15px;
       line-height: 1.45; color: #111; background: #fff; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #111; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
pre { background: #f3f3f3; border: 1px solid #bbb; padding: .5rem; white-space: pre-wrap;
      overflow-wrap: anywhere; font-size: .85rem; }
.note { color: #444; font-size: .9rem; }
.verdict { display: inline-block; font-weight: bold; padding: .1rem .5rem; border: 2px solid; border-radius: 3px; }
.verdict.allowed { color: #135f13; border-color: #135f13; background: #eef8ee; }
.verdict.not-allowed { color: #9b1111; border-color: #9b1111; background: #fbeeee; }
.summary-line { margin: .6rem 0; }
.summary-line > span { display: inline-block; margin-right: 1.2rem; }
blockquote { margin: .6rem 0; padding: .3rem .8rem; border-left: 4px solid #888; background: #f7f7f7; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .9rem; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
table.suite, table.authorizations { table-layout: fixed; }
table.suite td, table.authorizations td, table.authorizations th { overflow-wrap: anywhere; }
table.authorizations ul { margin: 0; padding-left: 1.1rem; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
.pass { color: #135f13; font-weight: bold; }
.fail, .error { color: #9b1111; font-weight: bold; }
.cite { color: #333; font-style: italic; }
.tag { font-size: .8rem; color: #555; }
ol li, ul li { margin-bottom: .3rem; }
figure.gauge { margin: .4rem 0 1rem; }
figure.gauge figcaption { font-size: .9rem; margin-bottom: .2rem; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font-family: inherit; font-size: 12px; fill: #111; }
svg.chart .bar-before { fill: #9db4cc; }
svg.chart .bar-after { fill: #2f5f8f; }
svg.chart .bar-after.over { fill: #b22222; }
svg.chart .track { fill: #f0f0f0; }
svg.chart .limit { stroke: #000; stroke-width: 2; stroke-dasharray: 4 3; }
@page { margin: 16mm 14mm; }
@media print {
  /* 2px on the right: a border drawn on the edge of the printable area would be cut off */
  body { color: #000; background: #fff; font-size: 10.5pt; max-width: none; margin: 0; padding: 0 2px 0 0; }
  h2 { border-color: #000; }
  section.request { break-before: page; }
  section.request.first { break-before: auto; }
  table, figure, blockquote, pre, tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  pre, blockquote, th, .verdict { background: #fff; }
  .verdict.allowed, .verdict.not-allowed, .pass, .fail, .error, .cite, .tag, .note { color: #000; }
  .verdict { border-color: #000; }
  th, td { border-color: #000; }
  svg.chart text { fill: #000; }
  svg.chart .track { fill: #fff; stroke: #000; stroke-width: .5; }
  svg.chart .bar-before { fill: #c8c8c8; }
  svg.chart .bar-after { fill: #6e6e6e; }
  svg.chart .bar-after.over { fill: #000; }
}
"""


def h(text) -> str:
    """Text from anywhere, safe in an element or an attribute."""
    return _html.escape(visible(str(text)), quote=True)


def _table(headers: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(),
           status_column: int | None = None) -> str:
    head = "".join(f"<th scope=\"col\">{h(x)}</th>" for x in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = "num" if i in numeric else (cell.lower() if i == status_column else "")
            cells.append(f"<td class=\"{h(cls)}\">{h(cell)}</td>" if cls else f"<td>{h(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _suite_table(suite: model.SuiteSection) -> str:
    """The pass/fail table, its columns fixed so that long codes wrap instead of widening the
    table past the page; expectations one per line."""
    widths = ("4%", "22%", "13%", "8%", "21%", "17%", "15%")
    cols = "".join(f'<col style="width: {w}">' for w in widths)
    head = "".join(f'<th scope="col">{h(x)}</th>' for x in model.SUITE_HEADERS)
    rows = []
    for n, (row, result) in enumerate(zip(model.suite_rows(suite), suite.results), 1):
        number, name, source, status = row[:4]
        expected = "<br>".join(h(p) for p in model.expectation_parts(result.expected)) or "-"
        seen = "<br>".join(h(p) for p in model.seen_parts(result))
        rows.append(f"<tr><td>{h(number)}</td><td>{h(name)}</td><td>{h(source)}</td>"
                    f'<td class="{h(status.lower())}">{h(status)}</td><td>{expected}</td><td>{seen}</td>'
                    f"<td>{h(row[6])}</td></tr>")
    return (f'<table class="suite"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


class _Ids:
    """Element ids unique within the page (an SVG's <title> is referenced by id)."""

    def __init__(self):
        self.count = 0

    def next(self, stem: str) -> str:
        self.count += 1
        return f"{stem}-{self.count}"


def gauge_svg(gauge: model.Gauge, ids: _Ids) -> str:
    """Two bars (before, after) against a dashed limit line, labelled in text, with a <title> and
    <desc> for screen readers."""
    width, label_w, right = 600, 190, 20
    top, bar_h, gap = 22, 20, 8
    height = top + 2 * bar_h + gap + 8
    span = width - label_w - right
    scale = max(gauge.limit, gauge.before, gauge.after) * 1.12 or 1.0
    if gauge.unit == "percent":
        scale = min(scale, 100.0) if max(gauge.limit, gauge.before, gauge.after) <= 100 else scale

    def x(value: float) -> float:
        return label_w + span * max(0.0, value) / scale

    def bar_width(value: float) -> float:
        return 0.0 if value <= 0 else max(1.0, x(value) - label_w)

    title_id, desc_id = ids.next("chart-title"), ids.next("chart-desc")
    title = f"{gauge.subject}: before and after this request, against the limit"
    desc = (f"Before {gauge.before_label}; after {gauge.after_label}; limit {gauge.limit_label}; "
            f"{gauge.verdict}.")
    after_class = "bar-after" if gauge.passes else "bar-after over"
    limit_x = x(gauge.limit)
    anchor = "end" if limit_x > width - 60 else "middle"
    rows = []
    for n, (name, value, label, cls) in enumerate((("Before", gauge.before, gauge.before_label, "bar-before"),
                                                   ("After", gauge.after, gauge.after_label, after_class))):
        y = top + n * (bar_h + gap)
        rows.append(
            f'<text x="4" y="{y + 14}">{h(name)}: {h(label)}</text>'
            f'<rect class="track" x="{label_w}" y="{y}" width="{span}" height="{bar_h}"/>'
            f'<rect class="{cls}" x="{label_w}" y="{y}" width="{bar_width(value):.1f}" height="{bar_h}"/>')
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{h(title)}</title><desc id="{desc_id}">{h(desc)}</desc>'
        + "".join(rows)
        + f'<line class="limit" x1="{limit_x:.1f}" y1="{top - 4}" x2="{limit_x:.1f}" y2="{height - 4}"/>'
        f'<text x="{limit_x:.1f}" y="{top - 8}" text-anchor="{anchor}">limit {h(gauge.limit_label)}</text>'
        "</svg>")


def _entry(entry: model.Entry, mark_enforcement: bool) -> str:
    tag = ""
    if mark_enforcement and entry.enforced is not None:
        words = "BIS enforces this on the date" if entry.enforced else "BIS does not enforce this on the date"
        tag = f' <span class="tag">({words})</span>'
    return f'{h(entry.message)} <span class="cite">{h(entry.citation)}</span>{tag}'


def _request(section: model.RequestSection, number: int, ids: _Ids) -> str:
    d = section.decision
    allowed = d.get("allowed") is True
    first = " first" if number == 1 else ""
    out = [f'<section class="request{first}" id="request-{number}">',
           f"<h2>{number}. {h(section.heading)}</h2>",
           f'<p class="note">Source: {h(section.label)}</p>']
    if section.case is not None:
        c = section.case
        status = model.case_status(c)
        difference = f" — {h(model.prose(c.first_difference))}" if c.first_difference else ""
        out.append(f'<p>Case result: <span class="{status.lower()}">{h(status)}</span>{difference}</p>')
        if c.source:
            out.append(f"<p>Expectation from: {h(c.source)}</p>")
        if section.note:  # as the Markdown report gives it
            out.append(f'<p class="note">Note: {h(section.note)}</p>')
    fields = "".join(f"<span><strong>{h(name)}:</strong> {h(value)}</span>"
                     for name, value in model.summary_fields(d)[1:])
    out.append(f'<p class="summary-line"><span class="verdict {"allowed" if allowed else "not-allowed"}">'
               f"{h(model.verdict(d))}</span> {fields}</p>")
    if d.get("summary"):
        out.append(f"<blockquote>{h(model.prose(d['summary']))}</blockquote>")
    out.append(f'<p class="note">{h(model.context_line(d))}</p>')
    mixed = model.enforcement_mixed(d)
    if model.errors(d):
        out.append("<h3>Errors</h3><ul>" + "".join(f"<li>{h(e)}</li>" for e in model.errors(d)) + "</ul>")
    if model.reasons(d):
        out.append("<h3>Reasons</h3><ol>" + "".join(f"<li>{_entry(r, mixed)}</li>" for r in model.reasons(d))
                   + "</ol>")
    out.append("<h3>Obligations</h3>")
    if model.obligations(d):
        out.append("<ol>" + "".join(f"<li><strong>Due: {h(o.due or 'not stated')}.</strong> {_entry(o, mixed)}</li>"
                                    for o in model.obligations(d)) + "</ol>")
    else:
        out.append("<p>None.</p>")
    note = model.considered_note(d)
    if note:
        out.append(f"<h3>Authorizations considered</h3><p>{h(note)}</p>")
    considered = model.considered(d)
    if considered:
        out.append("<h3>Authorizations considered</h3>")
        rows = []
        for c in considered:
            state = ("available, relied on" if c.relied_on else "available") if c.available else "not available"
            why = "".join(f'<li>{h(w.message)} <span class="cite">{h(w.citation)}</span></li>' for w in c.why_not)
            rows.append(f'<tr><th scope="row">{h(c.authorization)}<br><span class="tag">{h(c.title)}</span><br>'
                        f'<span class="cite">{h(c.citation)}</span></th>'
                        f'<td class="{"pass" if c.available else "fail"}">{h(state)}</td>'
                        f'<td>{"<ul>" + why + "</ul>" if why else "-"}</td></tr>')
        out.append('<table class="authorizations"><colgroup><col style="width: 30%"><col style="width: 14%">'
                   '<col style="width: 56%"></colgroup><thead><tr><th scope="col">Authorization</th>'
                   '<th scope="col">Available</th><th scope="col">Why not</th></tr></thead><tbody>'
                   + "".join(rows) + "</tbody></table>")
    items = model.item_rows(d)
    if items:
        out.append("<h3>Items</h3>" + _table(model.ITEM_HEADERS, items, numeric={2, 3, 4}))
    line = model.model_line(d)
    if line:
        out.append(f"<p>{h(line)}</p>")
    gauges, notes = model.gauges(d), model.placement_notes(d)
    if gauges or notes:
        out.append("<h3>Limits</h3>")
        for g in gauges:
            binding = " (binding)" if g.binding and g.unit == "percent" else ""
            verdict_class = "pass" if g.passes else "fail"
            out.append(f'<figure class="gauge"><figcaption><strong>{h(g.subject)}</strong>{h(binding)}: '
                       f'<span class="{verdict_class}">{h(g.verdict)}</span> '
                       f'<span class="cite">{h(g.citation)}</span></figcaption>{gauge_svg(g, ids)}'
                       + (f'<p class="note">{h(g.note)}.</p>' if g.note else "") + "</figure>")
        if gauges:
            out.append(_table(["Limit", "Before", "After", "Limit value", "Result"],
                              [[g.subject, g.before_label, g.after_label, g.limit_label, g.verdict] for g in gauges],
                              numeric={1, 2, 3}))
        if notes:
            out.append("<ul>" + "".join(f"<li>{h(n)}</li>" for n in notes) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def html(report: model.Report) -> str:
    ids = _Ids()
    facts = "".join(f"<dt>{h(name)}</dt><dd>{h(value)}</dd>" for name, value in model.header_fields(report))
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           # Nothing but the inline style may load or run, whatever a string in the report holds.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>aidf decision report</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           "<header>", "<h1>aidf decision report</h1>", f'<dl class="facts">{facts}</dl>',
           "<p><strong>Reproduce with:</strong></p>", f"<pre><code>{h(report.command)}</code></pre>",
           '<p class="note">Exported from aidf, which encodes the Framework for Artificial Intelligence Diffusion '
           "(90 FR 4544, 15 January 2025). A decision is not legal advice.</p>", "</header>"]
    for suite in report.suites:
        out.append(f'<section class="suite"><h2>Suite: {h(model.prose(suite.title))}</h2>'
                   f'<p class="note">File: {h(suite.path)}</p>'
                   + (f"<p>{h(model.prose(suite.description))}</p>" if suite.description else "")
                   + _suite_table(suite)
                   + f"<p><strong>{h(model.suite_tally(suite))}</strong></p></section>")
    if len(report.requests) > 1:
        out.append('<section class="overview"><h2>Overview</h2>'
                   + _table(model.OVERVIEW_HEADERS, model.overview_rows(report)) + "</section>")
    for number, section in enumerate(report.requests, 1):
        out.append(_request(section, number, ids))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
