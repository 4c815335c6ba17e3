"""`--set PATH=VALUE` (whatif, boundary) and `set:` (case suites): changed facts on a copy of a request.

PATH names a field as a reader would point at it: `destination`, `ultimate_consignee.headquarters`,
`items[0].quantity`, `as_of`, `view`. VALUE is read as JSON where that makes sense (numbers, true,
false, null, lists) and is otherwise a string; a field that holds a string keeps a string (a country
code `NO` stays Norway, an operation count `3e26` stays a decimal string, even in a field the
request does not give yet), a yes/no field takes
yes or no, and a number may carry thousands separators (1,700).
"""
from __future__ import annotations

import copy
import json
import re

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d{1,6}\])*)")
# A request is at most 32 levels deep (aidf.limits.MAX_DEPTH): a longer path names nothing in it.
MAX_PATH_CHARS = 300
MAX_VALUE_CHARS = 100_000
_INDEX = re.compile(r"\[(\d+)\]")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_YES, _NO = {"yes", "y", "true"}, {"no", "n", "false"}


class BadOverride(ValueError):
    """A PATH=VALUE that cannot be applied; the message names it and says why, in one line."""


def parse_path(path: str) -> list[str | int]:
    """`items[0].quantity` -> ["items", 0, "quantity"]."""
    if len(path) > MAX_PATH_CHARS:
        raise BadOverride(f"a field path of {len(path):,} characters; at most {MAX_PATH_CHARS} name a field")
    steps: list[str | int] = []
    for part in path.split("."):
        match = _PART.fullmatch(part)
        if not match:
            raise BadOverride(f"{path!r} is not a field path (write e.g. destination, items[0].quantity; "
                              "an index has at most 6 digits)")
        steps.append(match.group(1))
        steps.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return steps


def split_assignment(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise BadOverride(f"{text!r} is not PATH=VALUE (e.g. items[0].quantity=1700)")
    path, value = text.split("=", 1)
    return path.strip(), value.strip()


def _is_operations_field(field: str) -> bool:
    from .validation import is_operations_field

    return is_operations_field(field)


def _plain_words(action, steps, value):
    """On a command line a country may be a name and a yes/no field yes or no, as in a YAML
    request file (aidf.templates reads them by the field's schema)."""
    from . import templates

    return templates.plain_value(action, tuple(steps), value)


def read_value(text: str, current=None, field: str | None = None):
    """VALUE as the field it replaces expects it (see the module's docstring). `field` is the
    field's name: an operation count (a name ending in "operations", as validation reads them)
    stays a decimal string even when the request does not give it yet."""
    if len(text) > MAX_VALUE_CHARS:
        raise BadOverride(f"a value of {len(text):,} characters; at most {MAX_VALUE_CHARS:,}")
    if isinstance(current, str) or (current is None and isinstance(field, str) and _is_operations_field(field)):
        return text
    if isinstance(current, bool) and text.lower() in _YES | _NO:
        return text.lower() in _YES
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        return json.loads(text)
    except RecursionError:
        raise BadOverride("the value is nested too deeply") from None
    except ValueError:  # not JSON: the text itself (a number over 4,300 digits is text too)
        return text


def get(request, steps: list[str | int], default=None):
    node = request
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return default
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return default
            node = node[step]
    return node


def _walk(node, steps, path):
    """The container that holds the last step, creating missing objects on the way."""
    for i, step in enumerate(steps[:-1]):
        nxt = steps[i + 1]
        if isinstance(step, int):
            _check_index(node, steps[:i + 1], path)
            node = node[step]
        else:
            if not isinstance(node, dict):
                raise BadOverride(f"{path}: {_display(steps[:i]) or 'the request'} is not an object")
            if step not in node:
                if isinstance(nxt, int):
                    raise BadOverride(f"{path}: the request has no {_display(steps[:i + 1])}")
                node[step] = {}
            node = node[step]
    return node


def _check_index(container, steps, path: str) -> None:
    """steps[-1] is an index into `container`, which steps[:-1] names: it must be there."""
    if not isinstance(container, list):
        raise BadOverride(f"{path}: {_display(steps[:-1]) or 'the request'} is not a list")
    if steps[-1] >= len(container):
        raise BadOverride(f"{path}: {_display(steps[:-1])} has {_entries(len(container))}, "
                          f"so there is no {_display(steps)}")


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def _display(steps) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def apply(request: dict, assignments: list[tuple[str, object]], *, from_text: bool = True) -> dict:
    """A changed copy of `request`. Each assignment is (PATH, VALUE). from_text: the VALUEs are the
    text of a command line, read with read_value against the field each replaces; otherwise they
    are typed already (YAML)."""
    changed = copy.deepcopy(request)
    for path, value in assignments:
        steps = parse_path(path)
        holder = _walk(changed, steps, path)
        last = steps[-1]
        current = get(changed, steps)
        if from_text and isinstance(value, str):
            value = read_value(value, current, field=last if isinstance(last, str) else None)
            value = _plain_words(changed.get("action"), steps, value)
        if path == "view" and isinstance(value, str):
            value = value.replace("-", "_")
        if isinstance(last, int):
            _check_index(holder, steps, path)
            holder[last] = value
        else:
            if not isinstance(holder, dict):
                raise BadOverride(f"{path}: {_display(steps[:-1]) or 'the request'} is not an object")
            holder[last] = value
    return changed


def parse_all(texts) -> list[tuple[str, str]]:
    pairs = [split_assignment(t) for t in texts]
    for path, _ in pairs:
        parse_path(path)
    return pairs
