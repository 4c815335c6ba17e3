"""Every shipped example evaluates to its recorded outcome on both engines."""
from __future__ import annotations

import json

import pytest

from aidf.contract import ALLOWING_OUTCOMES as ALLOWED_OUTCOMES
from conftest import EXAMPLES, decide

EXPECTED = json.loads((EXAMPLES / "expected" / "outcomes.json").read_text())


def test_every_example_has_an_expected_outcome():
    files = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 12


def _by_action(action):
    return {name: e for name, e in EXPECTED.items()
            if json.loads((EXAMPLES / name).read_text())["action"] == action}


def test_examples_cover_every_outcome_and_authorization():
    chips = _by_action("export_chips").values()
    assert {e["outcome"] for e in chips} == {"no_license_required", "license_exception", "veu_authorization",
                                             "license_required", "framework_not_in_effect", "not_subject"}
    assert {e.get("authorization") for e in chips} - {None} == {"AIA", "ACM", "LPP", "ACA", "NAC", "UVEU", "NVEU"}
    assert {e.get("review_policy") for e in chips} - {None} == {"presumption_of_approval", "presumption_of_denial",
                                                                "policy_of_denial"}
    plans = _by_action("deploy_compute")
    assert len(plans) >= 10
    assert {e["outcome"] for e in plans.values()} == {"authorized", "not_authorized"}
    assert {e.get("authorization") for e in plans.values()} - {None} == {"UVEU", "NVEU"}
    assert sum("exactly" in name for name in plans) >= 3
    weights = _by_action("transfer_model_weights").values()
    assert {e["outcome"] for e in weights} == {"not_controlled", "no_license_required", "license_exception",
                                               "license_required", "not_subject"}
    assert {e.get("review_policy") for e in weights} - {None} == {"presumption_of_approval", "presumption_of_denial"}
    assert {e["outcome"] for e in _by_action("train_model").values()} == {"not_restricted", "authorization_required",
                                                                         "review_required"}
    assert len(weights) + len(_by_action("train_model")) >= 12
    assert {e["outcome"] for e in _by_action("country_allocation").values()} == {
        "within_allocation", "beyond_allocation", "no_allocation", "presumption_of_denial"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name):
    decision = decide(json.loads((EXAMPLES / name).read_text()))
    for key, value in EXPECTED[name].items():
        assert decision.document[key] == value, (key, decision.document["summary"])
    assert decision.allowed == (decision.outcome in ALLOWED_OUTCOMES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_before_the_framework_a_decision_carries_nothing(name):
    """Before 13 January 2025: only framework_not_in_effect (or not_subject): no review policy, no
    red flag, no authorization, no obligations, no notice."""
    request = dict(json.loads((EXAMPLES / name).read_text()), as_of="2025-01-12")
    if request.get("view") == "enforced":
        pytest.skip("the enforced baseline has applied since 17 November 2023")
    document = decide(request).document
    assert document["outcome"] in ("framework_not_in_effect", "not_subject")
    assert not document["allowed"] or document["outcome"] == "not_subject"
    for field in ("review_policy", "authorization", "notice"):
        assert document.get(field) is None, field
    assert document.get("red_flag_28") in (None, False)
    assert document.get("obligations") in (None, [])
