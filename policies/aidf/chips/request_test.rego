package aidf.chips.request_test

import data.aidf.chips.request.country_licensed_tpp
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.location
import data.aidf.chips.request.lpp_received_this_year
import data.aidf.chips.request.restricted_740_2
import data.aidf.testdata.requests.base
import rego.v1

test_location_defaults_to_destination if {
	req := json.remove(base, ["ultimate_consignee/located_in"])
	location == "DE" with input as req
}

test_d5_links_are_named if {
	req := object.union(base, {"ultimate_consignee": {"ultimate_parent_headquarters": "HK"}})
	d5_links == {"ultimate parent's headquarters"} with input as req
	restricted_740_2 with input as req
}

test_history_defaults_to_zero if {
	lpp_received_this_year == 0 with input as base
	country_licensed_tpp == 0 with input as base
}
