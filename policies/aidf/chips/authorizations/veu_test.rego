package aidf.chips.authorizations.veu_test

import data.aidf.chips.authorizations.veu
import rego.v1

uveu_in_malaysia := object.union(data.aidf.testdata.requests.at("MY", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})

test_uveu_holder_ships_to_own_data_center if {
	count(veu.uveu_blockers) == 0 with input as uveu_in_malaysia
}

test_uveu_claimed_by_ineligible_owner if {
	req := object.union(data.aidf.testdata.requests.at("MY", "MY"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	data.aidf.testdata.requests.codes(veu.uveu_blockers) == {"UVEU_INELIGIBLE"} with input as req
}

test_nveu_is_per_country if {
	req := object.union(data.aidf.testdata.requests.at("IN", "IN"), {"ultimate_consignee": {"veu": {"nveu_countries": ["IN"]}}})
	count(veu.nveu_blockers) == 0 with input as req
	elsewhere := object.union(data.aidf.testdata.requests.at("VN", "IN"), {"ultimate_consignee": {"veu": {"nveu_countries": ["IN"]}}})
	data.aidf.testdata.requests.codes(veu.nveu_blockers) == {"NVEU_NOT_HELD"} with input as elsewhere
}

test_no_veu_into_d5 if {
	req := object.union(data.aidf.testdata.requests.at("CN", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	"VEU_D5_LINK" in data.aidf.testdata.requests.codes(veu.uveu_blockers) with input as req
}

test_veu_is_for_data_centers if {
	"VEU_END_USE" in data.aidf.testdata.requests.codes(veu.uveu_blockers) with input as object.union(uveu_in_malaysia, {"end_use": "production"})
}
