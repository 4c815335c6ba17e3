package aidf.chips.authorizations.nac_test

import data.aidf.chips.authorizations.nac.blockers
import data.aidf.chips.authorizations.nac.obligations
import data.aidf.testdata.requests
import rego.v1

gaming := {
	"description": "gaming GPU", "quantity": 10, "tpp_per_unit": 5300,
	"performance_density": 8.1, "designed_for_data_centers": false,
}

to(country) := data.aidf.testdata.requests.with_items(data.aidf.testdata.requests.at(country, country), [gaming])

test_gaming_gpu_to_china_under_nac if {
	count(blockers) == 0 with input as to("CN")
	requests.codes(data.aidf.chips.authorizations.aca.blockers) == {"ACA_D5_LINK"} with input as to("CN")
}

test_nac_is_not_needed_outside_macau_and_d5 if {
	req := to("BR")
	requests.codes(blockers) == {"NAC_NOT_NEEDED"} with input as req
}

test_data_center_a_items_never_qualify if {
	"ACA_NAC_DATA_CENTER_ITEMS" in requests.codes(blockers) with input as requests.at("CN", "CN")
}

test_in_country_transfer_within_china_is_not_nac if {
	req := object.union(to("CN"), {"transaction": "in_country_transfer"})
	requests.codes(blockers) == {"NAC_NOT_NEEDED"} with input as req
}

test_nac_needs_a_notification_and_records if {
	req := to("CN")
	codes := [o.code | some o in obligations] with input as req
	codes == ["OBL_NAC_NOTIFICATION", "OBL_ACA_RECORDS"]
}
