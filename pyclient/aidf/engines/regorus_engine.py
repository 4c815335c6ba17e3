"""Every regorus call lives here, so the PyPI distribution (gordon-to-regorus) can be swapped."""
from __future__ import annotations

import itertools
import json
import threading

import regorus

from .. import policy_set as policy_set_module
from .base import Engine, EngineError, UndefinedResult, engine_boundary, show_prints

_UNDEFINED = "<undefined>"
# Each thread's engines, by the token of the RegorusEngine that built them. The registry belongs to
# the thread: it is released when the thread ends, by that thread, so no regorus Engine is ever
# dropped by another thread, even when its RegorusEngine is discarded while the thread lives on.
_THREAD_ENGINES = threading.local()
_TOKENS = itertools.count()


class RegorusEngine(Engine):
    """regorus in-process. A regorus Engine is `unsendable`: it may only be used, and dropped, by
    the thread that built it. So every thread builds its own from the cached policy text and
    keeps it in its own registry (_THREAD_ENGINES); no engine is held anywhere else, so none can
    be handed to another thread (thread ids are reused by the OS) or dropped by the wrong one.
    The cost: a thread keeps its engines until it ends, even after this object is discarded."""

    name = "regorus"

    def __init__(self, policies: policy_set_module.PolicySet | None = None, include_tests: bool = False):
        self.policies = policies or policy_set_module.shipped()
        self.has_checked_decision = self.policies.has_checked_decision
        self._include_tests = include_tests
        self._token = next(_TOKENS)
        self._engine()  # load now, in this thread, so a broken policy fails at construction

    def _build(self) -> regorus.Engine:
        engine = regorus.Engine()
        engine.set_gather_prints(True)  # a policy's print() reaches stderr only through show_prints()
        for path, text in self.policies.modules + (self.policies.tests if self._include_tests else ()):
            with engine_boundary(f"regorus could not load {path}"):
                engine.add_policy(path, text)
        with engine_boundary("regorus could not load the policy data"):
            engine.add_data_json(json.dumps(self.policies.data))
        return engine

    def _engine(self) -> regorus.Engine:
        mine = _THREAD_ENGINES.__dict__.setdefault("by_token", {})
        engine = mine.get(self._token)
        if engine is None:
            engine = mine[self._token] = self._build()
        return engine

    def _eval(self, rule: str, input_json: str):
        engine = self._engine()
        with engine_boundary(f"regorus failed to evaluate {rule}"):
            engine.set_input_json(input_json)
            try:
                raw = engine.eval_rule_as_json(rule)
            finally:
                show_prints(engine.take_prints())
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise EngineError(f"regorus returned unreadable JSON for {rule}: {exc}") from exc

    def evaluate(self, rule: str, input_document: dict):
        value = self._eval(rule, json.dumps(input_document, ensure_ascii=False))
        if value == _UNDEFINED:
            raise UndefinedResult(f"{rule} is undefined for this input (regorus)")
        return value

    def run_test(self, rule: str):
        value = self._eval(rule, "{}")
        return None if value == _UNDEFINED else value


def declared_rules(modules: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Package path -> names of the rules (and functions) its modules declare, from regorus's
    parser: a rule `a.b := 1` declares `a`, which is the key it occupies in its package."""
    engine = regorus.Engine()
    for path, text in modules:
        with engine_boundary(f"regorus could not parse {path}"):
            engine.add_policy(path, text)
    with engine_boundary("regorus could not describe the policies"):
        tree = json.loads(engine.get_ast_as_json())
    declared: dict[str, set[str]] = {}
    for module in tree:
        package = ".".join(_ref_parts(module["ast"]["package"]["refr"]))
        names = declared.setdefault(package, set())
        for rule in module["ast"].get("rules", []):
            if "Default" in rule:  # `default allow := false` declares `allow` as much as a rule does
                head = rule["Default"]
            else:
                head = next(iter(rule.get("Spec", {}).get("head", {}).values()), None)
            if head and "refr" in head:
                names.add(_ref_parts(head["refr"])[0])
    return declared


def _ref_parts(ref: dict) -> list[str]:
    # Var("a") / RefDot(refr, field) / RefBrack(refr, index) -> ["a", "b", ...]
    kind, node = next(iter(ref.items()))
    if kind == "Var":
        return [node["value"]]
    if kind == "RefDot":
        return _ref_parts(node["refr"]) + [node["field"][1]]
    if kind == "RefBrack":
        index = node.get("index", {})
        literal = index.get("String", {}).get("value") if isinstance(index, dict) else None
        return _ref_parts(node["refr"]) + ([literal] if literal is not None else [])
    return []
