package aidf.weights.decision_test

import data.aidf.weights.decision
import data.aidf.testdata.requests
import rego.v1

test_worked_example_12_us_lab_to_own_uae_cluster if {
	d := decision.decision with input as requests.weights
	d.outcome == "license_exception"
	d.authorization == "AIA"
	d.model.eccn == "4E091"
}

test_worked_example_13_uae_headquartered_recipient if {
	req := object.union(requests.weights, {"recipient": {"headquarters": "AE", "ultimate_parent_headquarters": "AE"}})
	d := decision.decision with input as req
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	"API_NOT_RESTRICTED" in {r.code | some r in d.reasons}
}

test_uncontrolled_model_needs_nothing if {
	req := data.aidf.testdata.requests.with_model(requests.weights, {"name": "small", "weights_published": false, "training_operations": "1e25"})
	d := decision.decision with input as req
	d.outcome == "not_controlled"
	d.allowed
}
