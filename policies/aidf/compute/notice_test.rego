package aidf.compute.notice_test

import data.aidf.compute.notice
import data.aidf.testdata.requests
import rego.v1

new_dc(extra) := object.union(data.aidf.testdata.requests.plan, {"placement": object.union({"new_data_center": true}, extra)})

test_a_new_data_center_without_notice_waits_180_days_from_today if {
	v := notice.view with input as new_dc({})
	v.required_days == 180
	v.given_on == null
	v.effective_from == data.aidf.lib.status.plus_days(requests.plan.as_of, 180)
	not v.satisfied
	notice.pending with input as new_dc({})
}

test_a_notice_given_180_days_ago_is_satisfied if {
	given := data.aidf.lib.status.plus_days(requests.plan.as_of, -180)
	notice.satisfied with input as new_dc({"notice_given_on": given})
}

test_a_notice_given_179_days_ago_is_not if {
	given := data.aidf.lib.status.plus_days(requests.plan.as_of, -179)
	notice.pending with input as new_dc({"notice_given_on": given})
}

test_a_transfer_needs_60_days if {
	p := object.union(requests.plan, {"placement": {"country": "MY", "tpp": 1, "transfer_from": "US"}})
	v := notice.view with input as p
	v.required_days == 60
}

test_no_notice_no_gate if {
	v := notice.view with input as requests.plan
	v == null
	not notice.pending with input as requests.plan
}
