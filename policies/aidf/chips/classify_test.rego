package aidf.chips.classify_test

import data.aidf.chips.classify.a_level_tpp
import data.aidf.chips.classify.b_level_tpp
import data.aidf.chips.classify.items
import data.aidf.chips.classify.tpp_total
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import data.aidf.testdata.requests.h100
import rego.v1

item(tpp, density, dc) := data.aidf.testdata.requests.with_items(
	data.aidf.testdata.requests.base,
	[data.aidf.testdata.requests.chip(tpp, density, dc)],
)

paragraph_of(tpp, density, dc) := p if {
	some c in data.aidf.chips.classify.items with input as item(tpp, density, dc)
	p := c.paragraph
}

test_a1_at_4800_tpp if {
	paragraph_of(4800, 1.0, true) == "3A090.a.1"
	paragraph_of(4799, 1.0, true) == "none"
}

test_a2_at_5_92_density if {
	paragraph_of(1600, 5.92, true) == "3A090.a.2"
	paragraph_of(1600, 5.91, true) == "3A090.b.2"
	paragraph_of(1599, 5.92, true) == "none"
}

test_b1_window if {
	paragraph_of(2400, 1.6, true) == "3A090.b.1"
	paragraph_of(2399, 1.6, true) == "none"
	paragraph_of(4799, 5.91, true) == "3A090.b.1"
	paragraph_of(2400, 1.59, true) == "none"
}

test_b2_window if {
	paragraph_of(1600, 3.2, true) == "3A090.b.2"
	paragraph_of(1600, 3.19, true) == "none"
}

test_note1_only_below_4800_and_not_data_center if {
	paragraph_of(4799, 6.0, false) == "note1"
	paragraph_of(4800, 6.0, false) == "3A090.a.1"
	paragraph_of(4799, 6.0, true) == "3A090.a.2"
}

test_declared_eccn_is_authoritative if {
	req := requests.with_items(base, [{"eccn": "5A992.z.1", "quantity": 2, "tpp_per_unit": 5000}])
	some c in items with input as req
	c.level == "a"
	c.basis == "declared"
	c.tpp_total == 10000
}

test_tpp_aggregates_per_shipment if {
	req := requests.with_items(base, [
		h100,
		{
			"description": "b chip",
			"quantity": 10,
			"tpp_per_unit": 3000,
			"performance_density": 4.0,
			"designed_for_data_centers": true,
		},
	])
	tpp_total == 15862000 with input as req
	a_level_tpp == 15832000 with input as req
	b_level_tpp == 30000 with input as req
}
