"""Request parsing and validation. Nothing reaches an engine unless it passes.

Every problem is reported with its JSON path, so a pipeline log or a lawyer can find the field.
Checks run cheapest first and stop early: JSON parse, a structural pass (depth, sizes, types,
Unicode), then the JSON Schema, then checks a schema cannot express. Whatever the input, the
only exception that leaves this module is InvalidRequest. (Reading a source: aidf.reading.)
"""
from __future__ import annotations

import dataclasses
import decimal
import functools
import json
import math
import re
import typing

from . import fast_schema, limits, resources

if typing.TYPE_CHECKING:  # imported where used: a valid request never loads them
    import jsonschema
    import referencing

# Performance density is compared with 1.6, 3.2 and 5.92; four places keep every engine exact.
DENSITY_PLACES = 4
ACTION_SCHEMAS = {
    "export_chips": "export_chips.schema.json",
    "deploy_compute": "deploy_compute.schema.json",
    "country_allocation": "country_allocation.schema.json",
    "transfer_model_weights": "transfer_model_weights.schema.json",
    "train_model": "train_model.schema.json",
}


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidRequest(ValueError):
    """The request cannot be evaluated. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    def summary(self) -> str:
        """One line for people: the first problem, its field named as a reader points at it
        ("destination", not "$.destination"), and how many more there are."""
        if not self.problems:
            return str(self)
        first = self.problems[0]
        where = first.path[2:] if first.path.startswith("$.") else first.path
        text = first.message if first.path == "$" else f"{where}: {first.message}"
        more = len(self.problems) - 1
        return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _invalid(path: str, message: str) -> InvalidRequest:
    return InvalidRequest([Problem(path, message)])


def quote(value, limit: int = limits.MESSAGE_VALUE_CHARS) -> str:
    """repr() of a value for a message, cut so a giant value never floods a log."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


# -- reading and parsing ---------------------------------------------------------------

def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"key {quote(key)} appears twice in one object")
        seen[key] = value
    return seen


def parse(text: str | bytes, source: str = "request") -> dict:
    """JSON text -> request value. Rejects empty, oversized, non-UTF-8, NaN/Infinity, duplicate
    keys and nesting too deep for the parser."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if len(raw) > limits.MAX_REQUEST_BYTES:
        raise _invalid("$", f"{source} is {len(raw):,} bytes; the limit is {limits.MAX_REQUEST_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid("$", f"{source} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise _invalid("$", f"{source} is empty")
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _invalid("$", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except RecursionError:
        raise _invalid("$", f"JSON nested too deeply to read; the limit is {limits.MAX_DEPTH} levels") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's 4,300-digit guard
            raise _invalid("$", "a number has more than 4,300 digits") from None
        raise _invalid("$", f"malformed JSON: {quote(str(exc))}") from exc
    except MemoryError as exc:
        raise _invalid("$", f"malformed JSON: {quote(str(exc))}") from exc


# -- structure: before any schema work -------------------------------------------------

def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _structure_problems(request) -> list[Problem]:
    """Depth, sizes, JSON types and Unicode, without recursion and without looking inside an
    oversized container, so hostile shapes cost little and cannot exhaust the stack."""
    found = []
    stack = [("$", request, 0)]
    visited = 0
    while stack and len(found) < 50:
        path, value, depth = stack.pop()
        visited += 1
        if visited > limits.MAX_VALUES:  # shared sub-lists can make a small Python object huge
            return [Problem("$", f"holds more than {limits.MAX_VALUES:,} values")]
        if isinstance(value, dict):
            if depth >= limits.MAX_DEPTH:
                found.append(Problem(path, f"nested more than {limits.MAX_DEPTH} levels deep"))
                continue
            for key, item in value.items():
                if not isinstance(key, str):
                    found.append(Problem(path, f"object key {quote(key)} is not a string"))
                    continue
                child = f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{path}[{quote(key)}]"
                if len(key) > limits.MAX_STRING_CHARS or _has_lone_surrogate(key):
                    found.append(Problem(path, f"object key {quote(key)} is too long or not valid Unicode"))
                    continue
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            if depth >= limits.MAX_DEPTH:
                found.append(Problem(path, f"nested more than {limits.MAX_DEPTH} levels deep"))
            elif len(value) > limits.MAX_ARRAY_ITEMS:
                found.append(Problem(path, f"has {len(value):,} items; the limit is {limits.MAX_ARRAY_ITEMS:,}"))
            else:
                stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            if len(value) > limits.MAX_STRING_CHARS:
                found.append(Problem(path, f"is {len(value):,} characters long; the limit is {limits.MAX_STRING_CHARS:,}"))
            elif _has_lone_surrogate(value):
                found.append(Problem(path, f"{quote(value)} contains a lone UTF-16 surrogate, which is not valid Unicode"))
        elif isinstance(value, (bool, int)) or value is None:
            pass  # sizes of numbers are the schema's business: every numeric field has a maximum
        elif isinstance(value, float):
            if not math.isfinite(value):
                found.append(Problem(path, "must be a finite number"))
        else:
            found.append(Problem(path, f"a {type(value).__name__} is not a JSON value"))
    return found


# -- the JSON Schema -------------------------------------------------------------------
# A valid request is passed by the compiled validator (aidf.fast_schema); jsonschema, slow to
# import and to run, is loaded only to decide and word the problems of one that is not.

@functools.lru_cache(maxsize=1)
def _registry() -> referencing.Registry:
    import referencing

    resources_ = []
    for path in sorted(resources.schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resource = referencing.Resource.from_contents(schema)
        resources_.append((path.name, resource))
        resources_.append((schema["$id"], resource))
    return referencing.Registry().with_resources(resources_)


@functools.lru_cache(maxsize=None)
def validator(schema_file: str) -> jsonschema.Draft202012Validator:
    """Built once per schema and reused: building is the expensive part."""
    import jsonschema

    schema = json.loads((resources.schemas_dir() / schema_file).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@functools.lru_cache(maxsize=None)
def _array_caps(schema_file: str) -> tuple[tuple[tuple[str, ...], int], ...]:
    """(path, maxItems) of every array the schema caps, found through its properties: checked
    before the schema runs, so a 9,000-item list where 1,000 are allowed costs one len()."""
    caps = []
    schema = json.loads((resources.schemas_dir() / schema_file).read_text())

    def visit(node, path):
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and len(path) < 8:  # local definitions, e.g. "#/$defs/model"
            visit(schema["$defs"].get(ref[len("#/$defs/"):]), path)
        if node.get("type") == "array" and isinstance(node.get("maxItems"), int):
            caps.append((path, node["maxItems"]))
        for key, child in (node.get("properties") or {}).items():
            visit(child, path + (key,))
        visit(node.get("items"), path + ("*",))

    visit(schema, ())
    return tuple(caps)


def _oversized_arrays(request: dict, schema_file: str) -> list[Problem]:
    found = []
    for path, cap in _array_caps(schema_file):
        nodes = [("$", request)]
        for part in path:
            step = []
            for where, node in nodes:
                if part == "*" and isinstance(node, list):
                    step.extend((f"{where}[{i}]", item) for i, item in enumerate(node))
                elif part != "*" and isinstance(node, dict) and part in node:
                    step.append((f"{where}.{part}", node[part]))
            nodes = step
        found.extend(Problem(where, f"has {len(node):,} items; the limit is {cap:,}")
                     for where, node in nodes if isinstance(node, list) and len(node) > cap)
    return found


def _message(error: jsonschema.ValidationError) -> str:
    # A 249-entry enum makes an unreadable message; name the list instead.
    if error.validator == "enum" and len(error.validator_value) > 12:
        title = error.schema.get("title", "value")
        return f"{quote(error.instance)} is not a known {title}"
    if error.validator == "pattern" and error.schema.get("format") == "date":
        return f"{quote(error.instance)} is outside the dates aidf evaluates (2000-01-01 to 2199-12-31)"
    if error.validator == "additionalProperties":
        unknown = ", ".join(quote(key) for key in sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        return f"unknown field(s): {unknown}"[:limits.MESSAGE_VALUE_CHARS * 5]
    if error.validator == "maxItems":
        return f"has {len(error.instance):,} items; the limit is {error.validator_value:,}"
    # jsonschema's own wording, with the offending value cut to size (the rest, e.g. the allowed
    # values of a short enum, is the schema's and kept).
    return error.message.replace(repr(error.instance), quote(error.instance), 1)


def _leaf_errors(error: jsonschema.ValidationError):
    # if/then and allOf wrap the useful error; report the innermost ones.
    if error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


def _path_key(problem: Problem):
    """Sort paths as a reader expects: $.items[9] before $.items[10]."""
    parts = re.split(r"\[(\d+)\]", problem.path)
    return [(0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts)], problem.message


# -- checks a schema cannot express ----------------------------------------------------

def is_operations_field(key: str) -> bool:
    """An operation count (a decimal string): training_operations, operations_on_its_data, ..."""
    return key.endswith("operations") or key.startswith("operations_")


def _operations_problems(value, path: str):
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}"
            if is_operations_field(key) and isinstance(item, str):
                if item != item.strip():  # the schema's pattern lets a final newline through ($)
                    yield Problem(child, f"{quote(item)} has spaces or line breaks around the number")
                    continue
                try:
                    count = decimal.Decimal(item)
                except decimal.InvalidOperation:
                    continue  # the schema's pattern reports it
                if count > limits.MAX_OPERATIONS:
                    yield Problem(child, f"{quote(item)} is more than 10^28 operations")
                elif count.as_tuple().exponent > 28:  # "0e999": the policies scale by at most 10^17 units
                    yield Problem(child, f"{quote(item)} has an exponent above 28; write it with a smaller one")
                elif count % limits.OPERATIONS_UNIT != 0:
                    yield Problem(child, f"{quote(item)} is not a whole multiple of 10^12 operations; round it up")
            else:
                yield from _operations_problems(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _operations_problems(item, f"{path}[{i}]")


def total_tpp(value) -> int:
    """Every TPP figure in a request, added up: quantity x TPP per unit, chips x TPP per chip,
    and every field named *tpp (installed base, placements, histories, allocations)."""
    total = 0
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("quantity"), int) and isinstance(node.get("tpp_per_unit"), int):
                total += node["quantity"] * node["tpp_per_unit"]
            if isinstance(node.get("chips"), int) and isinstance(node.get("tpp_per_chip"), int):
                total += node["chips"] * node["tpp_per_chip"]
            for key, item in node.items():
                if "tpp" in key and not key.startswith("tpp_per") and isinstance(item, int) and not isinstance(item, bool):
                    total += item
                else:
                    stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return total


# Where each action names the place a transaction delivers to (15 CFR 734.13, 734.14, 734.16).
_DELIVERY_PLACES = {
    "export_chips": (("destination",), ("ultimate_consignee", "located_in")),
    "transfer_model_weights": (("recipient", "located_in"),),
}


@functools.lru_cache(maxsize=1)
def _united_states() -> frozenset[str]:
    # The list the shipped policies use (15 CFR 772.1), read from their data.
    params = resources.shipped_policies_dir() / "aidf" / "facts" / "params" / "data.json"
    return frozenset(json.loads(params.read_text())["jurisdiction"]["united_states"])


def _jurisdiction_problems(request: dict) -> list[Problem]:
    transaction = request.get("transaction")
    found = []
    for path in _DELIVERY_PLACES.get(request["action"], ()):
        node = request
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            continue
        where = f"{'.'.join(path)} is {node}"
        if transaction in ("export", "reexport") and node in _united_states():
            alternatives = "'domestic_transfer' (not subject to the framework)"
            if request["action"] == "transfer_model_weights":
                alternatives += ", or 'deemed_export' for a release to a foreign person in the United States"
            article = "an" if transaction == "export" else "a"
            found.append(Problem("$.transaction", f"{article} {transaction} delivers outside the United States, "
                                                  f"but {where}; a hand-over inside the United States is {alternatives}"))
        elif transaction == "domestic_transfer" and node not in _united_states():
            found.append(Problem("$.transaction", f"a domestic_transfer happens inside the United States, but {where}"))
    places = [request.get("destination"), (request.get("ultimate_consignee") or {}).get("located_in", request.get("destination"))]
    if request["action"] == "export_chips" and transaction == "in_country_transfer" and \
            len({p in _united_states() for p in places}) > 1:
        found.append(Problem("$.transaction", "an in_country_transfer happens within one country, but the destination and "
                                              "the consignee's location are on either side of the United States border"))
    if request["action"] == "transfer_model_weights":
        located = (request.get("recipient") or {}).get("located_in")
        storage = (request.get("storage") or {}).get("facility_country")
        if transaction == "deemed_export" and located not in _united_states():
            found.append(Problem("$.recipient.located_in", f"a deemed export here is a release inside the United States, "
                                 f"but the recipient is located in {located}; a release abroad moves the weights there too: "
                                 "decide that as an export or reexport"))
        if transaction == "domestic_transfer" and storage is not None and storage not in _united_states():
            found.append(Problem("$.storage.facility_country", f"storing the weights in {storage} exports them; "
                                 "a domestic_transfer keeps them inside the United States"))
    return found


def _semantic_problems(request: dict) -> list[Problem]:
    found = list(_operations_problems(request, "$")) + _jurisdiction_problems(request)
    for i, item in enumerate(request.get("items") or []):
        density = item.get("performance_density")
        if isinstance(density, float) and round(density, DENSITY_PLACES) != density:
            found.append(Problem(f"$.items[{i}].performance_density",
                                 f"{density!r} has more than {DENSITY_PLACES} decimal places; round it up"))
    total = total_tpp(request)
    if total > limits.MAX_TOTAL_TPP:
        found.append(Problem("$", f"the TPP figures of this request add up to {total:,}; aidf decides exactly only up "
                                  f"to {limits.MAX_TOTAL_TPP:,} TPP in one request (about 630 million H100s)"))
    return found


def problems(request) -> list[Problem]:
    try:
        return _problems(request)
    except InvalidRequest as exc:
        return exc.problems
    except RecursionError:
        return [Problem("$", f"nested more than {limits.MAX_DEPTH} levels deep")]
    except Exception as exc:  # a validator bug must still fail closed, and never as a crash
        return [Problem("$", f"could not be validated ({type(exc).__name__}: {quote(str(exc))})")]


def _problems(request) -> list[Problem]:
    if not isinstance(request, dict):
        return [Problem("$", f"a request must be a JSON object, not {type(request).__name__}")]
    found = _structure_problems(request)
    if found:
        return sorted(set(found), key=_path_key)
    action = request.get("action")
    if not isinstance(action, str) or action not in ACTION_SCHEMAS:  # a list or object is no action (nor hashable)
        return [Problem("$.action", f"{quote(action)} is not a supported action (supported: {', '.join(sorted(ACTION_SCHEMAS))})")]
    found = _oversized_arrays(request, ACTION_SCHEMAS[action])
    if found:
        return sorted(set(found), key=_path_key)
    if not fast_schema.is_valid(ACTION_SCHEMAS[action], request):
        for error in validator(ACTION_SCHEMAS[action]).iter_errors(request):
            found.extend(Problem(leaf.json_path, _message(leaf)) for leaf in _leaf_errors(error))
    if not found:  # the semantic checks rely on the types the schema guarantees, and on 1000.0 == 1000
        found = _semantic_problems(normalized(request))
    return sorted(set(found), key=_path_key)


def normalized(value):
    """A copy in which integral floats are integers: `1000.0` and `1000` are the same JSON number,
    but the engines echo them differently, and the decision must not depend on the spelling."""
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def validate(request) -> dict:
    found = problems(request)
    if found:
        raise InvalidRequest(found)
    return request
