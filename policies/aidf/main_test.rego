package aidf.main_test

import data.aidf.main.decision
import data.aidf.testdata.requests.base
import data.aidf.testdata.requests.weights
import rego.v1

test_dispatches_export_chips if {
	decision.action == "export_chips" with input as base
}

test_unknown_action_is_invalid_and_never_allowed if {
	d := decision with input as object.union(base, {"action": "launch_rockets"})
	d.outcome == "invalid_request"
	d.allowed == false
}

test_unknown_country_is_invalid if {
	d := decision with input as object.union(base, {"destination": "XX"})
	d.errors == ["destination: unknown country code XX"]
	not d.allowed
}

test_negative_quantity_is_invalid if {
	d := decision with input as object.union(base, {"items": [{"quantity": -1, "tpp_per_unit": 10}]})
	d.outcome == "invalid_request"
}

test_missing_as_of_is_invalid if {
	d := decision with input as json.remove(base, ["as_of"])
	"as_of: must be a date YYYY-MM-DD" in d.errors
}

test_an_export_to_a_consignee_in_the_united_states_is_invalid if {
	req := object.union(base, {"destination": "US", "ultimate_consignee": {"located_in": "US"}})
	d := decision with input as req
	d.outcome == "invalid_request"
	"transaction: an export cannot go to destination in US" in {e | some e in d.errors}
}

test_a_deemed_export_needs_the_nationality if {
	req := object.union(weights, {"transaction": "deemed_export", "recipient": {"located_in": "US"}})
	d := decision with input as req
	"recipient.nationality: required for a deemed export" in {e | some e in d.errors}
}
