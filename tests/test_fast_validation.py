"""The compiled validators (aidf.fast_schema) pass what jsonschema passes and nothing more, and a
document they refuse gets jsonschema's own problems: same paths, same messages, same order.

`slow` below is today's path forced (the compiled validator switched off); `counted` counts the
calls of the real jsonschema validators while they keep doing the work."""
from __future__ import annotations

import contextlib
import copy
import decimal
import json
import math
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aidf import api, contract, engines, fast_schema, validation
from conftest import DELETE, EXAMPLES, ROOT, at, chips_request

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.json"))
DECISION_SCHEMA = "decision.schema.json"


@contextlib.contextmanager
def counted():
    """Counts every use of the jsonschema validators (requests and decisions); they still run."""
    calls = {"request": 0, "decision": 0}
    real_request, real_decision = validation.validator, contract._validator

    def request_validator(schema_file):
        calls["request"] += 1
        return real_request(schema_file)

    def decision_validator():
        calls["decision"] += 1
        return real_decision()

    validation.validator, contract._validator = request_validator, decision_validator
    try:
        yield calls
    finally:
        validation.validator, contract._validator = real_request, real_decision


@contextlib.contextmanager
def slow():
    """Today's path: every document through jsonschema."""
    real = fast_schema.is_valid
    fast_schema.is_valid = lambda schema_file, document: False
    try:
        yield
    finally:
        fast_schema.is_valid = real


def schema_verdicts(schema_file: str, document) -> tuple[bool, bool]:
    """(compiled validator, jsonschema) on one schema."""
    if schema_file == DECISION_SCHEMA:
        by_jsonschema = not any(True for _ in contract._validator().iter_errors(document))
    else:
        by_jsonschema = not any(True for _ in validation.validator(schema_file).iter_errors(document))
    return fast_schema.is_valid(schema_file, document), by_jsonschema


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def assert_never_more_lenient(schema_file: str, document) -> None:
    compiled, by_jsonschema = schema_verdicts(schema_file, document)
    assert by_jsonschema or not compiled, f"the compiled validator passes what jsonschema refuses: {document!r}"[:2000]
    if by_jsonschema and not compiled:
        # The one known way to be stricter: Rust's `$` does not match before a final newline.
        assert any(s.endswith("\n") for s in _strings(document)), f"compiled validator refuses: {document!r}"[:2000]


def reaches_schema(request) -> str | None:
    """The schema a request is checked against, or None if earlier checks refuse it."""
    if not isinstance(request, dict) or validation._structure_problems(request):
        return None
    action = request.get("action")
    schema_file = validation.ACTION_SCHEMAS.get(action) if isinstance(action, str) else None
    if schema_file is None or validation._oversized_arrays(request, schema_file):
        return None
    return schema_file


def assert_same_problems(request) -> list[validation.Problem]:
    """Problems with the compiled validator == problems without it; the slow one ran iff needed."""
    with counted() as calls:
        found = validation.problems(request)
    with slow():
        expected = validation.problems(request)
    assert found == expected
    schema_file = reaches_schema(request)
    if schema_file is not None:
        assert_never_more_lenient(schema_file, request)
        compiled, _ = schema_verdicts(schema_file, request)
        assert calls["request"] == (0 if compiled else 1)
    return found


# -- mutations: every field of a request or decision, set to something wrong ----------------

WRONG = [None, True, False, 0, -1, 1.5, -0.5, 10**30, 2**64, 1e300, "", "XX", "de", "x" * 301, "2025-02-30",
         "0000-01-01", "2262-04-11", "2025-06-01\n", "DE\n", "3e26\n", "ABC\n", "%!v(MISSING)", "\u202e",
         [], [None], ["DE", "DE"], {}, {"surprise": 1}]


def paths(value, path=()):
    """Every path inside a JSON value (objects' keys and arrays' indexes), outermost first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,)
            yield from paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield path + (i,)
            yield from paths(item, path + (i,))


def replaced(document, path, value):
    changed = copy.deepcopy(document)
    node = changed
    for part in path[:-1]:
        node = node[part]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return changed


def mutations(document, rng: random.Random, per_path: int = 4):
    """Per path: deleted, an unknown key beside it, and `per_path` wrong values."""
    for path in paths(document):
        if isinstance(path[-1], str):
            yield replaced(document, path, DELETE)
            yield replaced(document, path[:-1] + ("unknown_field",), 1)
        for value in rng.sample(WRONG, per_path):
            yield replaced(document, path, value)


def examples() -> list[dict]:
    return [json.loads(path.read_text()) for path in EXAMPLE_PATHS]


# -- the examples: valid, and decided without jsonschema -----------------------------------

@pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=[p.stem for p in EXAMPLE_PATHS])
def test_examples_pass_the_compiled_validator_alone(path):
    request = json.loads(path.read_text())
    for document in (request, api.prepare(copy.deepcopy(request))):
        with counted() as calls:
            assert validation.problems(document) == []
        assert calls == {"request": 0, "decision": 0}
        assert schema_verdicts(validation.ACTION_SCHEMAS[request["action"]], document) == (True, True)


@pytest.fixture(scope="module")
def decisions() -> list[tuple[dict, dict]]:
    engine = engines.create("regorus")
    prepared = [api.prepare(request) for request in examples()]
    return [(engine.evaluate(api.ENTRYPOINT, request), request) for request in prepared]


def test_example_decisions_pass_the_compiled_validator_alone(decisions):
    for decision, request in decisions:
        with counted() as calls:
            assert contract.check(decision, request, "regorus") is decision
        assert calls == {"request": 0, "decision": 0}
        assert schema_verdicts(DECISION_SCHEMA, decision) == (True, True)


def test_every_schema_compiles_with_its_refs_resolved_offline():
    for schema_file in [*validation.ACTION_SCHEMAS.values(), DECISION_SCHEMA]:
        assert fast_schema._compiled(schema_file) is not None, schema_file  # None: jsonschema would do all the work


def test_the_only_format_is_the_one_checked_as_jsonschema_checks_it():
    """A new `format` needs the care `date` got: jsonschema-rs's own check may be looser."""
    formats = set()
    for path in (ROOT / "schemas").glob("*.schema.json"):
        text = json.loads(path.read_text())
        formats |= {node["format"] for node in _nodes(text) if isinstance(node.get("format"), str)}
    assert formats == {"date"}


def _nodes(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


# -- invalid requests: the ones the other suites build, the hostile corpus, mutations -------

def _parametrized(test, argument: int) -> list:
    (mark,) = [m for m in test.pytestmark if m.name == "parametrize"]
    return [values[argument] for values in mark.args[1]]


def suites_invalid_requests() -> list:
    import test_validation
    from test_model_weights import FRONTIER, weights

    found = [chips_request(**overrides) for overrides in _parametrized(test_validation.test_each_problem_is_named_by_path, 0)]
    found += [weights(model=dict(FRONTIER, training_operations=value)) for value in ["1e29", "99999999999999999999999999",
              "1.5e11", "3 e26", "-1e26", 3e26, "0e999", "3e26\n", " 3e26"]]
    found += [
        chips_request(destination="XX", transaction="gift", **{"ultimate_consignee.headquarters": "ZZ"}),
        {"action": "export_weights"}, [1, 2], None, 5, "x", [], {"action": None}, {"action": "export_chips", "items": 5},
        {"action": "export_chips", "items": [5]}, {"action": "export_chips", "history": {"x": []}},
        chips_request(items=[dict(chips_request()["items"][0], quantity=-1) for _ in range(12)]),
        chips_request(destination="D" * 5000), chips_request(transaction="t" * 5000),
        chips_request(items=[{"quantity": "not a number"}] * 1001),
        chips_request(request_id="x" * 10_001), chips_request(request_id={1, 2}), chips_request(request_id=b"bytes"),
        chips_request(request_id=object()), chips_request(request_id=float("nan")),
        chips_request(destination="US", **{"ultimate_consignee.located_in": "US"}),
        chips_request(**{"ultimate_consignee.located_in": "PR"}), chips_request(transaction="domestic_transfer"),
        at("CN", transaction="in_country_transfer", **{"ultimate_consignee.located_in": "US"}),
        weights(recipient=("US", "US", "US"), transaction="domestic_transfer", storage={"facility_country": "CN"}),
        weights(recipient=("CN", "US", "US"), transaction="deemed_export", nationality="GB"),
        weights(recipient=("US", "US", "US"), transaction="export"),
        weights(model=dict(FRONTIER, synthetic_data=[{"generator": "G", "operations_on_its_data": "2e25",
                                                      "generation_operations": "1e24", "generator_weights_published": False}])),
        chips_request(items=[{"quantity": -1, "tpp_per_unit": 1, "performance_density": 1, "designed_for_data_centers": True}]),
    ]
    found += [chips_request(as_of=as_of) for as_of in ("1999-12-31", "2200-01-01", "2025-02-30", "0000-01-01", "2025-06-01\n")]
    plan = json.loads((EXAMPLES / "20-plan-uveu-new-country-malaysia.json").read_text())
    found += [dict(plan, installed=[{"country": "US", "tpp": 10**13}]), dict(plan, installed=[{"country": "US", "tpp": 1e13}] * 10)]
    return found


def hostile_requests() -> list:
    sys.path.insert(0, str(ROOT / "tests" / "hostile"))
    import corpus

    found = []
    for case in corpus.cases():
        try:
            found.append(validation.parse(case.content))
        except validation.InvalidRequest:
            continue  # refused before any schema
    for request in (corpus.CHIPS, corpus.PLAN, corpus.WEIGHTS):
        found += [corpus.with_value(request, path, corpus.CONTROL) for path in corpus.string_fields(request)]
    return found


def test_every_invalid_request_of_the_suites_gets_the_slow_paths_problems():
    cases = suites_invalid_requests() + hostile_requests()
    refused = [request for request in cases if assert_same_problems(request)]
    assert len(refused) > 60


@pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=[p.stem for p in EXAMPLE_PATHS])
def test_every_field_of_every_example_set_wrong(path):
    request = json.loads(path.read_text())
    rng = random.Random(path.name)
    for changed in mutations(request, rng, per_path=3):
        assert_same_problems(changed)


def test_python_values_jsonschema_rs_would_read_as_json_are_left_to_jsonschema():
    """jsonschema-rs reads a tuple as an array and a Decimal as a number; jsonschema does not."""
    item = chips_request()["items"][0]
    for request in (chips_request(items=(item,)), chips_request(items=[dict(item, quantity=decimal.Decimal(1000))])):
        assert validation.problems(request)  # refused before the schema, as before
        assert not fast_schema.is_valid("export_chips.schema.json", request)
    assert not fast_schema.is_valid("export_chips.schema.json", chips_request(request_id=type("S", (str,), {})("x")))


def test_a_final_newline_is_left_to_jsonschema():
    """Python's `$` matches before a final newline, Rust's does not; jsonschema still decides."""
    from test_model_weights import FRONTIER, weights

    request = weights(model=dict(FRONTIER, training_operations="3e26\n"))
    compiled, by_jsonschema = schema_verdicts("transfer_model_weights.schema.json", request)
    assert (compiled, by_jsonschema) == (False, True)
    assert_same_problems(request)


# -- generated requests (the strategies of the parity and invariant suites), set wrong ------

def _generated():
    from test_deploy_compute import dates, installed, owners, placements
    from test_model_weights import training_requests, weight_requests
    from test_parity_fuzz import allocation_requests, requests as chips_requests

    plans = st.builds(lambda inst, owner, place, as_of: {"action": "deploy_compute", "as_of": as_of, "owner": owner,
                                                         "installed": [{"country": c, "tpp": t} for c, t in inst],
                                                         "placement": place},
                      installed, owners, placements, dates)
    return st.one_of(chips_requests, allocation_requests, weight_requests, training_requests, plans)


GENERATED = _generated()


@SETTINGS
@given(GENERATED)
def test_generated_requests_get_the_same_verdict_and_problems(request):
    assert_same_problems(request)


@SETTINGS
@given(GENERATED, st.data())
def test_generated_requests_set_wrong_get_the_slow_paths_problems(request, data):
    where = list(paths(request))
    path = data.draw(st.sampled_from(where))
    value = data.draw(st.one_of(st.sampled_from(WRONG + [DELETE] * 4), st.integers(), st.floats(allow_nan=False),
                                st.text(max_size=12), st.lists(st.integers(), max_size=3)))
    if value is DELETE and not isinstance(path[-1], str):
        value = None
    assert_same_problems(replaced(request, path, value))


# -- decisions ---------------------------------------------------------------------------

def assert_same_contract(decision, request) -> str | None:
    """contract.check with the compiled validator == without it: the same verdict and detail."""
    def outcome():
        try:
            contract.check(copy.deepcopy(decision), request, "regorus")
        except contract.MalformedDecision as exc:
            return exc.detail
        return None

    with counted() as calls:
        found = outcome()
    with slow():
        expected = outcome()
    assert found == expected
    compiled, by_jsonschema = schema_verdicts(DECISION_SCHEMA, decision)
    assert calls["decision"] == (0 if compiled else 1)
    assert by_jsonschema or not compiled, f"the compiled validator passes what jsonschema refuses: {decision!r}"[:2000]
    return found


def test_every_breach_of_the_fail_closed_suite_gets_the_same_problems(decisions):
    import test_fail_closed

    decision, request = decisions[0]
    for breach in _parametrized(test_fail_closed.test_contract_refuses_every_breach, 0):
        broken = copy.deepcopy(decision)
        breach(broken)
        assert assert_same_contract(broken, request)
    for text in test_fail_closed.MALFORMED.values():
        assert assert_same_contract(json.loads(text), request)


def test_decisions_jsonschema_rs_would_misread_are_left_to_jsonschema(decisions):
    decision, request = decisions[0]
    for broken in (dict(decision, reasons=tuple(decision["reasons"])),  # a tuple is no JSON array to jsonschema
                   dict(decision, as_of="0000-01-01"),  # jsonschema-rs's date format accepts year 0000
                   dict(decision, allowed=decimal.Decimal(1)), dict(decision, request_id=math.nan)):
        assert not fast_schema.is_valid(DECISION_SCHEMA, broken)
        assert_same_contract(broken, request)
    assert "$.as_of: '0000-01-01' is not a 'date'" in assert_same_contract(dict(decision, as_of="0000-01-01"), request)


@pytest.mark.parametrize("index", range(0, len(EXAMPLE_PATHS), 9))
def test_every_field_of_a_decision_set_wrong(decisions, index):
    decision, request = decisions[index]
    rng = random.Random(index)
    for changed in mutations(decision, rng, per_path=1):
        assert_same_contract(changed, request)


# -- cold start: jsonschema is imported only for a refused document ------------------------

def test_jsonschema_is_imported_only_to_word_problems():
    script = f"""
import json, pathlib, sys
from aidf import api, contract, engines, fast_schema, validation
engine = engines.create("regorus")
requests = [api.prepare(json.loads(p.read_text())) for p in sorted(pathlib.Path({str(EXAMPLES)!r}).glob("01-*.json"))]
for request in requests:
    contract.check(engine.evaluate(api.ENTRYPOINT, request), request, "regorus")
print(fast_schema._compiled.cache_info().currsize, "jsonschema" in sys.modules, "referencing" in sys.modules)
validation.problems({{"action": "export_chips"}})
print("jsonschema" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # one request schema and the decision schema compiled; jsonschema loaded only for the invalid one
    assert result.stdout.split() == ["2", "False", "False", "True"]


def test_an_operation_count_with_a_line_break_is_an_invalid_request_not_an_engine_error():
    import json as json_module

    import aidf
    from conftest import EXAMPLES

    request = json_module.loads((EXAMPLES / "57-weights-exactly-1e26.json").read_text())
    request["model"]["training_operations"] = request["model"]["training_operations"] + "\n"
    with pytest.raises(aidf.InvalidRequest) as caught:
        aidf.evaluate(request)
    assert any("training_operations" in p.path and "line breaks" in p.message for p in caught.value.problems)
