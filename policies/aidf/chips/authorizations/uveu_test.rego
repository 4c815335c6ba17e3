package aidf.chips.authorizations.uveu_test

import data.aidf.chips.authorizations.uveu.blockers
import data.aidf.chips.authorizations.uveu.obligations
import data.aidf.testdata.requests
import rego.v1

uveu_in_malaysia := object.union(requests.at("MY", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})

test_uveu_holder_ships_to_own_data_center if {
	count(blockers) == 0 with input as uveu_in_malaysia
}

test_uveu_claimed_by_ineligible_owner if {
	req := object.union(requests.at("MY", "MY"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	requests.codes(blockers) == {"UVEU_INELIGIBLE"} with input as req
}

test_no_veu_into_d5 if {
	req := object.union(requests.at("CN", "US"), {"ultimate_consignee": {"veu": {"uveu": true}}})
	"VEU_D5_LINK" in requests.codes(blockers) with input as req
}

test_veu_is_for_data_centers if {
	"VEU_END_USE" in requests.codes(blockers) with input as object.union(uveu_in_malaysia, {"end_use": "production"})
}

test_uveu_obligations_name_the_uveu if {
	codes := [o.code | some o in obligations] with input as uveu_in_malaysia
	codes == ["OBL_VEU_SUPP10", "OBL_VEU_REPORTS", "OBL_UVEU_LIMITS"]
}
