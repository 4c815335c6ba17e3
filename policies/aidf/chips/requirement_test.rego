package aidf.chips.requirement_test

import data.aidf.chips.requirement.needs_licence
import data.aidf.chips.requirement.reasons
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import rego.v1

b_chip := {
	"description": "b chip",
	"quantity": 10,
	"tpp_per_unit": 3000,
	"performance_density": 4.0,
	"designed_for_data_centers": true,
}

test_a_level_needs_licence_everywhere if {
	needs_licence == {0} with input as base
	needs_licence == {0} with input as requests.at("US", "US")
}

test_b_level_needs_licence_in_d1_d4_d5_only if {
	needs_licence == {0} with input as requests.with_items(requests.at("VN", "VN"), [b_chip])
	needs_licence == set() with input as requests.with_items(requests.at("BR", "BR"), [b_chip])
}

test_b_level_to_d4_country_also_in_a6_needs_none if {
	needs_licence == set() with input as requests.with_items(requests.at("IL", "IL"), [b_chip])
}

test_b_level_to_d5_headquartered_entity_anywhere if {
	req := requests.with_items(requests.at("SG", "CN"), [b_chip])
	needs_licence == {0} with input as req
	"LIC_B_D5_HEADQUARTERS" in requests.codes(reasons) with input as req
}

test_uncontrolled_items_need_nothing if {
	req := requests.with_items(base, [requests.chip(100, 0.5, true)])
	needs_licence == set() with input as req
	"NLR_NOT_CONTROLLED" in requests.codes(reasons) with input as req
}
