package aidf.training.decision_test

import data.aidf.testdata.requests.training
import data.aidf.training.decision.decision
import data.aidf.training.decision.outcome
import rego.v1

# Red Flag 28 names the ultimate parent; Supp. No. 10 para. 7's IaaS limb does not.
test_worked_example_17_red_flag_28 if {
	d := decision with input as training
	d.outcome == "review_required"
	d.red_flag_28
	codes := {r.code | some r in d.reasons}
	"RF28" in codes
	not "VEU_TRAINING_IAAS" in codes
}

test_para_7_iaas_for_a_customer_headquartered_outside_supp5a if {
	req := object.union(training, {"customer": {"headquarters": "IN"}})
	d := decision with input as req
	d.outcome == "authorization_required"
	"VEU_TRAINING_IAAS" in {r.code | some r in d.reasons}
}

test_supp5a_customer_is_not_restricted if {
	req := object.union(training, {"customer": {"ultimate_parent_headquarters": "US"}})
	outcome == "not_restricted" with input as req
}

test_inference_is_never_restricted if {
	req := json.remove(object.union(training, {"service": "inference"}), ["model"])
	d := decision with input as req
	d.outcome == "not_restricted"
	[r.code | some r in d.reasons] == ["API_NOT_RESTRICTED"]
}

test_veu_training_outside_supp5a if {
	req := object.union(training, {"customer": {"ultimate_parent_headquarters": "US"}, "training_location": "MY"})
	outcome == "authorization_required" with input as req
	outcome == "not_restricted" with input as object.union(req, {"provider": {"data_center_veu": false}})
}

test_fine_tuning_up_to_25_percent if {
	base := object.union(training, {
		"customer": {"ultimate_parent_headquarters": "US"},
		"training_location": "MY",
		"service": "fine_tuning",
	})
	at_25_percent := {"fine_tuning": {"original_operations": "3e26", "additional_operations": "7.5e25"}}
	over_25_percent := {"fine_tuning": {"original_operations": "3e26", "additional_operations": "7.5001e25"}}
	outcome == "not_restricted" with input as object.union(base, at_25_percent)
	outcome == "authorization_required" with input as object.union(base, over_25_percent)
}

test_red_flag_28_without_a_veu_is_a_hold_not_a_prohibition if {
	req := object.union(training, {"provider": {"data_center_veu": false}})
	d := decision with input as req
	d.outcome == "review_required"
	not d.allowed
	d.review_policy == null
	"RF28_WEIGHTS_LICENCE" in {r.code | some r in d.reasons}
}

test_red_flag_28_resolved_by_the_customers_answer if {
	req := object.union(training, {
		"provider": {"data_center_veu": false},
		"customer": {"intends_to_export_weights": false},
	})
	d := decision with input as req
	d.outcome == "not_restricted"
	[o.code | some o in d.obligations] == ["OBL_RF28_RECORD"]
}
