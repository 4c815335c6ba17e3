"""`aidf cases run`: run case suites and show where the expectations hold and where they do not.

Exit codes: 0 every case passed; 1 a case failed; 3 a suite file (or a case's request) is invalid;
4 an engine failed. The highest applies.
"""
from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

import click

from . import cases as case_suites
from .cli_params import EXIT_ENGINE, EXIT_INVALID, EXIT_NOT_ALLOWED, as_of_option, fail, format_option, view_option
from .terminal import visible
from .textout import paint, table

ENGINE_CHOICES = {"regorus": ("regorus",), "opa": ("opa",), "both": ("regorus", "opa")}


@click.group()
def cases():
    """Case suites: requests with the results you expect (YAML; schema: aidf cases schema)."""


@cases.command("schema")
def schema_command():
    """Print the JSON Schema of a case suite."""
    from . import resources

    click.echo((resources.schemas_dir() / case_suites.SUITE_SCHEMA).read_text())


@cases.command("run")
@click.argument("paths", nargs=-1, required=True, metavar="SUITE.yaml|FOLDER...")
@click.option("--engine", "engine_choice", type=click.Choice(sorted(ENGINE_CHOICES)), default="regorus",
              show_default=True, help="The engine that decides; both: every case on regorus and on OPA (Go).")
@format_option("text", "json", "junit")
@as_of_option
@view_option
@click.option("--failures-only", is_flag=True, help="Text: list only the cases that did not pass.")
def run(paths, engine_choice, fmt, as_of, view, failures_only):
    """Run the case suites in the files and folders named.

    --as-of and --view, when given, replace every case's own date and view (to see what a change of
    date would do to a suite). Exit 0 when every case passes, 1 when one fails, 3 when a suite file
    or a case's request is invalid, 4 when an engine fails.
    """
    problems, results = [], []
    try:
        files = case_suites.suite_files(paths)
    except case_suites.SuiteError as exc:
        fail(EXIT_INVALID, str(exc))
    if not files:
        fail(EXIT_INVALID, f"no suite files (.yaml, .yml) in {', '.join(paths)}")
    for path in files:
        try:
            suite = case_suites.load_suite(path)
        except case_suites.SuiteError as exc:
            problems.append(str(exc))
            continue
        suite = case_suites.at(suite, as_of, view)
        results.extend(case_suites.run_suite(suite, engines=ENGINE_CHOICES[engine_choice]))
    for problem in problems:
        click.echo(f"aidf: invalid suite: {visible(problem)}", err=True)
    _show(results, fmt, failures_only, problems)
    sys.exit(_exit_code(results, problems))


def _exit_code(results, problems) -> int:
    if any(r.error and r.error.startswith("engine error") for r in results):
        return EXIT_ENGINE
    if problems or any(r.error and r.error.startswith("invalid request") for r in results):
        return EXIT_INVALID
    return EXIT_NOT_ALLOWED if any(not r.passed for r in results) else 0


def _summary(results, problems) -> dict:
    return {
        "suites": len({r.path for r in results}) + len(problems),
        "invalid_suites": len(problems),
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "failed": sum(not r.passed for r in results),
        "engines": sorted({r.engine for r in results}),
    }


def _show(results, fmt, failures_only, problems) -> None:
    if fmt == "json":
        click.echo(json.dumps({"summary": _summary(results, problems), "invalid_suites": problems,
                               "results": [_as_json(r) for r in results]}, indent=2, sort_keys=True))
    elif fmt == "junit":
        click.echo(junit(results, problems))
    else:
        click.echo(text(results, problems, failures_only=failures_only))


def _as_json(r) -> dict:
    return {"suite": r.suite, "file": r.path, "line": r.line, "case": r.name, "engine": r.engine,
            "passed": r.passed, "expected": r.expected, "got": r.got, "error": r.error,
            "first_difference": r.first_difference, "source": r.source,
            "differences": [{"field": f, "expected": e, "got": g} for f, e, g in r.differences]}


def _brief(values: dict) -> str:
    """The scalar expectations a reader checks first, in one cell."""
    parts = [f"{k}={_word(values[k])}" for k in case_suites.SCALARS if k in values]
    return " ".join(parts) or "-"


def _word(value) -> str:
    return {True: "yes", False: "no", None: "none"}.get(value, value) if not isinstance(value, (int, float)) \
        or isinstance(value, bool) else f"{value:,}"


NAME_WIDTH, SUITE_WIDTH = 70, 40  # text only: JSON and JUnit carry the whole names


def _merged(results):
    """One row per case when every engine gave the same result (engine "both"), else a row each."""
    by_case: dict[tuple, list] = {}
    for r in results:
        by_case.setdefault((r.path, r.line, r.name), []).append(r)
    rows = []
    for group in by_case.values():
        first = group[0]
        if len(group) > 1 and all((r.passed, r.got, r.error) == (first.passed, first.got, first.error) for r in group):
            rows.append((first, "both"))
        else:
            rows.extend((r, r.engine) for r in group)
    return rows


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def text(results, problems, *, failures_only: bool = False) -> str:
    engines = sorted({r.engine for r in results})
    suites = sorted({r.suite for r in results})
    shown = [(r, engine) for r, engine in _merged(results) if not (failures_only and r.passed)]
    many_suites, many_engines = len(suites) > 1, len(engines) > 1
    headers = (["suite"] if many_suites else []) + ["case"] + (["engine"] if many_engines else []) + [
        "expected", "got", "result", "first difference"]
    rows, tones = [], []
    for r, engine in shown:
        got = {k: r.got[k] for k in case_suites.SCALARS if k in r.got}
        row = ([_cut(r.suite, SUITE_WIDTH)] if many_suites else []) + [f"{_cut(r.name, NAME_WIDTH)} (line {r.line})"]
        row += ([engine] if many_engines else [])
        row += [_brief(r.expected), _brief(got) if not r.error else "-", "PASS" if r.passed else "FAIL",
                r.first_difference or ""]
        rows.append(row)
        tones.append("pass" if r.passed else "fail")
    lines = [f"Suite: {visible(suites[0])}"] if len(suites) == 1 else []
    lines += [table(headers, rows, tones=tones, tone_column=headers.index("result"))] if rows else []
    s = _summary(results, problems)
    if not results:
        lines.append(f"no cases run: {_count(len(problems), 'suite file')} invalid")
        return "\n".join(lines)
    verdict = paint("all passed", "pass") if not s["failed"] and not problems else paint(
        f"{s['failed']:,} failed", "fail")
    lines.append(f"{_count(s['cases'], 'case run')} in {_count(s['suites'], 'suite')} on {', '.join(engines)}: "
                 f"{s['passed']:,} passed, {verdict}"
                 + (f"; {_count(len(problems), 'suite file')} invalid" if problems else ""))
    return "\n".join(lines)


def _visible_result(r):
    import dataclasses

    return dataclasses.replace(r, suite=visible(r.suite), name=visible(r.name), path=visible(r.path),
                               error=visible(r.error) if r.error else r.error,
                               differences=[(visible(f), e, g) for f, e, g in r.differences])


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def junit(results, problems) -> str:
    """JUnit XML, one testsuite per suite file, one testcase per case and engine (CI systems show it).
    Every text from a suite is made visible first: XML 1.0 cannot hold control characters."""
    results = [_visible_result(r) for r in results]
    problems = [visible(p) for p in problems]
    root = ET.Element("testsuites", name="aidf cases", tests=str(len(results) + len(problems)),
                      failures=str(sum(not r.passed and not r.error for r in results)),
                      errors=str(sum(bool(r.error) for r in results) + len(problems)))
    by_file: dict[str, list] = {}
    for r in results:
        by_file.setdefault(r.path, []).append(r)
    for path, items in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=items[0].suite, file=path, tests=str(len(items)),
                              failures=str(sum(not r.passed and not r.error for r in items)),
                              errors=str(sum(bool(r.error) for r in items)))
        for r in items:
            case = ET.SubElement(suite, "testcase", classname=r.suite, name=f"{r.name} [{r.engine}]",
                                 file=path, line=str(r.line))
            if r.error:
                ET.SubElement(case, "error", message=r.error).text = r.error
            elif not r.passed:
                detail = "\n".join(f"{f}: expected {json.dumps(e)}, got {json.dumps(g)}" for f, e, g in r.differences)
                ET.SubElement(case, "failure", message=visible(r.first_difference or "")).text = visible(detail)
    for problem in problems:
        suite = ET.SubElement(root, "testsuite", name=problem.split(":")[0], tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="suite file", name="suite file is valid")
        ET.SubElement(case, "error", message=problem).text = problem
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
