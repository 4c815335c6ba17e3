"""Case suites: YAML files of requests with the results their authors expect (`aidf cases run`).

A suite (schemas/case-suite.schema.json) names a base request or gives each case its own, changes
facts with `set:` (aidf.overrides), and says what it expects: allowed, outcome, authorization,
review policy, reason and obligation codes that must or must not appear, headroom, whether a
model is controlled, whether a code is enforced, and any other field by path. Every problem in a
suite file is reported as "file:line: problem" (SuiteError), never as a half-run suite.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import json
import pathlib

from . import limits, overrides, reading, resources

SUITE_SCHEMA = "case-suite.schema.json"
# The fields compared one to one with the decision's own, in the order a reader checks them.
SCALARS = ("allowed", "outcome", "authorization", "review_policy")


class SuiteError(ValueError):
    """A suite file that cannot be run; the message is "file:line: problem"."""


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    line: int
    request: dict
    expect: dict
    source: str | None = None
    note: str | None = None


@dataclasses.dataclass(frozen=True)
class Suite:
    path: pathlib.Path
    title: str
    description: str | None
    cases: list[Case]


@dataclasses.dataclass(frozen=True)
class CaseResult:
    suite: str
    path: str
    name: str
    line: int
    engine: str
    passed: bool
    expected: dict
    got: dict
    differences: list[tuple[str, object, object]]
    error: str | None = None
    decision: dict | None = None
    source: str | None = None

    @property
    def first_difference(self) -> str | None:
        if self.error:
            return self.error
        if not self.differences:
            return None
        field, expected, got = self.differences[0]
        if field in {"reasons", "not_reasons", "obligations", "not_obligations"}:
            return f"{field}: {got}"
        return f"{field}: expected {_show(expected)}, got {_show(got)}"


def _show(value) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


# --- reading a suite ------------------------------------------------------------------------------

def _lines(node, path=(), out=None) -> dict[tuple, int]:
    """Line (1-based) of every mapping key and sequence item, by its path in the document. Run
    only on a document the strict loader accepted: no aliases, so the node graph is a tree."""
    import yaml

    out = {} if out is None else out
    if len(path) > limits.MAX_DEPTH:
        raise SuiteError(f"line {node.start_mark.line + 1}: nested more than {limits.MAX_DEPTH} levels deep")
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _lines(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[path + (i,)] = item.start_mark.line + 1
            _lines(item, path + (i,), out)
    return out


def _line_of(lines: dict[tuple, int], path) -> int:
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _where(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _read(path: pathlib.Path) -> tuple[object, dict]:
    import yaml

    try:
        text = reading.read_path(str(path), limits.DEFAULT_TIMEOUT_SECONDS).decode("utf-8")
    except UnicodeDecodeError:
        raise SuiteError(f"{path}:1: not UTF-8 text") from None
    except (OSError, reading.InvalidRequest) as exc:
        raise SuiteError(f"{path}: {_first_line(exc)}") from None
    from . import yaml_strict

    loader = yaml_strict.loader("a case suite")
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe, strict loader; first, so aliases never expand
        node = yaml.compose(text, Loader=loader)
        lines = _lines(node) if node is not None else {}
    except SuiteError as exc:
        raise SuiteError(f"{path}:{str(exc)[len('line '):]}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())[:limits.MESSAGE_VALUE_CHARS]
        raise SuiteError(f"{path}:{line}: not valid YAML: {problem}") from None
    except RecursionError:
        raise SuiteError(f"{path}:1: nested more than {limits.MAX_DEPTH} levels deep") from None
    except (ValueError, OverflowError) as exc:  # e.g. Python's 4,300-digit guard on integers
        raise SuiteError(f"{path}:1: not valid YAML: {str(exc)[:limits.MESSAGE_VALUE_CHARS]}") from None
    return data, lines


def _first_line(exc) -> str:
    if isinstance(exc, reading.InvalidRequest):
        return exc.summary()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@functools.lru_cache(maxsize=1)
def _suite_validator():
    """Built once per process: a run reads up to MAX_SUITE_FILES suites."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads((resources.schemas_dir() / SUITE_SCHEMA).read_text()))


def _check_shape(data, path: pathlib.Path, lines: dict) -> None:
    from jsonschema.exceptions import best_match

    errors = list(_suite_validator().iter_errors(data))
    if errors:
        error = best_match(errors)
        where = _where(error.absolute_path)
        raise SuiteError(f"{path}:{_line_of(lines, error.absolute_path)}: "
                         f"{where + ': ' if where else ''}{error.message}")


def _request_from(value, suite_path: pathlib.Path, line: int) -> dict:
    if isinstance(value, dict):
        return value
    if value == "-" or "\0" in value:
        raise SuiteError(f"{suite_path}:{line}: request {value!r}: not a file name")
    target = (suite_path.parent / value)
    try:
        loaded = reading.load(str(target), limits.DEFAULT_TIMEOUT_SECONDS)
    except reading.InvalidRequest as exc:
        raise SuiteError(f"{suite_path}:{line}: request {value}: {_first_line(exc)}") from None
    except (OSError, ValueError) as exc:
        raise SuiteError(f"{suite_path}:{line}: request {value}: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(loaded, dict):
        raise SuiteError(f"{suite_path}:{line}: request {value}: not a JSON object")
    return loaded


def load_suite(path) -> Suite:
    """Read, check and assemble a suite: every case's final request, ready to evaluate."""
    path = pathlib.Path(path)
    data, lines = _read(path)
    _check_shape(data, path, lines)
    base = _request_from(data["base"], path, _line_of(lines, ("base",))) if "base" in data else None
    if len(data["cases"]) > limits.MAX_SUITE_CASES:
        raise SuiteError(f"{path}:{_line_of(lines, ('cases',))}: {len(data['cases']):,} cases; a suite holds at "
                         f"most {limits.MAX_SUITE_CASES:,} (split it)")
    cases, names, size = [], {}, 0
    for i, raw in enumerate(data["cases"]):
        line = _line_of(lines, ("cases", i))
        if raw["name"] in names:
            raise SuiteError(f"{path}:{line}: case name {raw['name']!r} is already used on line {names[raw['name']]}")
        names[raw["name"]] = line
        if "request" in raw:
            request = _request_from(raw["request"], path, _line_of(lines, ("cases", i, "request")))
        elif base is not None:
            request = base
        else:
            raise SuiteError(f"{path}:{line}: case {raw['name']!r} has no request and the suite has no base")
        for field, value in raw.get("set", {}).items():
            try:
                request = overrides.apply(request, [(field, value)], from_text=False)
            except overrides.BadOverride as exc:
                raise SuiteError(f"{path}:{_line_of(lines, ('cases', i, 'set', field))}: set {exc}") from None
        request = copy.deepcopy(request)  # the base (or a YAML anchor) is shared by other cases
        for key in ("as_of", "view"):
            value = raw.get(key, data.get(key))
            if value is not None:
                request[key] = value.replace("-", "_") if key == "view" else value
        size += len(json.dumps(request))  # each case holds its own copy, and its decision
        if size > limits.MAX_SUITE_REQUEST_BYTES:
            raise SuiteError(f"{path}:{line}: the cases' requests add up to more than "
                             f"{limits.MAX_SUITE_REQUEST_BYTES:,} bytes; split the suite")
        cases.append(Case(name=raw["name"], line=line, request=request, expect=raw["expect"],
                          source=raw.get("source"), note=raw.get("note")))
    return Suite(path=path, title=data["suite"], description=data.get("description"), cases=cases)


def at(suite: Suite, as_of: str | None, view: str | None) -> Suite:
    """The suite with every case's date and view replaced (`--as-of`, `--view`: what a change of
    date or view would do to it)."""
    if not (as_of or view):
        return suite
    changed = {**({"as_of": as_of} if as_of else {}), **({"view": view.replace("-", "_")} if view else {})}
    return dataclasses.replace(suite, cases=[dataclasses.replace(c, request={**c.request, **changed})
                                             for c in suite.cases])


def suite_files(paths) -> list[pathlib.Path]:
    """The suite files named, and the .yaml/.yml files below any folder named, in a stable order."""
    found = []
    for given in paths:
        p = pathlib.Path(given)
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.suffix in {".yaml", ".yml"} and q.is_file()))
        elif p.exists():
            found.append(p)
        else:
            raise SuiteError(f"{given}: no such file or folder")
    if len(found) > limits.MAX_SUITE_FILES:
        raise SuiteError(f"{len(found):,} suite files named; at most {limits.MAX_SUITE_FILES:,} are run at once")
    return found


# --- running it -----------------------------------------------------------------------------------

_ABSENT = object()  # a field the decision does not have


def reason_codes(decision: dict) -> list[str]:
    """The codes a decision gives as reasons: its reasons and, for a model, its determination steps."""
    codes = [r["code"] for r in decision.get("reasons") or []]
    model = decision.get("model")
    if isinstance(model, dict):
        codes += [s["code"] for s in model.get("steps") or []]
    return codes


def obligation_codes(decision: dict) -> list[str]:
    return [o["code"] for o in decision.get("obligations") or []]


def _enforced_flags(decision: dict) -> dict[str, bool]:
    flags = {}
    for entry in list(decision.get("reasons") or []) + list(decision.get("obligations") or []):
        if "enforced" in entry:
            flags.setdefault(entry["code"], entry["enforced"])
    return flags


def compare(expect: dict, decision: dict) -> tuple[dict, list[tuple[str, object, object]]]:
    """What the decision says for each expectation, and the expectations it does not meet, in the
    order of the expectation (scalars first)."""
    got, differences = {}, []

    def check(field, expected, actual, ok=None):
        if actual is _ABSENT:  # never equal to anything expected, null included
            actual, ok = "(absent)", False
        got[field] = actual
        if not (expected == actual if ok is None else ok):
            differences.append((field, expected, actual))

    for field in SCALARS:
        if field in expect:
            check(field, expect[field], decision.get(field))
    reasons, obligations = reason_codes(decision), obligation_codes(decision)
    for field, codes, present in (("reasons", reasons, True), ("not_reasons", reasons, False),
                                  ("obligations", obligations, True), ("not_obligations", obligations, False)):
        if field in expect:
            wrong = [c for c in expect[field] if (c in codes) != present]
            check(field, expect[field], sorted(set(codes)) if present else wrong, ok=not wrong)
            if wrong:
                differences[-1] = (field, expect[field], (("missing " if present else "present ") + ", ".join(wrong)))
    if "headroom" in expect:
        headroom = decision.get("headroom")
        for key, value in expect["headroom"].items():
            check(f"headroom.{key}", value, headroom.get(key, _ABSENT) if isinstance(headroom, dict) else _ABSENT)
    if "controlled" in expect:
        model = decision.get("model")
        check("controlled", expect["controlled"], model.get("controlled", _ABSENT) if isinstance(model, dict) else _ABSENT)
    if "enforced" in expect:
        flags = _enforced_flags(decision)
        for code, value in expect["enforced"].items():
            check(f"enforced.{code}", value, flags.get(code, _ABSENT))
    for path in expect.get("absent") or []:
        found = overrides.get(decision, overrides.parse_path(path), _ABSENT)
        got[f"absent.{path}"] = "(absent)" if found is _ABSENT else found
        if found is not _ABSENT:
            differences.append((path, "(absent)", found))
    for path, value in (expect.get("fields") or {}).items():
        check(path, value, overrides.get(decision, overrides.parse_path(path), _ABSENT))
    return got, differences


def run_case(suite: Suite, case: Case, engine_name: str, decide) -> CaseResult:
    common = dict(suite=suite.title, path=str(suite.path), name=case.name, line=case.line, engine=engine_name,
                  expected=case.expect, source=case.source)
    from . import engines, validation

    try:
        decision = decide(case.request, engine_name)
    except validation.InvalidRequest as exc:
        return CaseResult(passed=False, got={}, differences=[], error=f"invalid request: {_first_line(exc)}", **common)
    except engines.EngineError as exc:
        return CaseResult(passed=False, got={}, differences=[], error=f"engine error: {engines.first_line(str(exc))}",
                          **common)
    got, differences = compare(case.expect, decision)
    return CaseResult(passed=not differences, got=got, differences=differences, decision=decision, **common)


def _decide(request: dict, engine_name: str) -> dict:
    from . import api

    return api.evaluate(request, engine_name=engine_name).document


def run_suite(suite: Suite, engines=("regorus",), decide=_decide) -> list[CaseResult]:
    """Every case on every engine named, in suite order (each case's engines together)."""
    return [run_case(suite, case, name, decide) for case in suite.cases for name in engines]
