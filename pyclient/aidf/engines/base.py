from __future__ import annotations

import abc


class EngineError(RuntimeError):
    """The policy could not be evaluated. Callers must treat this as 'not allowed'."""


class UndefinedResult(EngineError):
    """The queried rule produced no value for this input."""


class Engine(abc.ABC):
    name: str

    @abc.abstractmethod
    def evaluate(self, rule: str, input_document: dict):
        """Value of `rule` (e.g. 'data.aidf.main.decision') for the input, as plain JSON."""

    @abc.abstractmethod
    def run_test(self, rule: str):
        """Evaluate a Rego test rule with no input; returns its value (True when it passes)."""
