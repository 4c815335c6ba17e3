package aidf.compute.eligibility_test

import data.aidf.testdata.requests
import data.aidf.testdata.requests.plan
import rego.v1

codes(p) := c if {
	c := data.aidf.testdata.requests.codes(data.aidf.compute.eligibility.blockers) with input as p
}

test_us_uveu_is_eligible if {
	codes(plan) == set()
}

test_uveu_claimed_by_a_tier2_owner if {
	p := object.union(plan, {"owner": {"headquarters": "MY", "ultimate_parent_headquarters": "MY"}})
	codes(p) == {"UVEU_INELIGIBLE"}
}

test_no_placement_in_d5 if {
	"VEU_D5_PLACEMENT" in codes(requests.place_in("CN", 1))
}

test_d5_parent_cannot_rely_on_a_veu if {
	p := object.union(plan, {"owner": {"ultimate_parent_headquarters": "CN"}})
	codes(p) == {"VEU_D5_OWNERSHIP"}
}

test_no_veu_for_the_country if {
	p := object.union(plan, {"owner": {"veu": {"uveu": false}}})
	codes(p) == {"VEU_NONE_FOR_COUNTRY"}
}
