package aidf.compute.notice_test

import data.aidf.compute.notice.pending
import data.aidf.compute.notice.satisfied
import data.aidf.compute.notice.view
import data.aidf.lib.status
import data.aidf.testdata.requests.plan
import rego.v1

# The fixture's placement without its notice date.
new_dc(extra) := object.union(
	object.remove(data.aidf.testdata.requests.plan, ["placement"]),
	{"placement": object.union(
		object.remove(data.aidf.testdata.requests.plan.placement, ["notice_given_on"]),
		object.union({"new_data_center": true}, extra),
	)},
)

test_a_new_data_center_without_notice_waits_180_days_from_today if {
	v := view with input as new_dc({})
	v.required_days == 180
	v.given_on == null
	v.effective_from == status.plus_days(plan.as_of, 180)
	not v.satisfied
	pending with input as new_dc({})
}

test_a_notice_given_180_days_ago_is_satisfied if {
	given := status.plus_days(plan.as_of, -180)
	satisfied with input as new_dc({"notice_given_on": given})
}

test_a_notice_given_179_days_ago_is_not if {
	given := status.plus_days(plan.as_of, -179)
	pending with input as new_dc({"notice_given_on": given})
}

test_a_transfer_needs_60_days if {
	p := object.union(plan, {"placement": {"country": "JP", "tpp": 1, "transfer_from": "DE"}})
	v := view with input as p
	v.required_days == 60
}

test_a_first_placement_in_a_new_country_needs_180_days if {
	v := view with input as plan
	v.required_days == 180
}

test_no_notice_no_gate if {
	p := object.union(plan, {"placement": {"country": "JP"}})
	v := view with input as p
	v == null
	not pending with input as p
}

test_placements_in_the_united_states_are_never_held if {
	p := object.union(plan, {"placement": {"country": "US", "new_data_center": true}})
	not pending with input as p
}
