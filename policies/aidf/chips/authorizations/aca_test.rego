package aidf.chips.authorizations.aca_test

import data.aidf.chips.authorizations.aca.blockers
import data.aidf.testdata.requests
import rego.v1

gaming := {
	"description": "gaming GPU", "quantity": 10, "tpp_per_unit": 5300,
	"performance_density": 8.1, "designed_for_data_centers": false,
}

to(country) := data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at(country, country), [gaming])

test_gaming_gpu_to_brazil_under_aca if {
	count(blockers) == 0 with input as to("BR")
	requests.codes(data.aidf.chips.authorizations.nac.blockers) == {"NAC_NOT_NEEDED"} with input as to("BR")
}

test_gaming_gpu_to_china_is_for_nac if {
	requests.codes(blockers) == {"ACA_D5_LINK"} with input as to("CN")
}

test_data_center_a_items_never_qualify if {
	requests.codes(blockers) == {"ACA_NAC_DATA_CENTER_ITEMS"} with input as requests.at("BR", "BR")
}

test_in_country_transfer_within_china_stays_aca if {
	req := object.union(to("CN"), {"transaction": "in_country_transfer"})
	count(blockers) == 0 with input as req
}
