"""Where the EAR's export events happen (15 CFR 734.13-734.16, 772.1): sales inside the United
States are not subject to the framework, and a request that calls one an export is invalid."""
from __future__ import annotations

import pytest

from aidf import validation
from conftest import at, chips_request, decide

@pytest.mark.parametrize("transaction", ["domestic_transfer", "in_country_transfer"])
def test_chips_sold_inside_the_us_are_not_subject_even_to_a_d5_owned_buyer(transaction):
    d = decide(at("US", hq="SG", parent="CN", transaction=transaction))
    assert d.allowed and d.outcome == "not_subject"
    assert d.document["tpp"]["requiring_authorization"] == 0
    assert "JURISDICTION_DOMESTIC" in d.reason_codes


@pytest.mark.parametrize("overrides", [{"destination": "US", "ultimate_consignee.located_in": "US"},
                                       {"ultimate_consignee.located_in": "PR"}])
def test_an_export_to_a_consignee_in_the_us_is_invalid(overrides):
    problems = validation.problems(chips_request(**overrides))
    assert problems and all(p.path == "$.transaction" for p in problems)
    assert "a hand-over inside the United States is 'domestic_transfer'" in problems[0].message


def test_a_domestic_transfer_abroad_is_invalid():
    (problem, *_) = validation.problems(chips_request(transaction="domestic_transfer"))
    assert "a domestic_transfer happens inside the United States, but destination is DE" in problem.message


def test_an_in_country_transfer_straddling_the_border_is_invalid():
    """A transfer inside China to a consignee said to be in the US once came back not_subject."""
    problems = validation.problems(at("CN", transaction="in_country_transfer", **{"ultimate_consignee.located_in": "US"}))
    assert [p.path for p in problems] == ["$.transaction"]


def test_weights_stored_abroad_are_no_domestic_transfer():
    from test_model_weights import weights

    request = weights(recipient=("US", "US", "US"), transaction="domestic_transfer", storage={"facility_country": "CN"})
    assert [p.path for p in validation.problems(request)] == ["$.storage.facility_country"]


def test_a_deemed_export_is_a_release_inside_the_us():
    from test_model_weights import weights

    request = weights(recipient=("CN", "US", "US"), transaction="deemed_export", nationality="GB")
    assert [p.path for p in validation.problems(request)] == ["$.recipient.located_in"]


@pytest.mark.parametrize("nationality", ["US", "PR"])
def test_a_release_to_a_us_national_is_no_deemed_export(nationality):
    from test_model_weights import weights

    d = decide(weights(recipient=("US", "IN", "IN"), transaction="deemed_export", nationality=nationality))
    assert d.outcome == "not_subject" and d.allowed
