"""The regorus traps README lists, re-tested on the pinned regorus against OPA (Go).

Each case is a tiny policy. A trap that still bites asserts that regorus still differs from OPA, so
this file fails the day a regorus upgrade fixes it: then drop the workaround and the lint. A trap
fixed upstream asserts that both engines agree, so it fails if it comes back.
"""
from __future__ import annotations

import pathlib

import pytest

from aidf import engines
from aidf.policy_set import PolicySet

pytestmark = pytest.mark.skipif(not engines.opa_available(), reason="needs opa-golib-python-bindings")


def _value(name: str, modules: list[str], rule: str, input_document: dict | None = None):
    """The rule's value on one engine, or the kind of failure: 'undefined' or 'error'."""
    policies = PolicySet(root=pathlib.Path("."), tests=(), data={},
                         modules=tuple((f"m{i}.rego", text) for i, text in enumerate(modules)))
    try:
        return engines.create(name, policies=policies).evaluate(rule, input_document or {})
    except engines.UndefinedResult:
        return "undefined"
    except engines.EngineError:
        return "error"


STILL_DIFFERENT = {
    # A function body that uses its own module's alias is undefined when the caller has already
    # referenced the package through an alias: fail-open. Keep full paths inside function bodies.
    "function body through its own alias": (
        ["package lib\nimport data.lib\nbase := 10\nf(x) := x + lib.base\ncheap := 1",
         "package t\nimport data.lib\na := lib.cheap\nr := lib.f(1)"], "data.t.r", None),
    # `not f(input.missing)`: regorus treats the undefined argument as "f is false".
    "not f() of a missing input": (
        ["package t\nf(x) if x == 1\nr if not f(input.missing)"], "data.t.r", None),
    # A body line starting with "(" is read as a call on the line before.
    "body line starting with (": (
        ["package t\nr if {\n  x := input.a\n  (x + 1) == 2\n}"], "data.t.r", {"a": 1}),
}

FIXED_IN_0_13 = {
    # microsoft/regorus#747: function calls through an import alias.
    "function call through an alias": (
        ["package lib\nf(x) := x + 1", "package t\nimport data.lib\nr := lib.f(1)"], "data.t.r", None),
    "comprehension in an if/else head": (
        ["package t\nr := [x | some x in [1, 2]] if { input.on } else := []"], "data.t.r", {"on": True}),
    "comprehension with only a condition": (["package t\nr := [1 | input.on]"], "data.t.r", {"on": True}),
    "with value that calls a builtin on input": (
        ["package t\ng := count(input.xs)\nr := v if { v := g with input.xs as [1, count(input.xs)] }"],
        "data.t.r", {"xs": [1, 2, 3]}),
    "numbers beyond 2^53 compared exactly": (
        ["package t\nr := [x == 9007199254740992, x > 9007199254740992] if { x := 9007199254740992 + input.one }"],
        "data.t.r", {"one": 1}),
    "large inputs compared exactly": (
        ["package t\nr := input.a == input.b"], "data.t.r", {"a": 9007199254740993, "b": 9007199254740992}),
    "rule imported by its own path": (
        ["package lib\ncheap := 1", "package t\nimport data.lib.cheap\nr := cheap"], "data.t.r", None),
}


@pytest.mark.parametrize("name", sorted(STILL_DIFFERENT))
def test_trap_still_bites_on_regorus(name):
    modules, rule, input_document = STILL_DIFFERENT[name]
    on_regorus = _value("regorus", modules, rule, input_document)
    on_opa = _value("opa", modules, rule, input_document)
    assert on_regorus != on_opa, f"{name}: fixed in regorus; drop the workaround and its lint"


@pytest.mark.parametrize("name", sorted(FIXED_IN_0_13))
def test_trap_fixed_stays_fixed(name):
    modules, rule, input_document = FIXED_IN_0_13[name]
    on_regorus = _value("regorus", modules, rule, input_document)
    assert on_regorus not in ("undefined", "error")
    assert on_regorus == _value("opa", modules, rule, input_document)


def test_both_engines_refuse_an_operator_in_a_comprehension_head():
    # Not a regorus trap: `[x * 2 | ...]` parses `2 | ...` as a set union on both engines.
    modules = ["package t\nxs := [1, 2]\nr := [x * 2 | some x in xs]"]
    assert _value("regorus", modules, "data.t.r") == _value("opa", modules, "data.t.r") == "error"


# --- regorus's compiled VM (RVM) ------------------------------------------------------------------
# regorus 0.13 also ships a bytecode VM (regorus.Program / regorus.Rvm). On the example decisions it
# compiles it is about 8x faster than the interpreter aidf uses, which would meet issue 10's speed
# targets, but it cannot run these policies yet. Each test below fails the day a regorus upgrade
# lifts one of the three obstacles: then try the VM again (README "Performance").
def _rvm(source: str, entry: str, input_document: dict | None = None):
    import json

    import regorus

    program = regorus.Program.compile_from_modules("{}", [("t.rego", source)], [entry])
    vm = regorus.Rvm()
    vm.load_program(program)
    vm.set_data_json("{}")
    vm.set_input_json(json.dumps(input_document or {}))
    result = vm.execute_entry_point(entry)
    return json.loads(result) if isinstance(result, str) and result != "<undefined>" else result


def test_the_rvm_still_cannot_compile_with():
    with pytest.raises(RuntimeError, match="`with` keyword is not supported"):
        _rvm("package t\nimport rego.v1\na := input.x\nr if {\n\tv := a with input.x as 1\n\tv == 1\n}\n", "data.t.r")


def test_the_rvm_still_cannot_compile_walk():
    with pytest.raises(RuntimeError, match="walk loops are not yet supported"):
        _rvm("package t\nimport rego.v1\nr := [p | walk(input, [p, v]); is_number(v)]\n", "data.t.r")


def test_the_rvm_still_skips_else_after_an_undefined_reference():
    source = "package t\nimport rego.v1\nal := {\"HK\": 5}\nf(c) := x if { x := al[c] } else := 0\nr := [f(\"IN\")]\n"
    assert _value("regorus", [source], "data.t.r") == [0] == _value("opa", [source], "data.t.r")
    assert _rvm(source, "data.t.r") == "<undefined>"  # the else is never taken
