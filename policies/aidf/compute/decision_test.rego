package aidf.compute.decision_test

import data.aidf.compute.decision.decision
import data.aidf.lib.arith
import data.aidf.testdata.requests
import data.aidf.testdata.requests.plan
import rego.v1

test_authorized_plan_reports_headroom if {
	d := decision with input as plan
	d.allowed
	d.authorization == "UVEU"
	d.headroom.tpp == 75268817 - 10000000
	d.binding_constraint == "country:MY"
}

test_failing_plan_reports_the_largest_placement if {
	d := decision with input as requests.place_in("MY", 80000000)
	not d.allowed
	d.headroom.tpp == 0
	d.headroom.max_placement_tpp == 75268817
	some c in d.constraints
	c.id == "country:MY"
	c.after.share == "7.40%"
	not c.passes
}

test_chips_headroom_is_whole_chips if {
	p := object.union(json.remove(plan, ["placement/tpp"]), {"placement": {
		"country": "MY",
		"chips": 1000,
		"tpp_per_chip": 15832,
	}})
	d := decision with input as p
	d.headroom.chips == arith.floor_div(75268817 - 15832000, 15832)
}
