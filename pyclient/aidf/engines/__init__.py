"""Rego engines behind one interface: evaluate(query_path, input) -> JSON value.

regorus (embedded, default) and OPA (Go, in-process) load the same PolicySet; IsolatedEngine runs
either in a child process with a time budget. Every failure raises EngineError: an engine never
"allows".
"""
from __future__ import annotations

from .base import Engine, EngineError, EngineTimeout, UndefinedResult, first_line

NAMES = ("regorus", "opa")


def create(name: str = "regorus", **options) -> Engine:
    """An in-process engine: create("regorus"), create("opa", policies=PolicySet, include_tests=True)."""
    if name == "regorus":
        from .regorus_engine import RegorusEngine

        return RegorusEngine(**options)
    if name == "opa":
        try:
            from .opa_engine import OpaGoEngine
        except ImportError as exc:
            raise EngineError("the OPA (Go) engine needs opa-golib-python-bindings: "
                              "pip install --ignore-requires-python opa-golib-python-bindings==0.4.4") from exc
        return OpaGoEngine(**options)
    raise EngineError(f"unknown engine {name!r} (choose {' or '.join(NAMES)})")


def isolated(name: str = "regorus", **options) -> Engine:
    """The engine in a child process with a time budget: isolated("regorus", timeout=5)."""
    if name not in NAMES:
        raise EngineError(f"unknown engine {name!r} (choose {' or '.join(NAMES)})")
    from .process_engine import IsolatedEngine

    return IsolatedEngine(name, **options)


def opa_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("opa_bindings") is not None
    except (ImportError, ValueError):  # ValueError: sys.modules["opa_bindings"] is None (hidden)
        return False


__all__ = ["Engine", "EngineError", "EngineTimeout", "UndefinedResult", "create", "isolated", "first_line",
           "opa_available"]
