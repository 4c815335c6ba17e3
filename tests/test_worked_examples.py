"""Worked examples of the rule (90 FR 4544) 1-5 and 18-21, and mixed shipments, as decisions on both engines."""
from __future__ import annotations

import pytest

from conftest import H100, at, chips_request, considered, decide, obligation_codes, why_not_codes


def test_1_us_company_ships_to_own_data_center_in_germany():
    d = decide(chips_request())
    assert (d.outcome, d.authorization) == ("license_exception", "AIA")
    # H100s are 3A090.a: since 31 January 2025 AIA needs an approved IC designer, not stated here.
    assert obligation_codes(d)[:4] == ["OBL_IC_DESIGNER_CONFIRM", "OBL_AIA_ECCN_NOTICE", "OBL_AIA_CERTIFICATION",
                                       "OBL_AIA_SHIPMENT_NOTICE"]
    assert d.document["tpp"]["counts_against"] is None


def test_2_german_subsidiary_of_chinese_parent():
    d = decide(at("DE", hq="DE", parent="CN", **{"items": [dict(H100, quantity=200)]}))
    assert d.outcome == "license_required"
    assert d.review_policy == "presumption_of_denial"
    assert "AIA_PARENT_HEADQUARTERS" in why_not_codes(d, "AIA")
    assert "LPP_D5_LINK" in why_not_codes(d, "LPP")
    assert "ACM_D5_LINK" in why_not_codes(d, "ACM")
    # ACA is not among 740.2(a)(9)(ii)'s survivors for D:5-headquartered entities; NAC is, but not for data-center chips.
    assert "ACA_NAC_DATA_CENTER_ITEMS" in why_not_codes(d, "NAC")
    assert "REV_D5_DENIAL" in d.reason_codes


def test_3_singapore_first_lpp_order():
    d = decide(at("SG", **{"items": [dict(H100, quantity=1000)]}))
    assert (d.outcome, d.authorization) == ("license_exception", "LPP")
    assert set(obligation_codes(d)) >= {"OBL_LPP_CERTIFICATION", "OBL_LPP_CERTIFICATION_COPY", "OBL_LPP_PRE_SHIPMENT_NOTICE"}
    limit = d.document["tpp"]["counts_against"]
    assert limit["limit"] == "lpp_annual_limit" and limit["after"] == 15_832_000


def test_4_same_consignee_orders_800_more():
    d = decide(at("SG", **{"items": [dict(H100, quantity=800)], "history.lpp_tpp_received_this_year": 15_832_000}))
    assert d.outcome == "license_required"
    assert d.review_policy == "presumption_of_approval"
    assert why_not_codes(d, "LPP") == {"LPP_ANNUAL_LIMIT"}
    message = considered(d, "LPP")["why_not"][0]["message"]
    assert "28,497,600" in message and "11,068,000" in message  # the total, and what LPP could still cover
    allocation = d.document["tpp"]["counts_against"]
    assert allocation["limit"] == "country_allocation" and allocation["country"] == "SG"


def test_5_malaysia_after_allocation_is_used_up():
    d = decide(at("MY", **{"direct_to_ultimate_consignee": False, "history.country_licensed_tpp": 790_000_000}))
    assert (d.outcome, d.review_policy) == ("license_required", "policy_of_denial")
    assert "REV_ALLOCATION_EXCEEDED" in d.reason_codes
    assert d.document["tpp"]["counts_against"]["headroom_before"] == 0


GAMING = {"description": "gaming GPU", "quantity": 100, "tpp_per_unit": 5300, "performance_density": 8.1,
          "designed_for_data_centers": False}


def test_18_gaming_gpu_to_brazil_and_to_china():
    brazil = decide(at("BR", **{"items": [GAMING], "end_use": "other"}))
    assert (brazil.outcome, brazil.authorization) == ("license_exception", "ACA")
    assert "OBL_NAC_NOTIFICATION" not in obligation_codes(brazil)
    china = decide(at("CN", **{"items": [GAMING], "end_use": "other"}))
    assert (china.outcome, china.authorization) == ("license_exception", "NAC")
    notice = next(o for o in china.obligations if o["code"] == "OBL_NAC_NOTIFICATION")
    assert "25 calendar days" in notice["message"]


def test_19_malaysian_contract_manufacturer_uses_acm():
    d = decide(at("MY", **{"end_use": "production", "direct_to_ultimate_consignee": False}))
    assert (d.outcome, d.authorization) == ("license_exception", "ACM")
    assert "OBL_ACM_ACCOUNTING" in obligation_codes(d)
    assert d.document["tpp"]["counts_against"] is None


def test_20_saudi_company_cannot_use_lpp():
    d = decide(at("SA", **{"items": [dict(H100, quantity=500)]}))
    assert d.outcome == "license_required"
    assert why_not_codes(d, "LPP") == {"EXC_740_2_BARRED"}
    assert d.review_policy == "presumption_of_approval"
    assert d.document["tpp"]["counts_against"]["this_request"] == 7_916_000


def test_21_tpp_classification():
    def paragraph(tpp, density):
        d = decide(chips_request(items=[{"quantity": 1, "tpp_per_unit": tpp, "performance_density": density,
                                         "designed_for_data_centers": True}]))
        return d.document["items"][0]["paragraph"]

    assert paragraph(300 * 16, 1.0) == "3A090.a.1"      # 300 dense TFLOPS at FP16
    assert paragraph(15_832, 19.4) == "3A090.a.1"       # H100 SXM, 1,978.9 dense FP8 TFLOPS x 8, rounded up



# --- mixed shipments: decided line by line --------------------------------------------------
B_CHIP = {"description": "L4-class chip", "quantity": 100, "tpp_per_unit": 4000, "performance_density": 5.0,
          "designed_for_data_centers": True}


def test_mixed_shipment_b_lines_under_aca_a_lines_licensed():
    d = decide(at("VN", items=[dict(H100, quantity=100), B_CHIP]))
    assert (d.outcome, d.authorization, d.review_policy) == ("license_required", None, "presumption_of_approval")
    assert [(line["label"], line["authorization"]) for line in d.document["lines"]] == [
        ("H100 SXM", None), ("L4-class chip", "ACA")]
    # Only the licensed H100 line counts against Vietnam's allocation.
    assert d.document["tpp"]["counts_against"]["this_request"] == 100 * 15832
    assert "LINES_SPLIT" in d.reason_codes
    assert "OBL_ACA_RECORDS" in obligation_codes(d)


def test_single_authorization_shipments_name_it_on_every_line():
    d = decide(chips_request())
    assert [line["authorization"] for line in d.document["lines"]] == ["AIA"]


def test_text_a_lawyer_relies_on():
    lpp = decide(at("SG", items=[dict(H100, quantity=100)]))
    assert lpp.authorization == "LPP"
    chosen = next(r for r in lpp.reasons if r["code"] == "AUTH_CHOSEN")
    assert chosen["citation"] == "15 CFR 740.29(a)-(d)"
    certification = next(o for o in lpp.obligations if o["code"] == "OBL_LPP_CERTIFICATION")
    assert "before the shipment" in certification["due"] and "condition of using LPP" in certification["message"]
    hong_kong = decide(at("HK"))
    assert hong_kong.document["parties"]["destination"]["name"] == "Hong Kong, treated as China"
    assert "Hong Kong (HK), treated as China" in " ".join(r["message"] for r in hong_kong.reasons)


def test_after_2027_allocations_carry_a_caveat_and_never_say_for_2025_2027():
    within = decide(at("VN", as_of="2027-06-01"))
    assert "allocation for 2025-2027" in " ".join(r["message"] for r in within.reasons)
    later = decide(at("VN", as_of="2028-03-01"))
    text = " ".join(r["message"] for r in later.reasons)
    assert "no figure is set for 2028" in text and "allocation for 2025-2027" not in text


@pytest.mark.parametrize("answer, authorization, confirm", [(None, "AIA", True), (True, "AIA", False), (False, "LPP", False)])
def test_approved_ic_designer_condition_of_the_companion_rule(answer, authorization, confirm):
    """90 FR 5298: from 31 January 2025 AIA and ACM reach 3A090.a only from an approved or
    authorized IC designer. Unstated: confirm before shipping; false: not available."""
    item = dict(H100, quantity=1000)
    if answer is not None:
        item["designed_by_approved_ic_designer"] = answer
    d = decide(chips_request(items=[item]))
    assert d.authorization == authorization
    assert ("OBL_IC_DESIGNER_CONFIRM" in obligation_codes(d)) == confirm
    assert ("IC_DESIGNER_NOT_APPROVED" in why_not_codes(d, "AIA")) == (answer is False)


def test_before_the_companion_rule_took_effect_there_is_no_ic_designer_condition():
    d = decide(chips_request(as_of="2025-01-20", items=[dict(H100, quantity=1000, designed_by_approved_ic_designer=False)]))
    assert d.authorization == "AIA" and "OBL_IC_DESIGNER_CONFIRM" not in obligation_codes(d)


def test_supp5a_headquartered_consignee_in_a_tier2_destination_is_flagged():
    d = decide(at("VN", hq="US"))
    assert d.review_policy == "presumption_of_approval" and d.document["tpp"]["counts_against"]["limit"] == "country_allocation"
    assert "REV_SUPP5A_HQ_IN_TIER2" in d.reason_codes


def test_lines_of_different_kinds_each_take_their_own_authorization():
    """A data-center .z line under LPP beside a non-data-center line under ACA (found by the
    invariant fuzz: the decision was once undefined on both engines)."""
    d = decide(at("SG", items=[{"eccn": "3A001.z.1.a", "quantity": 1, "tpp_per_unit": 0},
                               {"eccn": "5A002.z.1.a", "quantity": 1, "tpp_per_unit": 0, "designed_for_data_centers": False}]))
    assert (d.outcome, d.authorization) == ("license_exception", "ACA")
    assert [line["authorization"] for line in d.document["lines"]] == ["LPP", "ACA"]
    assert "the other lines rely on LPP" in next(r["message"] for r in d.reasons if r["code"] == "AUTH_CHOSEN")
