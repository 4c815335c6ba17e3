"""aidf: the U.S. Framework for Artificial Intelligence Diffusion (90 FR 4544) as policy-as-code."""
from __future__ import annotations

import importlib

# Loaded on first use, so `python -m aidf.engines.worker` and `aidf --help` start without
# importing jsonschema and the engines they do not need.
_EXPORTS = {
    "evaluate": ("api", "evaluate"),
    "Evaluator": ("evaluator", "Evaluator"),
    "Decision": ("decision", "Decision"),
    "EngineError": ("engines", "EngineError"),
    "EngineTimeout": ("engines", "EngineTimeout"),
    "InvalidRequest": ("validation", "InvalidRequest"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        try:  # a submodule, e.g. aidf.api
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module 'aidf' has no attribute {name!r}") from None
    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value
