package aidf.compute.request_test

import data.aidf.compute.request
import data.aidf.testdata.requests
import rego.v1

test_installed_sums_entries_per_country_and_chips if {
	p := object.union(requests.plan, {"installed": [
		{"country": "US", "tpp": 100},
		{"country": "US", "chips": 2, "tpp_per_chip": 50},
		{"country": "HK", "tpp": 7},
	]})
	request.installed == {"US": 200, "CN": 7} with input as p
	request.total == 207 with input as p
	request.outside_us == 7 with input as p
}

test_placement_in_chips if {
	p := object.union(json.remove(requests.plan, ["placement/tpp"]), {"placement": {"country": "MY", "chips": 10, "tpp_per_chip": 15832}})
	request.placement_tpp == 158320 with input as p
	request.tpp_per_chip == 15832 with input as p
}

test_new_country_for_owner if {
	request.new_country with input as requests.plan
	not request.new_country with input as data.aidf.testdata.requests.place_in("DE", 1)
}
