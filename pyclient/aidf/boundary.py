"""Where a decision changes as one number or date of a request varies (`aidf boundary`).

Nothing here knows a threshold: every probe is a real decision of the real policy, and the
search only compares decisions. An *axis* is the varied field, counted in whole units (1 for an
integer, 10^-4 for a performance density, 10^12 operations for an operation count, one day for a
date), so the search is over integers and a change point is two neighbouring values.

The search (search()):
1. samples the range: both ends, the current value, evenly spaced values, values at doubling
   distances from the minimum (small values are where many rules bite), and any extra values
   the caller knows to matter (the dates in the policy data);
2. bisects every two neighbouring probes whose decisions differ (compare.fingerprint: the
   signature, the reason and obligation codes, the authorizations available), signature
   changes first, down to neighbouring values, within a cap on evaluations.
So every change visible at the probes is located exactly. A change that begins and ends between
two neighbouring probes and leaves the fingerprint the same at both is not seen.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import functools
import heapq
import json
import re

from . import compare, limits, overrides, resources, validation

SAMPLES = 64  # evenly spaced intervals over the range: SAMPLES + 1 values
DEFAULT_MAX_EVALUATIONS = 1000
RANGE_MULTIPLE = 4  # default --max for a number: this many times the current value


class BadAxis(ValueError):
    """The path names no field, or a field that is not a number, a date or an operation count."""


class BadBound(ValueError):
    """A --min or --max that is not a value of the axis's kind."""


# -- the schema of the varied field ------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    return json.loads((resources.schemas_dir() / name).read_text())


def _resolve(ref: str, here: str):
    name, _, pointer = ref.partition("#")
    name = name or here
    node = _schema(name)
    for part in pointer.strip("/").split("/"):
        if part:
            node = node[part]
    return node, name


def _facets(node, here: str, depth: int = 0):
    """The node and every subschema that applies with it ($ref, allOf, anyOf, oneOf, then, else)."""
    if not isinstance(node, dict) or depth > 20:
        return
    yield node, here
    if isinstance(node.get("$ref"), str):
        target, name = _resolve(node["$ref"], here)
        yield from _facets(target, name, depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key) or []:
            yield from _facets(sub, here, depth + 1)
    for key in ("then", "else"):
        if key in node:
            yield from _facets(node[key], here, depth + 1)


def field_facets(action: str, steps) -> list | None:
    """Every subschema that describes the field at `steps` of an `action` request; None when the
    schema has no such field."""
    here = validation.ACTION_SCHEMAS.get(action) if isinstance(action, str) else None
    if here is None:
        return None
    current = list(_facets(_schema(here), here))
    for step in steps:
        found = []
        for node, name in current:
            if isinstance(step, int):
                if isinstance(node.get("items"), dict):
                    found += _facets(node["items"], name)
            elif isinstance(node.get("properties"), dict) and step in node["properties"]:
                found += _facets(node["properties"][step], name)
        if not found:
            return None
        current = found
    return current


def _kind(facets) -> tuple[str | None, str]:
    """(kind, what the field is in words)."""
    nodes = [node for node, _ in facets]
    operations = _schema("common.schema.json")["$defs"]["operations"]
    types = {node.get("type") for node in nodes if isinstance(node.get("type"), str)}
    if any(node.get("format") == "date" for node in nodes):
        return "date", "a date"
    if any(node is operations for node in nodes):
        return "operations", "an operation count"
    if "integer" in types:
        return "integer", "a whole number"
    if "number" in types:
        return "number", "a number"
    country = _schema("common.schema.json")["$defs"]["country_code"]
    if any(node is country for node in nodes):
        return None, "a country code"
    if "boolean" in types:
        return None, "yes or no"
    if any("enum" in node or "const" in node for node in nodes):
        return None, "a choice from a list"
    if types & {"object", "array"}:
        return None, "a group of fields"
    return None, "text"


def _bounds(facets) -> tuple:
    lows = [n["minimum"] for n, _ in facets if isinstance(n.get("minimum"), (int, float))]
    highs = [n["maximum"] for n, _ in facets if isinstance(n.get("maximum"), (int, float))]
    return (max(lows) if lows else None), (min(highs) if highs else None)


# -- the axis ------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_POWER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x*\u00d7]\s*10\s*\^\s*(\d{1,3})\s*$")
_DENSITY = decimal.Decimal(10) ** validation.DENSITY_PLACES
_YEARS = (1900, 2300)  # dates searched; the request schema narrows them further


def _decimal(text: str) -> decimal.Decimal:
    text = text.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    power = _POWER.match(text)
    if power:
        text = f"{power.group(1)}e{power.group(2)}"
    if len(text) > 100:
        raise BadBound(f"{text[:40]!r}... is not a number a request can hold")
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise BadBound(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise BadBound(f"{text!r} is not a finite number")
    if value and value.adjusted() >= 30:  # above any TPP (10^13) or operation count (10^28); 1e10000000 overflows
        raise BadBound(f"{text[:40]!r} is beyond any value a request can hold (at most 10^30)")
    return value


def operations_text(count: int) -> str:
    """10^26 -> "1.0 x 10^26"; 99,999,999,999,999 x 10^12 -> "9.9999999999999 x 10^25"."""
    if count == 0:
        return "0"
    digits = str(count)
    return f"{digits[0]}.{digits[1:].rstrip('0') or '0'} x 10^{len(digits) - 1}"


@dataclasses.dataclass(frozen=True)
class Axis:
    """The varied field. Values are counted in units (see the module's docstring)."""

    path: str
    steps: tuple
    kind: str
    label: str
    low: int | None = None      # the schema's bounds, in units
    high: int | None = None
    current: int | None = None  # None when the request does not give the field

    def value(self, units: int):
        """The JSON value the request carries for `units`."""
        if self.kind == "integer":
            return units
        if self.kind == "number":
            return float(decimal.Decimal(units) / _DENSITY)
        if self.kind == "operations":
            return str(units * int(limits.OPERATIONS_UNIT))
        return dt.date.fromordinal(units).isoformat()

    def text(self, units: int) -> str:
        """`units` as a reader writes it: 1,700; 5.92; 1.0 x 10^26; 2025-01-13."""
        if self.kind == "integer":
            return f"{units:,}"
        if self.kind == "number":
            return _plain(decimal.Decimal(units) / _DENSITY)
        if self.kind == "operations":
            return operations_text(units * int(limits.OPERATIONS_UNIT))
        return dt.date.fromordinal(units).isoformat()

    def span(self, units: float) -> str:
        """A distance along the axis, in words (the sampling step)."""
        if self.kind == "date":
            return f"{units:,.1f} days".replace(".0 days", " days")
        if self.kind == "operations":
            return f"{operations_text(int(units) * int(limits.OPERATIONS_UNIT))} operations"
        if self.kind == "number":
            return _plain((decimal.Decimal(units) / _DENSITY).quantize(decimal.Decimal(1) / _DENSITY))
        return f"{units:,.1f}".replace(".0", "") if units < 1000 else f"{round(units):,}"

    @property
    def unit(self) -> str:
        return {"integer": "1", "number": str(1 / _DENSITY), "operations": "10^12 operations",
                "date": "1 day"}[self.kind]

    def units_of(self, raw) -> int:
        """The units of a value as a request (or a --min/--max) gives it; BadBound when it is none."""
        if self.kind == "date":
            try:
                day = dt.date.fromisoformat(str(raw).strip())
            except ValueError:
                raise BadBound(f"{str(raw)[:40]!r} is not a date in YYYY-MM-DD form") from None
            if not _YEARS[0] <= day.year <= _YEARS[1]:
                raise BadBound(f"{day.isoformat()} is outside the years {_YEARS[0]}-{_YEARS[1]}")
            return day.toordinal()
        if isinstance(raw, bool):
            raise BadBound(f"{raw!r} is not a number")
        value = _decimal(raw if isinstance(raw, str) else repr(raw))
        if self.kind == "integer":
            if value != value.to_integral_value():
                raise BadBound(f"{raw!r} is not a whole number")
            return int(value)
        if self.kind == "number":
            scaled = value * _DENSITY
            if scaled != scaled.to_integral_value():
                raise BadBound(f"{raw!r} has more than {validation.DENSITY_PLACES} decimal places")
            return int(scaled)
        scaled = value / limits.OPERATIONS_UNIT
        if value < 0 or scaled != scaled.to_integral_value():
            raise BadBound(f"{raw!r} is not a whole multiple of 10^12 operations")
        return int(scaled)


def _plain(value: decimal.Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def axis_for(request, path: str) -> Axis:
    """The axis for `path` in `request`; BadAxis when it names no field the request can hold, an
    index beyond a list, or a field that is not a number, a date or an operation count."""
    try:
        steps = tuple(overrides.parse_path(path))
    except overrides.BadOverride as exc:
        raise BadAxis(str(exc)) from None
    action = request.get("action") if isinstance(request, dict) else None
    facets = field_facets(action, steps)
    if facets is None:
        kind_of = f"an {action} request" if isinstance(action, str) and action in validation.ACTION_SCHEMAS else "the request"
        raise BadAxis(f"{path}: {kind_of} has no such field")
    try:  # an index beyond a list, or a path through a value that is not an object
        overrides.apply(request, [(path, None)], from_text=False)
    except overrides.BadOverride as exc:
        raise BadAxis(str(exc)) from None
    kind, words = _kind(facets)
    if kind is None:
        raise BadAxis(f"{path} is {words}, not a number, a date or an operation count")
    axis = Axis(path=path, steps=steps, kind=kind, label=label_for(request, steps) or path)
    low, high = _bounds(facets)
    if kind == "operations":
        low, high = 0, int(limits.MAX_OPERATIONS / limits.OPERATIONS_UNIT)
    elif kind in ("integer", "number"):
        low = None if low is None else _ceil(decimal.Decimal(str(low)) * (_DENSITY if kind == "number" else 1))
        high = None if high is None else _floor(decimal.Decimal(str(high)) * (_DENSITY if kind == "number" else 1))
    current = overrides.get(request, list(steps))
    try:
        current_units = None if current is None else axis.units_of(current)
    except BadBound:
        current_units = None  # the request itself is invalid there: validation says so
    return dataclasses.replace(axis, low=low, high=high, current=current_units)


def _ceil(value: decimal.Decimal) -> int:
    return int(value.to_integral_value(rounding=decimal.ROUND_CEILING))


def _floor(value: decimal.Decimal) -> int:
    return int(value.to_integral_value(rounding=decimal.ROUND_FLOOR))


# Words for fields a reader knows by name (the path is always shown too).
_FIELD_WORDS = {
    "lpp_tpp_received_this_year": "TPP already received under LPP this year",
    "country_licensed_tpp": "TPP already licensed to the destination",
    "aia_cumulative_tpp": "TPP already received under AIA",
    "training_operations": "training-operation count",
    "as_of": "as-of date",
    "notice_given_on": "notice date",
    "licensed_tpp": "TPP already licensed",
    "proposed_tpp": "proposed licence TPP",
    "tpp_per_chip": "TPP per chip",
}


def label_for(request, steps) -> str | None:
    """The varied field in words ("quantity of H100 SXM GPUs", "TPP installed in DE"), or None
    when the path itself says it best."""
    steps = list(steps)
    last = steps[-1]
    if len(steps) == 3 and steps[0] == "items" and isinstance(steps[1], int):
        item = overrides.get(request, steps[:2]) or {}
        name = (item.get("description") or item.get("eccn") or f"item {steps[1] + 1}") if isinstance(item, dict) \
            else f"item {steps[1] + 1}"
        words = {"quantity": "quantity of", "tpp_per_unit": "TPP per unit of",
                 "performance_density": "performance density of"}.get(last)
        if words:
            return f"{words} {name}"
    if len(steps) == 3 and steps[0] == "installed" and isinstance(steps[1], int):
        entry = overrides.get(request, steps[:2]) or {}
        where = entry.get("country") if isinstance(entry, dict) else None
        what = {"tpp": "TPP installed", "chips": "chips installed"}.get(last)
        if what and isinstance(where, str):
            return f"{what} in {where}"
    if steps[0] == "placement" and last in ("tpp", "chips"):
        return "TPP placed" if last == "tpp" else "chips placed"
    return _FIELD_WORDS.get(last)


# -- default ranges ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(2[01]\d\d)-\d\d-\d\d$")  # the years a request may carry (common.schema.json)


@functools.lru_cache(maxsize=1)
def policy_dates() -> tuple[int, ...]:
    """Every date in the policy data (as ordinals): the framework's own dates, the NVEU quarters,
    the history of the rule. Sentinels outside the years a request may carry are left out."""
    from . import policy_set

    found = set()
    stack = [policy_set.shipped().data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and _ISO_DATE.match(node):
            try:
                found.add(dt.date.fromisoformat(node).toordinal())
            except ValueError:
                pass
    return tuple(sorted(found))


def _year_from(ordinal: int, years: int) -> int:
    day = dt.date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).toordinal()


def default_range(axis: Axis, low: int | None, high: int | None) -> tuple[int, int]:
    """The range to search when --min or --max is not given. Dates: from a year before the first
    date in the policy data to a year after the last (and the current value). Numbers: from the
    schema's minimum (else 0) to RANGE_MULTIPLE times the current value (or --min), else to the
    schema's maximum."""
    if axis.kind == "date":
        dates = policy_dates() + ((axis.current,) if axis.current is not None else ())
        first, last = _year_from(min(dates), -1), _year_from(max(dates), 1)
        if low is None:
            low = first if high is None or first < high else _year_from(high, -1)
        if high is None:
            high = last if last > low else _year_from(low, 1)
        return low, high
    if low is None:
        low = axis.low if axis.low is not None else 0
    if high is None:
        base = max(axis.current or 0, low, 0)
        high = RANGE_MULTIPLE * base
        if high <= low:
            high = axis.high if axis.high is not None else low + 1
        if axis.high is not None:
            high = min(high, axis.high)
    return low, high


# -- the search ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Probe:
    """One evaluation. key: what the table groups by (the signature, or refused and the field);
    detail: what the search compares (the fingerprint)."""

    key: tuple
    detail: tuple
    decision: dict | None = None
    refused: str | None = None

    @classmethod
    def of(cls, decision: dict) -> Probe:
        return cls(key=compare.signature(decision), detail=compare.fingerprint(decision), decision=decision)

    @classmethod
    def invalid(cls, path: str, message: str) -> Probe:
        key = ("refused", path)
        return cls(key=key, detail=key, refused=f"{path}: {message}" if path != "$" else message)


@dataclasses.dataclass(frozen=True)
class Run:
    """Neighbouring probes with the same key: first and last probed value, and the probe."""

    first: int
    last: int
    probe: Probe


@dataclasses.dataclass(frozen=True)
class Change:
    before: Run
    after: Run

    @property
    def exact(self) -> bool:
        """The two values are neighbours: the change point is known exactly."""
        return self.after.first == self.before.last + 1


@dataclasses.dataclass
class Result:
    low: int
    high: int
    probes: dict
    max_evaluations: int
    samples: int
    step: float
    complete: bool
    sampled: int = 0   # initial values probed ...
    planned: int = 0   # ... of those planned (fewer when the cap is small)

    @property
    def evaluations(self) -> int:
        return len(self.probes)

    def runs(self) -> list[Run]:
        runs: list[Run] = []
        for value in sorted(self.probes):
            probe = self.probes[value]
            if runs and runs[-1].probe.key == probe.key:
                runs[-1] = dataclasses.replace(runs[-1], last=value)
            else:
                runs.append(Run(first=value, last=value, probe=probe))
        return runs

    def changes(self) -> list[Change]:
        runs = self.runs()
        return [Change(before, after) for before, after in zip(runs, runs[1:])]


def sample_points(low: int, high: int, current: int | None = None, extra=(), samples: int = SAMPLES) -> list[int]:
    """The values probed first, most telling first: ends, current value, evenly spaced values,
    doubling distances from the minimum, then `extra` values (each with the day before it)."""
    points = [low, high]
    if current is not None and low <= current <= high:
        points.append(current)
    points += [low + (high - low) * i // samples for i in range(1, samples)]
    distance = 1
    while low + distance < high:
        points.append(low + distance)
        distance *= 2
    for value in sorted(extra):
        points += [v for v in (value - 1, value) if low <= v <= high]
    return list(dict.fromkeys(points))


def search(probe, low: int, high: int, *, current: int | None = None, extra=(),
           max_evaluations: int = DEFAULT_MAX_EVALUATIONS, samples: int = SAMPLES) -> Result:
    """Every change of decision between low and high (inclusive), asking probe(units) -> Probe
    at most max_evaluations times. See the module's docstring for the method."""
    if low >= high:
        raise ValueError("the range must hold at least two values")
    probes: dict[int, Probe] = {}
    initial = sample_points(low, high, current, extra, samples)
    sampled = initial[:max(2, max_evaluations // 2)]  # half the budget is left for bisection
    for value in sampled:
        probes[value] = probe(value)
    pending: list[tuple[int, int, int]] = []

    def consider(a: int, b: int) -> None:
        if b - a > 1 and probes[a].detail != probes[b].detail:
            heapq.heappush(pending, (0 if probes[a].key != probes[b].key else 1, a, b))

    ordered = sorted(probes)
    for a, b in zip(ordered, ordered[1:]):
        consider(a, b)
    while pending and len(probes) < max_evaluations:
        _, a, b = heapq.heappop(pending)
        middle = (a + b) // 2
        probes[middle] = probe(middle)
        consider(a, middle)
        consider(middle, b)
    return Result(low=low, high=high, probes=probes, max_evaluations=max_evaluations, samples=samples,
                  step=(high - low) / samples, complete=not pending and len(sampled) == len(initial),
                  sampled=len(sampled), planned=len(initial))
