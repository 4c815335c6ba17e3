package aidf.chips.request_test

import data.aidf.chips.request
import data.aidf.testdata.requests
import rego.v1

test_location_defaults_to_destination if {
	req := json.remove(requests.base, ["ultimate_consignee/located_in"])
	request.location == "DE" with input as req
}

test_d5_links_are_named if {
	req := object.union(requests.base, {"ultimate_consignee": {"ultimate_parent_headquarters": "HK"}})
	request.d5_links == {"ultimate parent's headquarters"} with input as req
	request.restricted_740_2 with input as req
}

test_history_defaults_to_zero if {
	request.lpp_received_this_year == 0 with input as requests.base
	request.country_licensed_tpp == 0 with input as requests.base
}
