"""OPA v1.20 (Go) in-process through opa-golib-python-bindings: the reference for parity."""
from __future__ import annotations

import threading

from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

from .. import policy_set as policy_set_module
from .base import Engine, EngineError, UndefinedResult


class OpaGoEngine(Engine):
    name = "opa"

    def __init__(self, policies: policy_set_module.PolicySet | None = None, include_tests: bool = False):
        self.policies = policies or policy_set_module.shipped()
        self._lock = threading.Lock()
        self._engine = OpaEngine()
        for path, text in self.policies.modules + (self.policies.tests if include_tests else ()):
            try:
                self._engine.add_policy(path, text)
            except OpaError as exc:
                raise EngineError(f"OPA could not load {path}: {exc}") from exc
        try:
            self._engine.add_data(self.policies.data)
        except OpaError as exc:
            raise EngineError(f"OPA could not load the policy data: {exc}") from exc

    @staticmethod
    def _path(rule: str) -> str:
        if not rule.startswith("data."):
            raise EngineError(f"rule path must start with data.: {rule}")
        return rule[len("data."):]

    def evaluate(self, rule: str, input_document: dict):
        try:
            with self._lock:
                return self._engine.eval_document(self._path(rule), input_document)
        except OpaUndefinedError as exc:
            raise UndefinedResult(f"{rule} is undefined for this input (OPA)") from exc
        except OpaError as exc:
            raise EngineError(f"OPA failed to evaluate {rule}: {exc}") from exc

    def run_test(self, rule: str):
        try:
            with self._lock:
                return self._engine.eval_document(self._path(rule), {})
        except OpaUndefinedError:
            return None
        except OpaError as exc:
            raise EngineError(f"OPA failed to evaluate {rule}: {exc}") from exc
