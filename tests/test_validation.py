"""Bad input never reaches an engine: every problem is named by JSON path."""
from __future__ import annotations

import json

import pytest

from aidf import limits, validation
from conftest import DELETE, chips_request


def problems_of(request) -> dict[str, str]:
    return {p.path: p.message for p in validation.problems(request)}


def test_valid_request_has_no_problems():
    assert validation.problems(chips_request()) == []


@pytest.mark.parametrize("overrides, path, words", [
    ({"destination": "XX"}, "$.destination", "not a known ISO 3166-1 alpha-2 country code"),
    ({"destination": "de"}, "$.destination", "not a known"),
    ({"ultimate_consignee.headquarters": "ZZ"}, "$.ultimate_consignee.headquarters", "not a known"),
    ({"ultimate_consignee.veu": {"nveu_countries": ["QQ"]}}, "$.ultimate_consignee.veu.nveu_countries[0]", "not a known"),
    ({"items": [{"quantity": -5, "tpp_per_unit": 100, "performance_density": 1, "designed_for_data_centers": True}]},
     "$.items[0].quantity", "less than the minimum"),
    ({"items": [{"quantity": 1, "tpp_per_unit": 10**12, "performance_density": 1, "designed_for_data_centers": True}]},
     "$.items[0].tpp_per_unit", "greater than the maximum"),
    ({"items": [{"quantity": "ten", "tpp_per_unit": 100, "performance_density": 1, "designed_for_data_centers": True}]},
     "$.items[0].quantity", "is not of type 'integer'"),
    ({"items": [{"quantity": 1, "tpp_per_unit": 100}]}, "$.items[0]", "'performance_density' is a required property"),
    ({"items": [{"eccn": "3A090.a", "quantity": 1}]}, "$.items[0]", "'tpp_per_unit' is a required property"),
    ({"items": [{"eccn": "9Z999", "quantity": 1, "tpp_per_unit": 1}]}, "$.items[0].eccn", "not a known ECCN"),
    ({"items": []}, "$.items", "should be non-empty"),
    ({"transaction": "gift"}, "$.transaction", "is not one of"),
    ({"as_of": "2025-02-30"}, "$.as_of", "is not a"),
    ({"ultimate_consignee.ultimate_parent_headquarters": DELETE}, "$.ultimate_consignee", "'ultimate_parent_headquarters' is a required property"),
    ({"end_use": DELETE}, "$", "'end_use' is a required property"),
    ({"surprise": 1}, "$", "unknown field(s)"),
    ({"history": {"country_licensed_tpp": -1}}, "$.history.country_licensed_tpp", "less than the minimum"),
])
def test_each_problem_is_named_by_path(overrides, path, words):
    found = problems_of(chips_request(**overrides))
    assert path in found, found
    assert words in found[path], found[path]


def test_all_problems_are_reported_at_once():
    found = problems_of(chips_request(destination="XX", transaction="gift", **{"ultimate_consignee.headquarters": "ZZ"}))
    assert {"$.destination", "$.transaction", "$.ultimate_consignee.headquarters"} <= set(found)


def test_unknown_action():
    assert problems_of({"action": "export_weights"}) == {"$.action": "'export_weights' is not a supported action (supported: country_allocation, deploy_compute, export_chips, train_model, transfer_model_weights)"}


def test_not_an_object():
    assert problems_of([1, 2]) == {"$": "a request must be a JSON object, not list"}


@pytest.mark.parametrize("text, words", [
    ("", "is empty"),
    ("   \n", "is empty"),
    ("{", "malformed JSON"),
    ('{"quantity": NaN}', "NaN is not a number JSON allows"),
    ('{"quantity": Infinity}', "Infinity is not a number JSON allows"),
    ('{"a": 1, "a": 2}', "'a' appears twice"),
])
def test_parse_rejects(text, words):
    with pytest.raises(validation.InvalidRequest) as caught:
        validation.parse(text)
    assert words in str(caught.value)


def test_oversized_input_is_rejected_before_parsing():
    huge = json.dumps(chips_request(request_id="x" * (limits.MAX_REQUEST_BYTES + 10)))
    with pytest.raises(validation.InvalidRequest) as caught:
        validation.parse(huge.encode())
    assert "the limit is" in str(caught.value)


def test_hong_kong_is_accepted_and_treated_as_china():
    assert validation.problems(chips_request(destination="HK", **{"ultimate_consignee.located_in": "HK"})) == []
