"""The limits of aidf.limits and what validation does at each of them."""
from __future__ import annotations

import json

import pytest

import aidf
from aidf import api, limits, validation
from conftest import EXAMPLES, chips_request, decide

PLAN = json.loads((EXAMPLES / "20-plan-uveu-new-country-malaysia.json").read_text())


def problems(request) -> list[validation.Problem]:
    return validation.problems(request)


def test_problems_sort_by_path_numerically():
    items = [dict(chips_request()["items"][0], quantity=-1) for _ in range(12)]
    paths = [p.path for p in problems(chips_request(items=items))]
    assert paths == [f"$.items[{i}].quantity" for i in range(12)]


def test_messages_never_echo_a_whole_value():
    giant = "D" * 5000
    for problem in problems(chips_request(destination=giant)):
        assert len(problem.message) < 400, problem.message
        assert "5,002 characters" in problem.message


def test_oversized_array_is_reported_before_any_element_is_checked():
    bad_items = [{"quantity": "not a number"}] * (1000 + 1)
    assert problems(chips_request(items=bad_items)) == [
        validation.Problem("$.items", "has 1,001 items; the limit is 1,000")]


def test_structure_limits_are_the_ones_in_aidf_limits():
    deep = current = []
    for _ in range(limits.MAX_DEPTH + 2):
        current.append([])
        current = current[0]
    assert "nested more than 32 levels deep" in str(problems(chips_request(history=deep)))
    assert "the limit is 10,000" in str(problems(chips_request(request_id="x" * (limits.MAX_STRING_CHARS + 1))))


def test_python_values_that_are_not_json_are_invalid_requests():
    for value in ({1, 2}, b"bytes", object(), float("nan")):
        with pytest.raises(aidf.InvalidRequest):
            aidf.evaluate(chips_request(request_id=value))
    with pytest.raises(aidf.InvalidRequest):
        aidf.evaluate(["not", "an", "object"])
    with pytest.raises(aidf.InvalidRequest):
        aidf.evaluate(chips_request(), as_of=12345)


@pytest.mark.parametrize("as_of, ok", [("1999-12-31", False), ("2000-01-01", True), ("2199-12-31", True),
                                       ("2200-01-01", False)])
def test_date_range(as_of, ok):
    assert (problems(chips_request(as_of=as_of)) == []) == ok


def test_integral_floats_decide_exactly_as_integers():
    """`1000.0` and `1000` are one JSON number; both engines must see, and echo, the same thing."""
    as_float = chips_request()
    as_float["items"][0]["quantity"] = 1000.0
    as_float["items"][0]["tpp_per_unit"] = 15832.0
    assert decide(as_float).document == decide(chips_request()).document
    plan = dict(PLAN, placement=dict(PLAN["placement"], chips=3000.0))
    assert decide(plan).document == decide(PLAN).document


def test_total_tpp_is_capped_with_a_clear_message():
    at_cap = dict(PLAN, installed=[{"country": "US", "tpp": limits.MAX_TOTAL_TPP - 3000 * 15832}])
    assert problems(at_cap) == []
    over = dict(PLAN, installed=[{"country": "US", "tpp": limits.MAX_TOTAL_TPP - 3000 * 15832 + 1}])
    (problem,) = problems(over)
    assert problem.path == "$" and "add up to 10,000,000,000,001" in problem.message


def test_arithmetic_is_exact_at_the_total_cap_on_both_engines():
    """A 10,000-entry plan once made min_placement_tpp differ between engines (ceil(3 x 10^17 / 7)).
    Totals are now capped, and floor_div is exact beyond 2^53 (arith_test.rego). At the cap:
    Malaysia holds 10% of a 10^13 TPP group, over the 7% UVEU limit; the smallest US placement
    that restores it is ceil((100 x MY - 7 x total) / 7)."""
    malaysia, total = 1_000_000_000_001, limits.MAX_TOTAL_TPP
    plan = dict(PLAN, installed=[{"country": "US", "tpp": total - malaysia}, {"country": "MY", "tpp": malaysia}],
                placement={"country": "US", "tpp": 0})
    document = decide(plan).document  # regorus == OPA, exactly
    assert document["headroom"]["min_placement_tpp"] == -(-(100 * malaysia - 7 * total) // 7) == 4_285_714_285_729


def test_api_raises_only_its_two_exceptions_on_nonsense():
    for nonsense in (None, 5, "x", [], {"action": None}, {"action": "export_chips", "items": 5},
                     {"action": "export_chips", "items": [5]}, {"action": "export_chips", "history": {"x": []}}):
        with pytest.raises(aidf.InvalidRequest):
            aidf.evaluate(nonsense)


def test_prepared_requests_are_normalized_copies():
    request = chips_request()
    request["items"][0]["quantity"] = 1000.0
    prepared = api.prepare(request)
    assert type(prepared["items"][0]["quantity"]) is int
    assert type(request["items"][0]["quantity"]) is float


def test_integral_floats_count_towards_the_tpp_cap():
    over = dict(PLAN, installed=[{"country": "US", "tpp": 1e13}] * 10)
    assert "add up to" in str(problems(over))


def test_long_values_are_cut_but_the_allowed_values_are_kept():
    (problem,) = problems(chips_request(transaction="t" * 5000))
    assert "5,002 characters" in problem.message
    assert "'export'" in problem.message and "'reexport'" in problem.message
    assert len(problem.message) < 600
