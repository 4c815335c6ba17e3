package aidf.chips.authorizations.nveu_test

import data.aidf.chips.authorizations.nveu.blockers
import data.aidf.chips.authorizations.nveu.obligations
import data.aidf.testdata.requests
import rego.v1

nveu_for(destination) := object.union(
	data.aidf.testdata.requests.at(destination, "IN"),
	{"ultimate_consignee": {"veu": {"nveu_countries": ["IN"]}}},
)

test_nveu_is_per_country if {
	req := nveu_for("IN")
	count(blockers) == 0 with input as req
	elsewhere := nveu_for("VN")
	requests.codes(blockers) == {"NVEU_NOT_HELD"} with input as elsewhere
}

test_nveu_is_for_data_centers if {
	req := object.union(nveu_for("IN"), {"end_use": "production"})
	"VEU_END_USE" in requests.codes(blockers) with input as req
}

test_nveu_obligations_name_the_nveu if {
	req := nveu_for("IN")
	codes := [o.code | some o in obligations] with input as req
	codes == ["OBL_VEU_SUPP10", "OBL_VEU_REPORTS", "OBL_NVEU_LIMITS"]
}
