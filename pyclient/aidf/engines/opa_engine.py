"""OPA v1.20 (Go) in-process through opa-golib-python-bindings: the reference for parity, and the
compiler that vets custom policies (recursion, rule conflicts) before regorus ever runs them."""
from __future__ import annotations

import threading

from opa_bindings import OpaEngine, OpaUndefinedError

from .. import policy_set as policy_set_module
from .base import Engine, EngineError, UndefinedResult, engine_boundary, show_prints


class OpaGoEngine(Engine):
    name = "opa"

    def __init__(self, policies: policy_set_module.PolicySet | None = None, include_tests: bool = False):
        self.policies = policies or policy_set_module.shipped()
        self.has_checked_decision = self.policies.has_checked_decision
        self._lock = threading.Lock()
        self._engine = OpaEngine()
        self._engine.print_handler = lambda message, location: show_prints([f"{location}: {message}"])
        for path, text in self.policies.modules + (self.policies.tests if include_tests else ()):
            with engine_boundary(f"OPA could not load {path}"):
                self._engine.add_policy(path, text)
        with engine_boundary("OPA could not load the policy data"):
            self._engine.add_data(self.policies.data)
        # OPA compiles lazily, at the first evaluation; compile now so that recursion, rule
        # conflicts and data that shadows a rule are load errors, not evaluation-time surprises.
        with engine_boundary("OPA could not compile the policies"):
            self._engine.eval_query("true", {})

    @staticmethod
    def _path(rule: str) -> str:
        if not rule.startswith("data."):
            raise EngineError(f"rule path must start with data.: {rule}")
        return rule[len("data."):]

    def evaluate(self, rule: str, input_document: dict):
        path = self._path(rule)
        try:
            with self._lock, engine_boundary(f"OPA failed to evaluate {rule}"):
                return self._engine.eval_document(path, input_document)
        except EngineError as exc:
            if isinstance(exc.__cause__, OpaUndefinedError):
                raise UndefinedResult(f"{rule} is undefined for this input (OPA)") from exc
            raise

    def run_test(self, rule: str):
        try:
            return self.evaluate(rule, {})
        except UndefinedResult:
            return None

    def close(self) -> None:
        with self._lock:
            self._engine.close()
