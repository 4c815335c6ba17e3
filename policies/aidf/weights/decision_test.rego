package aidf.weights.decision_test

import data.aidf.testdata.requests
import data.aidf.testdata.requests.weights
import data.aidf.weights.decision.decision
import rego.v1

test_worked_example_12_us_lab_to_own_uae_cluster if {
	d := decision with input as weights
	d.outcome == "license_exception"
	d.authorization == "AIA"
	d.model.eccn == "4E091"
}

test_worked_example_13_uae_headquartered_recipient if {
	req := object.union(weights, {"recipient": {"headquarters": "AE", "ultimate_parent_headquarters": "AE"}})
	d := decision with input as req
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	"API_NOT_RESTRICTED" in {r.code | some r in d.reasons}
}

test_uncontrolled_model_needs_nothing if {
	req := requests.with_model(weights, {"name": "small", "weights_published": false, "training_operations": "1e25"})
	d := decision with input as req
	d.outcome == "not_controlled"
	d.allowed
}

test_weights_between_two_us_labs_are_not_subject if {
	req := object.union(weights, {"transaction": "domestic_transfer", "recipient": {"located_in": "US"}})
	d := decision with input as req
	d.allowed
	d.outcome == "not_subject"
	[r.code | some r in d.reasons] == ["W_JURISDICTION_DOMESTIC"]
}

# 15 CFR 734.13(b): a deemed export goes to the person's country, so a Chinese national who is
# not a permanent regular employee of a Supp. No. 5(a)-headquartered entity needs a licence.
test_deemed_export_to_a_chinese_national_is_an_export_to_china if {
	req := object.union(weights, {"transaction": "deemed_export", "recipient": {
		"located_in": "US", "headquarters": "US", "ultimate_parent_headquarters": "US", "nationality": "CN",
	}})
	d := decision with input as req
	not d.allowed
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	d.recipient.deemed_export_to.code == "CN"
	d.recipient.location.code == "US"
	codes := {r.code | some r in d.reasons}
	"W_DEEMED_EXPORT_COUNTRY" in codes
	"WAIA_D5_LOCATION" in codes
}

test_deemed_export_to_an_employee_of_a_us_lab_stays_exempt if {
	req := object.union(weights, {"transaction": "deemed_export", "recipient": {
		"located_in": "US", "headquarters": "US", "ultimate_parent_headquarters": "US", "nationality": "CN",
		"permanent_regular_employee": true,
	}})
	d := decision with input as req
	d.outcome == "no_license_required"
}
