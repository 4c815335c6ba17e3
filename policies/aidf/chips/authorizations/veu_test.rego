package aidf.chips.authorizations.veu_test

import data.aidf.chips.authorizations.veu.nveu_blockers
import data.aidf.chips.authorizations.veu.uveu_blockers
import data.aidf.testdata.requests
import rego.v1

uveu_in_malaysia := object.union(requests.at("MY", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})

test_uveu_holder_ships_to_own_data_center if {
	count(uveu_blockers) == 0 with input as uveu_in_malaysia
}

test_uveu_claimed_by_ineligible_owner if {
	req := object.union(requests.at("MY", "MY"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	requests.codes(uveu_blockers) == {"UVEU_INELIGIBLE"} with input as req
}

test_nveu_is_per_country if {
	req := object.union(requests.at("IN", "IN"), {"ultimate_consignee": {"veu": {"nveu_countries": ["IN"]}}})
	count(nveu_blockers) == 0 with input as req
	elsewhere := object.union(requests.at("VN", "IN"), {"ultimate_consignee": {"veu": {"nveu_countries": ["IN"]}}})
	requests.codes(nveu_blockers) == {"NVEU_NOT_HELD"} with input as elsewhere
}

test_no_veu_into_d5 if {
	req := object.union(requests.at("CN", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	"VEU_D5_LINK" in requests.codes(uveu_blockers) with input as req
}

test_veu_is_for_data_centers if {
	"VEU_END_USE" in requests.codes(uveu_blockers) with input as object.union(uveu_in_malaysia, {"end_use": "production"})
}
