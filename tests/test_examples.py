"""Every shipped example evaluates to its recorded outcome on both engines."""
from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, decide

EXPECTED = json.loads((EXAMPLES / "expected" / "outcomes.json").read_text())


def test_every_example_has_an_expected_outcome():
    files = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 12


def test_examples_cover_every_outcome_and_authorization():
    outcomes = {e["outcome"] for e in EXPECTED.values()}
    assert outcomes == {"no_license_required", "license_exception", "veu_authorization", "license_required",
                        "framework_not_in_effect"}
    authorizations = {e.get("authorization") for e in EXPECTED.values()} - {None}
    assert authorizations == {"AIA", "ACM", "LPP", "ACA", "NAC", "UVEU", "NVEU"}
    policies = {e.get("review_policy") for e in EXPECTED.values()} - {None}
    assert policies == {"presumption_of_approval", "presumption_of_denial", "policy_of_denial"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name):
    decision = decide(json.loads((EXAMPLES / name).read_text()))
    for key, value in EXPECTED[name].items():
        assert decision.document[key] == value, (key, decision.document["summary"])
    assert decision.allowed == (decision.outcome in {"no_license_required", "license_exception", "veu_authorization"})
