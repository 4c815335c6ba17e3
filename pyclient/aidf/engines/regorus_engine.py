"""Every regorus call lives here, so the PyPI distribution (gordon-to-regorus) can be swapped."""
from __future__ import annotations

import json
import threading

import regorus

from .. import policy_set as policy_set_module
from .base import Engine, EngineError, UndefinedResult

_UNDEFINED = "<undefined>"


class RegorusEngine(Engine):
    """regorus in-process. A regorus Engine is `unsendable` (even clone() may not be called from
    another thread), so every other thread builds its own engine from the cached policy text."""

    name = "regorus"

    def __init__(self, policies: policy_set_module.PolicySet | None = None, include_tests: bool = False):
        self.policies = policies or policy_set_module.shipped()
        self._include_tests = include_tests
        self._template = self._build(include_tests)
        self._owner = threading.get_ident()
        self._local = threading.local()

    def _build(self, include_tests: bool) -> regorus.Engine:
        engine = regorus.Engine()
        for path, text in self.policies.modules + (self.policies.tests if include_tests else ()):
            try:
                engine.add_policy(path, text)
            except Exception as exc:  # regorus raises RuntimeError/ValueError with parse messages
                raise EngineError(f"regorus could not load {path}: {exc}") from exc
        try:
            engine.add_data_json(json.dumps(self.policies.data))
        except Exception as exc:
            raise EngineError(f"regorus could not load the policy data: {exc}") from exc
        return engine

    def _engine(self) -> regorus.Engine:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            if threading.get_ident() == self._owner:
                engine = self._template
            else:
                engine = self._build(self._include_tests)
            self._local.engine = engine
        return engine

    def evaluate(self, rule: str, input_document: dict):
        engine = self._engine()
        try:
            engine.set_input_json(json.dumps(input_document))
            raw = engine.eval_rule_as_json(rule)
        except Exception as exc:
            raise EngineError(f"regorus failed to evaluate {rule}: {exc}") from exc
        value = json.loads(raw)
        if value == _UNDEFINED:
            raise UndefinedResult(f"{rule} is undefined for this input (regorus)")
        return value

    def run_test(self, rule: str):
        engine = self._engine()
        try:
            engine.set_input_json("{}")
            value = json.loads(engine.eval_rule_as_json(rule))
        except Exception as exc:
            raise EngineError(f"regorus failed to evaluate {rule}: {exc}") from exc
        return None if value == _UNDEFINED else value
