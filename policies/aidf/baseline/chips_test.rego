package aidf.baseline.chips_test

import data.aidf.testdata.requests.base
import rego.v1

enforced(req) := d if {
	r := object.union(req, {"view": "enforced"})
	d := data.aidf.baseline.chips.decision with input as r
}

test_tier2_worldwide_requirement_is_not_enforced if {
	d := enforced(base)
	d.outcome == "no_license_required"
	d.allowed
	"BASE_FRAMEWORK_NOT_ENFORCED" in {r.code | some r in d.reasons}
}

test_d5_parent_anywhere_outside_the_us_needs_a_licence if {
	d := enforced(object.union(base, {"ultimate_consignee": {"ultimate_parent_headquarters": "CN"}}))
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	"BASE_LIC_D5_HQ" in {r.code | some r in d.reasons}
}

test_d1_destination_needs_a_licence_for_data_center_a_items if {
	d := enforced(object.union(base, {
		"destination": "VN",
		"ultimate_consignee": {"located_in": "VN", "headquarters": "VN", "ultimate_parent_headquarters": "VN"},
	}))
	d.outcome == "license_required"
	d.review_policy == "presumption_of_approval"
}

test_before_4_april_2024_aca_cases_are_nac_without_notification if {
	b := {
		"description": "b chip",
		"quantity": 10,
		"tpp_per_unit": 4000,
		"performance_density": 5.0,
		"designed_for_data_centers": true,
	}
	req := object.union(base, {
		"as_of": "2024-03-01",
		"destination": "VN",
		"ultimate_consignee": {"located_in": "VN", "headquarters": "VN", "ultimate_parent_headquarters": "VN"},
		"items": [b],
	})
	d := enforced(req)
	d.authorization == "NAC"
	[o.code | some o in d.obligations] == ["OBL_ACA_RECORDS"]
	d2 := enforced(object.union(req, {"as_of": "2024-06-01"}))
	d2.authorization == "ACA"
}

test_before_the_baseline_nothing_is_evaluated if {
	d := enforced(object.union(base, {"as_of": "2023-11-16"}))
	d.outcome == "framework_not_in_effect"
}
