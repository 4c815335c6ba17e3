"""The enforced view: what BIS still enforces on the as-of date (the pre-framework regime of
88 FR 73458 and the Macau/D:5-headquarters requirement), on both engines, and side by side."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, H100, ROOT, at, chips_request, decide


def enforced(request: dict) -> dict:
    return decide(dict(request, view="enforced")).document


@pytest.mark.parametrize("as_of", ["2025-06-01", "2026-07-01"])
def test_the_tier2_allocation_is_not_enforced_but_the_d5_parent_requirement_is(as_of):
    malaysia = at("MY", as_of=as_of)
    assert decide(malaysia).document["outcome"] in ("license_exception", "license_required")  # as written
    assert enforced(malaysia)["outcome"] == "no_license_required"
    d5_parent = at("DE", parent="CN", as_of=as_of)
    document = enforced(d5_parent)
    assert (document["outcome"], document["review_policy"]) == ("license_required", "presumption_of_denial")
    assert all(r["enforced"] for r in document["reasons"])


def test_the_d5_headquarters_requirement_is_never_called_not_enforced_in_the_written_view():
    for as_of in ("2025-06-01", "2026-03-01", "2026-07-01"):
        document = decide(at("DE", parent="CN", as_of=as_of)).document
        codes = [r["code"] for r in document["reasons"]]
        assert "STATUS_NON_ENFORCEMENT" not in codes and "STATUS_D5_HQ_ENFORCED" in codes


def test_every_decision_names_its_view():
    assert decide(chips_request()).document["view"] == "as_written"
    assert enforced(chips_request())["view"] == "enforced"


def test_model_weights_are_not_enforced_and_say_so():
    weights = json.loads((EXAMPLES / "52-weights-to-uae-headquartered-company.json").read_text())
    document = enforced(weights)
    assert document["outcome"] == "not_enforced" and document["allowed"]
    assert document["reasons"][0]["enforced"] and not any(r["enforced"] for r in document["reasons"][1:])


def test_cli_view_both_shows_the_two_and_exits_as_written():
    path = str(EXAMPLES / "05-malaysia-allocation-exhausted.json")
    both = subprocess.run([sys.executable, "-m", "aidf.cli", "check", path, "--view", "both"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert both.returncode == 1
    assert both.stdout.splitlines()[0].split() == ["AS", "WRITTEN", "ENFORCED"]
    assert "\nENFORCED\n" in both.stdout
    only = subprocess.run([sys.executable, "-m", "aidf.cli", "check", path, "--view", "enforced"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert only.returncode == 0


def test_as_written_reasons_say_whether_each_is_enforced():
    d5_parent = decide(at("DE", parent="CN", as_of="2026-03-01")).document
    assert {r["code"]: r["enforced"] for r in d5_parent["reasons"]}["LIC_WORLDWIDE_A"] is True
    assert {o["code"]: o["enforced"] for o in d5_parent["obligations"]}["OBL_LIC_APPLICATION"] is True
    malaysia = decide(at("MY", as_of="2026-03-01", items=[dict(H100, quantity=2000)],
                         **{"history.country_licensed_tpp": 790_000_000})).document  # beyond LPP and the allocation
    flags = {r["code"]: r["enforced"] for r in malaysia["reasons"]}
    assert flags["LIC_WORLDWIDE_A"] is False and flags["REV_ALLOCATION_EXCEEDED"] is False
    assert all("enforced" in r for r in malaysia["reasons"]) and all("enforced" in o for o in malaysia["obligations"])


@pytest.mark.parametrize("example", ["07-nac-gaming-gpu-china.json", "12-b-level-chip-to-vietnam.json",
                                     "01-aia-us-to-germany.json"])
def test_before_the_baseline_took_effect_nothing_is_decided_not_even_an_exception(example):
    """Regression: before 17 Nov 2023 (88 FR 73458) a shipment a licence exception would have
    covered made two `detail` rules conflict (an engine error) instead of framework_not_in_effect."""
    request = json.loads((EXAMPLES / example).read_text())
    document = enforced(dict(request, as_of="2023-11-16"))
    assert (document["outcome"], document["authorization"], document["allowed"]) == (
        "framework_not_in_effect", None, False)


def test_a_sale_inside_the_united_states_is_not_subject_in_the_enforced_view_too():
    """Regression: 15 CFR 734.13-734.16 are no part of the framework; BIS applies the Macau/D:5
    headquarters requirement to destinations outside the United States only."""
    sale = json.loads((EXAMPLES / "19-domestic-sale-to-foreign-owned-us-data-center.json").read_text())
    document = enforced(sale)
    assert (document["outcome"], document["allowed"], document["view"]) == ("not_subject", True, "enforced")
    assert "JURISDICTION_DOMESTIC" in [r["code"] for r in document["reasons"]]
    assert all(r["enforced"] for r in document["reasons"])


def test_a_placement_inside_the_united_states_by_a_d5_parented_owner_needs_no_licence_when_enforced():
    plan = json.loads((EXAMPLES / "20-plan-uveu-new-country-malaysia.json").read_text())
    plan["owner"]["ultimate_parent_headquarters"] = "CN"
    abroad = enforced(plan)
    assert (abroad["outcome"], abroad["review_policy"]) == ("license_required", "presumption_of_denial")
    plan["placement"]["country"] = "US"
    assert enforced(plan)["outcome"] == "not_enforced"
