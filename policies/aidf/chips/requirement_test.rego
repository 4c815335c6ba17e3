package aidf.chips.requirement_test

import data.aidf.chips.requirement
import data.aidf.testdata.requests
import rego.v1

b_chip := {"description": "b chip", "quantity": 10, "tpp_per_unit": 3000, "performance_density": 4.0, "designed_for_data_centers": true}

test_a_level_needs_licence_everywhere if {
	requirement.needs_licence == {0} with input as requests.base
	requirement.needs_licence == {0} with input as data.aidf.testdata.requests.at("US", "US")
}

test_b_level_needs_licence_in_d1_d4_d5_only if {
	requirement.needs_licence == {0} with input as data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at("VN", "VN"), [b_chip])
	requirement.needs_licence == set() with input as data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at("BR", "BR"), [b_chip])
}

test_b_level_to_d4_country_also_in_a6_needs_none if {
	requirement.needs_licence == set() with input as data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at("IL", "IL"), [b_chip])
}

test_b_level_to_d5_headquartered_entity_anywhere if {
	req := data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at("SG", "CN"), [b_chip])
	requirement.needs_licence == {0} with input as req
	"LIC_B_D5_HEADQUARTERS" in data.aidf.testdata.requests.codes(requirement.reasons) with input as req
}

test_uncontrolled_items_need_nothing if {
	req := data.aidf.testdata.requests.with_items(requests.base, [data.aidf.testdata.requests.chip(100, 0.5, true)])
	requirement.needs_licence == set() with input as req
	"NLR_NOT_CONTROLLED" in data.aidf.testdata.requests.codes(requirement.reasons) with input as req
}
