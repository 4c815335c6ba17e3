"""Exactly at each threshold, and one unit past it, on both engines."""
from __future__ import annotations

import pytest

from conftest import at, chips_request, decide, obligation_codes


def chip(tpp, density, data_center=True, quantity=1):
    return {"quantity": quantity, "tpp_per_unit": tpp, "performance_density": density,
            "designed_for_data_centers": data_center}


@pytest.mark.parametrize("tpp, data_center, paragraph", [
    (4800, True, "3A090.a.1"), (4799, True, "none"),
    (4800, False, "3A090.a.1"), (4799, False, "note1"),
])
def test_4800_tpp(tpp, data_center, paragraph):
    d = decide(chips_request(items=[chip(tpp, 1.0, data_center)]))
    assert d.document["items"][0]["paragraph"] == paragraph


@pytest.mark.parametrize("density, paragraph", [(5.92, "3A090.a.2"), (5.91, "3A090.b.2")])
def test_5_92_performance_density(density, paragraph):
    d = decide(chips_request(items=[chip(1600, density)]))
    assert d.document["items"][0]["paragraph"] == paragraph


@pytest.mark.parametrize("tpp, allowed_by_lpp", [(26_900_000, True), (26_900_001, False)])
def test_26_9_million_lpp_limit(tpp, allowed_by_lpp):
    d = decide(at("SG", items=[chip(tpp, 50.0)]))
    assert (d.authorization == "LPP") is allowed_by_lpp
    assert ("OBL_LPP_LIMIT_REACHED" in obligation_codes(d)) is allowed_by_lpp


@pytest.mark.parametrize("tpp, notice", [(3_200_000, True), (3_199_999, False)])
def test_3_2_million_lpp_pre_shipment_notice(tpp, notice):
    d = decide(at("SG", items=[chip(tpp, 50.0)]))
    assert d.authorization == "LPP"
    assert ("OBL_LPP_PRE_SHIPMENT_NOTICE" in obligation_codes(d)) is notice


@pytest.mark.parametrize("before, policy", [(790_000_000 - 15_832, "presumption_of_approval"),
                                            (790_000_000 - 15_832 + 1, "policy_of_denial")])
def test_790_million_country_allocation(before, policy):
    d = decide(at("MY", items=[chip(15_832, 19.4)], direct_to_ultimate_consignee=False,
                  **{"history.country_licensed_tpp": before}))
    assert (d.outcome, d.review_policy) == ("license_required", policy)
    assert d.document["tpp"]["counts_against"]["within_limit"] is (policy == "presumption_of_approval")


@pytest.mark.parametrize("before, copy", [(253_000_000 - 15_832_000, True), (253_000_000 - 15_832_000 - 1, False)])
def test_253_million_aia_certification_copy(before, copy):
    d = decide(chips_request(**{"history.aia_cumulative_tpp": before}))
    assert d.authorization == "AIA"
    assert ("OBL_AIA_BIS_COPY" in obligation_codes(d)) is copy


@pytest.mark.parametrize("as_of, status", [("2025-01-12", "not_yet_effective"), ("2025-01-13", "effective_compliance_pending"),
                                           ("2025-05-14", "effective_compliance_pending"), ("2025-05-15", "compliance_required")])
def test_dates(as_of, status):
    d = decide(chips_request(), as_of=as_of)
    assert d.document["rule_status"]["code"] == status
    assert (d.outcome == "framework_not_in_effect") is (status == "not_yet_effective")


@pytest.mark.parametrize("as_of, tier, policy", [("2026-02-02", 3, "presumption_of_denial"),
                                                  ("2026-02-03", 2, "presumption_of_approval")])
def test_cambodia_leaves_d5_on_3_february_2026(as_of, tier, policy):
    d = decide(at("KH", direct_to_ultimate_consignee=False), as_of=as_of)
    assert d.document["parties"]["destination"]["tier"] == tier
    assert d.review_policy == policy
