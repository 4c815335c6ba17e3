"""Request parsing and JSON Schema validation. Nothing reaches an engine unless it passes.

Every problem is reported with its JSON path, so a pipeline log or a lawyer can find the field.
"""
from __future__ import annotations

import dataclasses
import decimal
import functools
import json
import math
import pathlib

import jsonschema
import referencing

from . import resources

MAX_REQUEST_BYTES = 1_000_000
# Performance density is compared with 1.6, 3.2 and 5.92; four places keep every engine exact.
DENSITY_PLACES = 4
ACTION_SCHEMAS = {
    "export_chips": "export_chips.schema.json",
    "deploy_compute": "deploy_compute.schema.json",
    "country_allocation": "country_allocation.schema.json",
    "transfer_model_weights": "transfer_model_weights.schema.json",
    "train_model": "train_model.schema.json",
}
# Operation counts: decimal strings up to 10^28, whole multiples of 10^12 (see aidf.lib.ops).
MAX_OPERATIONS = decimal.Decimal("1e28")
OPERATIONS_UNIT = decimal.Decimal("1e12")


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


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def parse(text: str | bytes, source: str = "request") -> dict:
    """JSON text -> request object. Rejects empty, oversized, NaN/Infinity and duplicate keys."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    if len(raw) > MAX_REQUEST_BYTES:
        raise InvalidRequest([Problem("$", f"{source} is {len(raw)} bytes; the limit is {MAX_REQUEST_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequest([Problem("$", f"{source} is not UTF-8 text ({exc.reason})")]) from exc
    if not text.strip():
        raise InvalidRequest([Problem("$", f"{source} is empty")])
    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InvalidRequest([Problem("$", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")]) from exc
    except ValueError as exc:
        raise InvalidRequest([Problem("$", f"malformed JSON: {exc}")]) from exc
    return value


def load_file(path: str | pathlib.Path) -> dict:
    path = pathlib.Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_REQUEST_BYTES:
            raise InvalidRequest([Problem("$", f"{path} is {size} bytes; the limit is {MAX_REQUEST_BYTES}")])
        return parse(path.read_bytes(), source=str(path))
    except OSError as exc:
        raise InvalidRequest([Problem("$", f"cannot read {path}: {exc.strerror}")]) from exc


@functools.lru_cache(maxsize=1)
def _registry() -> referencing.Registry:
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
    schema = json.loads((resources.schemas_dir() / schema_file).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _message(error: jsonschema.ValidationError) -> str:
    # A 249-entry enum makes an unreadable message; name the list instead.
    if error.validator == "enum" and len(error.validator_value) > 12:
        title = error.schema.get("title", "value")
        return f"{error.instance!r} is not a known {title}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    return error.message


def _leaf_errors(error: jsonschema.ValidationError):
    # if/then and allOf wrap the useful error; report the innermost ones.
    if error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


def problems(request) -> list[Problem]:
    if not isinstance(request, dict):
        return [Problem("$", f"a request must be a JSON object, not {type(request).__name__}")]
    action = request.get("action")
    if action not in ACTION_SCHEMAS:
        return [Problem("$.action", f"{action!r} is not a supported action (supported: {', '.join(sorted(ACTION_SCHEMAS))})")]
    found = []
    for error in validator(ACTION_SCHEMAS[action]).iter_errors(request):
        for leaf in _leaf_errors(error):
            found.append(Problem(leaf.json_path, _message(leaf)))
    found.extend(_semantic_problems(request))
    return sorted(set(found), key=lambda p: (p.path, p.message))


def _operations_problems(value, path: str):
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}"
            if key.endswith("operations") and isinstance(item, str):
                try:
                    count = decimal.Decimal(item)
                except decimal.InvalidOperation:
                    continue  # the schema's pattern reports it
                if count > MAX_OPERATIONS:
                    yield Problem(child, f"{item!r} is more than 10^28 operations")
                elif count % OPERATIONS_UNIT != 0:
                    yield Problem(child, f"{item!r} is not a whole multiple of 10^12 operations; round it up")
            else:
                yield from _operations_problems(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _operations_problems(item, f"{path}[{i}]")


def _semantic_problems(request: dict) -> list[Problem]:
    """Checks a schema cannot express."""
    found = list(_operations_problems(request, "$"))
    for i, item in enumerate(request.get("items") or []):
        density = item.get("performance_density") if isinstance(item, dict) else None
        if isinstance(density, float) and not math.isfinite(density):
            found.append(Problem(f"$.items[{i}].performance_density", "must be a finite number"))
        elif isinstance(density, (int, float)) and round(density, DENSITY_PLACES) != density:
            found.append(Problem(f"$.items[{i}].performance_density",
                                 f"{density!r} has more than {DENSITY_PLACES} decimal places; round it up"))
    return found


def validate(request) -> dict:
    found = problems(request)
    if found:
        raise InvalidRequest(found)
    return request
