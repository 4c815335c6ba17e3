package aidf.compute.limits_test

import data.aidf.compute.limits.basis
import data.aidf.compute.limits.binding
import data.aidf.compute.limits.bounded
import data.aidf.compute.limits.constraints
import data.aidf.compute.limits.hi
import data.aidf.compute.limits.nveu_allocation
import data.aidf.compute.limits.t
import data.aidf.compute.limits.within
import data.aidf.testdata.requests
import data.aidf.testdata.requests.plan
import rego.v1

# Worked example 9: 1,000,000,000 TPP in total; 7% of the total after a placement h in
# Malaysia means 100 * h <= 7 * (1,000,000,000 + h), so h <= 75,268,817.
test_single_country_limit_for_a_new_country if {
	hi == 75268817 with input as plan
	binding == "country:MY" with input as plan
}

test_exactly_at_the_limit_passes_one_more_fails if {
	within with input as requests.place_in("MY", 75268817)
	not within with input as requests.place_in("MY", 75268818)
}

test_placements_in_supp5a_outside_us_meet_the_50_percent_limit if {
	# 100 * (400,000,000 + h) <= 50 * (1,000,000,000 + h)  ->  h <= 200,000,000
	hi == 200000000 with input as requests.place_in("DE", 1)
	binding == "outside_us" with input as requests.place_in("DE", 1)
}

test_placements_in_the_us_are_unbounded if {
	not bounded with input as requests.place_in("US", 1)
	within with input as requests.place_in("US", 1)
}

test_non_us_uveu_has_no_50_percent_limit if {
	p := object.union(plan, {"owner": {"headquarters": "JP", "ultimate_parent_headquarters": "JP"}})
	not "outside_us" in {c.id | some c in constraints} with input as p
}

test_a_transfer_keeps_the_total if {
	p := object.union(plan, {"placement": {"country": "MY", "tpp": 1, "transfer_from": "US"}})
	t == 0 with input as p
	# 100 * h <= 7 * 1,000,000,000 and h <= 600,000,000 held in the US
	hi == 70000000 with input as p
}

test_nveu_cap_by_quarter if {
	p := {
		"action": "deploy_compute",
		"as_of": "2025-12-31",
		"owner": {
			"name": "Mumbai Compute",
			"headquarters": "IN",
			"ultimate_parent_headquarters": "IN",
			"veu": {"nveu_countries": ["IN"]},
		},
		"installed": [{"country": "IN", "tpp": 1500000000}],
		"placement": {"country": "IN", "tpp": 82500000},
	}
	basis == "NVEU" with input as p
	nveu_allocation.tpp == 1582500000 with input as p
	hi == 82500000 with input as p
	within with input as p
	nveu_allocation.tpp == 1899000000 with input as object.union(p, {"as_of": "2026-01-01"})
}
