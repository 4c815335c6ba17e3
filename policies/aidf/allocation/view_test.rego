package aidf.allocation.view_test

import data.aidf.allocation.view.allocation
import data.aidf.allocation.view.outcome
import rego.v1

ask(country, licensed, proposed) := {
	"action": "country_allocation",
	"as_of": "2025-06-01",
	"country": country,
	"licensed_tpp": licensed,
	"proposed_tpp": proposed,
}

test_within_and_beyond_the_allocation if {
	outcome == "within_allocation" with input as ask("MY", 700000000, 90000000)
	outcome == "beyond_allocation" with input as ask("MY", 700000000, 90000001)
	allocation.headroom_before == 90000000 with input as ask("MY", 700000000, 1)
}

test_tier1_has_no_allocation_and_tier3_is_denied if {
	outcome == "no_allocation" with input as ask("JP", 0, 1)
	outcome == "presumption_of_denial" with input as ask("MO", 0, 1)
	allocation == null with input as ask("JP", 0, 1)
}
