"""Python API: aidf.evaluate(request) -> Decision.

Only two exceptions leave it: InvalidRequest (the request; exit 3) and EngineError (the policy or
the engine; exit 4). Neither is ever an allow.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import pathlib
import threading

from . import contract, engines, policy_check, policy_set, resources, validation
from .decision import Decision

ENTRYPOINT = "data.aidf.main.decision"  # checks its input in Rego too: what an OPA server is asked
# The same decision for input this process has validated against the schemas: it skips the Rego
# re-check of the input (two walks of the whole request). conftest.decide compares the two on
# every decision the test suite makes (embedded engines ask this one, the OPA server the other).
CHECKED_ENTRYPOINT = "data.aidf.main.checked_decision"

_ENGINES: dict[tuple, engines.Engine] = {}
_LOCK = threading.Lock()


def engine(name: str = "regorus", *, isolated: bool = False) -> engines.Engine:
    """A shared engine loaded with the policies of AIDF_POLICY_DIR, or the shipped ones.

    Custom policies are vetted first (aidf.policy_check): compiled by OPA (Go) where its bindings
    are installed; without them they only ever run isolated, so a crash cannot take the caller down."""
    try:
        root, custom = _policy_root(os.environ.get("AIDF_POLICY_DIR"))
    except (OSError, ValueError) as exc:
        raise engines.EngineError(f"cannot find the policies: {exc}") from exc
    with _LOCK:
        if custom and not _vetted(root):  # always vetted; a tree OPA could not vet runs only isolated
            isolated = True
        key = (name, isolated, str(root))
        if key not in _ENGINES:
            _ENGINES[key] = _load(name, isolated, root if custom else None)
        return _ENGINES[key]


def engine_for_tree(name: str, root: pathlib.Path, *, isolated: bool = False) -> engines.Engine:
    """A new engine (not shared: the caller closes it) for a policy tree outside the shipped one,
    e.g. an unpacked bundle. Vetted like AIDF_POLICY_DIR: a tree OPA could not vet runs isolated."""
    with _LOCK:
        vetted = _vetted(pathlib.Path(root))
    return _load(name, isolated or not vetted, pathlib.Path(root))


@functools.lru_cache(maxsize=8)
def _policy_root(override: str | None) -> tuple[pathlib.Path, bool]:
    """The policy tree for an AIDF_POLICY_DIR value, and whether it is a custom one. Cached: every
    decision asks, and resolving paths costs system calls."""
    root = resources.policies_dir()
    return root, root.resolve() != resources.shipped_policies_dir().resolve()


_VETTED: dict[str, bool] = {}


def _vetted(root: pathlib.Path) -> bool:
    if str(root) not in _VETTED:
        _VETTED[str(root)] = policy_check.vet(root)
    return _VETTED[str(root)]


def _load(name: str, isolated: bool, custom_root: pathlib.Path | None) -> engines.Engine:
    try:
        if isolated:
            return engines.isolated(name, policy_dir=custom_root)
        return engines.create(name, policies=policy_set.load(custom_root) if custom_root else None)
    except engines.EngineError:
        raise
    except Exception as exc:  # missing, unreadable or conflicting policies: never an allow
        raise engines.EngineError(f"cannot load the {name} engine: {engines.first_line(str(exc))}",
                                  detail=str(exc)) from exc


def prepare(request, as_of: str | dt.date | None = None, view: str | None = None) -> dict:
    """Validated, normalized copy of the request with its as-of date and view filled in
    (argument > request > default: today, and the rule as written)."""
    if not isinstance(request, dict):
        validation.validate(request)  # raises with a clear message
    prepared = dict(request)
    if as_of is not None:
        prepared["as_of"] = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    prepared.setdefault("as_of", dt.datetime.now(dt.timezone.utc).date().isoformat())
    if view is not None:
        prepared["view"] = view.replace("-", "_") if isinstance(view, str) else view
    prepared.setdefault("view", "as_written")
    validation.validate(prepared)
    return validation.normalized(prepared)


def evaluate(request, *, as_of: str | dt.date | None = None, engine_name: str = "regorus",
             using: engines.Engine | None = None, timeout: float | None = None, view: str | None = None) -> Decision:
    """Validate, then decide. Raises validation.InvalidRequest or engines.EngineError; never allows on error.

    view: "as_written" (default) or "enforced" (what BIS still enforces on the as-of date).
    timeout: seconds one decision may take (above 0, at most a day). With a budget the engine runs
    in a child process that is stopped when the budget runs out (EngineTimeout); with None (the
    default) it runs in this process, with no budget.
    """
    return decide(prepare(request, as_of, view), engine_name=engine_name, using=using, timeout=timeout)


def decide(prepared: dict, *, engine_name: str = "regorus", using: engines.Engine | None = None,
           timeout: float | None = None) -> Decision:
    """Decide a request that prepare() has already validated and normalized."""
    try:
        budget = _checked_budget(timeout)
        chosen = using or engine(engine_name, isolated=budget is not None)
        if budget is not None and not _isolated(chosen):
            raise engines.EngineError(f"the in-process {chosen.name} engine cannot be stopped; "
                                      "use engines.isolated() for a time budget")
        options = {"timeout": budget} if budget is not None else {}
        entrypoint = CHECKED_ENTRYPOINT if chosen.has_checked_decision else ENTRYPOINT
        document = chosen.evaluate(entrypoint, prepared, **options)
        return Decision(document=contract.check(document, prepared, chosen.name), engine=chosen.name)
    except engines.EngineError:
        raise
    except Exception as exc:  # anything else is still an engine failure, never an allow
        name = getattr(using, "name", engine_name)
        raise engines.EngineError(f"{name} failed: {type(exc).__name__}: {engines.first_line(str(exc))}",
                                  detail=str(exc)) from exc


def _checked_budget(timeout):
    if timeout is None:  # the usual case: no child process, so no need to import its module
        return None
    from .engines.process_engine import checked_budget

    return checked_budget(timeout)


def _isolated(chosen) -> bool:
    from .engines.process_engine import IsolatedEngine

    return isinstance(chosen, IsolatedEngine)


def close() -> None:
    """Stop every shared engine (worker processes included)."""
    with _LOCK:
        for shared in {id(e): e for e in _ENGINES.values()}.values():
            shared.close()
        _ENGINES.clear()
        _VETTED.clear()  # a tree may have changed: vet it again before it is loaded again
        _policy_root.cache_clear()
