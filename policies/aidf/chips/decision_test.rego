package aidf.chips.decision_test

import data.aidf.chips.decision.decision
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import rego.v1

test_aia_is_chosen_for_us_company_in_germany if {
	d := decision with input as base
	d.allowed
	d.outcome == "license_exception"
	d.authorization == "AIA"
	d.authorizations.available == ["AIA", "LPP"]
}

test_nothing_available_means_licence_required if {
	d := decision with input as object.union(base, {"ultimate_consignee": {"headquarters": "CN", "ultimate_parent_headquarters": "CN"}})
	not d.allowed
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	d.authorization == null
}

test_before_13_january_2025_nothing_is_evaluated if {
	d := decision with input as object.union(base, {"as_of": "2025-01-12"})
	d.outcome == "framework_not_in_effect"
	not d.allowed
	[r.code | some r in d.reasons] == ["STATUS_NOT_IN_EFFECT"]
}

test_lpp_counts_against_the_annual_limit if {
	d := decision with input as requests.at("SG", "SG")
	d.authorization == "LPP"
	d.tpp.counts_against.limit == "lpp_annual_limit"
	d.tpp.counts_against.headroom_after == 26900000 - 15832000
}

test_d5_guidance_note_after_31_may_2026 if {
	d := decision with input as object.union(base, {"as_of": "2026-06-01", "ultimate_consignee": {"ultimate_parent_headquarters": "CN"}})
	"STATUS_D5_HQ_ENFORCED" in {r.code | some r in d.reasons}
}

# 15 CFR 734.13-734.16: a sale inside the United States is no export event, even to a D:5-owned buyer.
test_domestic_sale_to_a_foreign_owned_us_data_center_is_not_subject if {
	req := object.union(base, {
		"transaction": "domestic_transfer", "destination": "US",
		"ultimate_consignee": {"located_in": "US", "headquarters": "CN", "ultimate_parent_headquarters": "CN"},
	})
	d := decision with input as req
	d.allowed
	d.outcome == "not_subject"
	d.authorization == null
	d.review_policy == null
	d.tpp.requiring_authorization == 0
	"JURISDICTION_DOMESTIC" in {r.code | some r in d.reasons}
}

test_in_country_transfer_inside_the_united_states_is_not_subject if {
	req := object.union(base, {"transaction": "in_country_transfer", "destination": "US", "ultimate_consignee": {"located_in": "US"}})
	d := decision with input as req
	d.outcome == "not_subject"
}
