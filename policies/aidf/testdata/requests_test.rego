package aidf.testdata.requests_test

import data.aidf.testdata.requests
import rego.v1

test_at_moves_the_whole_consignee if {
	r := requests.at("SG", "IN")
	r.destination == "SG"
	r.ultimate_consignee.located_in == "SG"
	r.ultimate_consignee.ultimate_parent_headquarters == "IN"
	r.ultimate_consignee.name == "Example GmbH"
}
