package aidf.compute.request_test

import data.aidf.compute.request.installed
import data.aidf.compute.request.new_country
import data.aidf.compute.request.outside_us
import data.aidf.compute.request.placement_tpp
import data.aidf.compute.request.total
import data.aidf.compute.request.tpp_per_chip
import data.aidf.testdata.requests
import data.aidf.testdata.requests.plan
import rego.v1

test_installed_sums_entries_per_country_and_chips if {
	p := object.union(plan, {"installed": [
		{"country": "US", "tpp": 100},
		{"country": "US", "chips": 2, "tpp_per_chip": 50},
		{"country": "HK", "tpp": 7},
	]})
	installed == {"US": 200, "CN": 7} with input as p
	total == 207 with input as p
	outside_us == 7 with input as p
}

test_placement_in_chips if {
	p := object.union(json.remove(plan, ["placement/tpp"]), {"placement": {
		"country": "MY",
		"chips": 10,
		"tpp_per_chip": 15832,
	}})
	placement_tpp == 158320 with input as p
	tpp_per_chip == 15832 with input as p
}

test_new_country_for_owner if {
	new_country with input as plan
	not new_country with input as requests.place_in("DE", 1)
}
