package aidf.baseline.view_test

import data.aidf.main.decision
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import data.aidf.testdata.requests.weights
import rego.v1

enforced(req) := d if {
	r := object.union(req, {"view": "enforced"})
	d := data.aidf.main.decision with input as r
}

test_model_weights_controls_are_not_enforced if {
	d := enforced(weights)
	d.outcome == "not_enforced"
	d.allowed
	d.view == "enforced"
	every r in d.reasons { is_boolean(r.enforced) }
	d.reasons[0].code == "BASE_ACTION_NOT_ENFORCED"
	d.reasons[0].enforced
}

test_placing_chips_in_china_needs_a_licence_in_the_enforced_view if {
	d := enforced(requests.place_in("CN", 1000))
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
}

test_placing_chips_in_malaysia_is_not_enforced if {
	d := enforced(requests.place_in("MY", 1000))
	d.outcome == "not_enforced"
}

test_the_as_written_view_is_named if {
	d := decision with input as base
	d.view == "as_written"
}
