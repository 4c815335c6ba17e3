"""Rego engines behind one interface: evaluate(query_path, input) -> JSON value.

regorus (embedded, default) and OPA (Go, in-process) load the same PolicySet; the remote
engine asks an OPA server. Every failure raises EngineError: an engine never "allows".
"""
from __future__ import annotations

from .base import Engine, EngineError, UndefinedResult


def create(name: str = "regorus", **options) -> Engine:
    if name == "regorus":
        from .regorus_engine import RegorusEngine

        return RegorusEngine(**options)
    if name == "opa":
        from .opa_engine import OpaGoEngine

        return OpaGoEngine(**options)
    raise EngineError(f"unknown engine {name!r} (choose regorus or opa)")


__all__ = ["Engine", "EngineError", "UndefinedResult", "create"]
