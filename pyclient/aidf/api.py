"""Python API: aidf.evaluate(request) -> Decision."""
from __future__ import annotations

import datetime as dt
import threading

from . import engines, validation
from .decision import Decision

_ENGINES: dict[str, engines.Engine] = {}
_LOCK = threading.Lock()


def engine(name: str = "regorus") -> engines.Engine:
    """A shared engine per name, loaded once with the shipped policies."""
    with _LOCK:
        if name not in _ENGINES:
            try:
                _ENGINES[name] = engines.create(name)
            except engines.EngineError:
                raise
            except Exception as exc:  # missing or unreadable policies: an engine error, never an allow
                raise engines.EngineError(f"cannot load the {name} engine: {exc}") from exc
        return _ENGINES[name]


def prepare(request: dict, as_of: str | dt.date | None = None) -> dict:
    """Validated copy of the request with its as-of date filled in (argument > request > today)."""
    if not isinstance(request, dict):
        validation.validate(request)  # raises with a clear message
    prepared = dict(request)
    if as_of is not None:
        prepared["as_of"] = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    prepared.setdefault("as_of", dt.datetime.now(dt.timezone.utc).date().isoformat())
    validation.validate(prepared)
    return prepared


def evaluate(request: dict, *, as_of: str | dt.date | None = None, engine_name: str = "regorus",
             using: engines.Engine | None = None) -> Decision:
    """Validate, then decide. Raises validation.InvalidRequest or engines.EngineError; never allows on error."""
    prepared = prepare(request, as_of)
    chosen = using or engine(engine_name)
    document = chosen.evaluate("data.aidf.main.decision", prepared)
    if not isinstance(document, dict) or not isinstance(document.get("allowed"), bool) or "outcome" not in document:
        raise engines.EngineError(f"{chosen.name} returned a malformed decision: {str(document)[:200]}")
    return Decision(document=document, engine=chosen.name)
