package aidf.chips.authorizations.aia_test

import data.aidf.chips.authorizations.aia.blockers
import data.aidf.chips.authorizations.aia.obligations
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import rego.v1

blocker_codes(req) := c if {
	c := data.aidf.testdata.requests.codes(data.aidf.chips.authorizations.aia.blockers) with input as req
}

test_us_company_in_germany_may_use_aia if {
	count(blockers) == 0 with input as base
}

test_parent_outside_supp5a_blocks_aia_even_in_germany if {
	req := object.union(base, {"ultimate_consignee": {"ultimate_parent_headquarters": "CN"}})
	blocker_codes(req) == {"AIA_PARENT_HEADQUARTERS", "EXC_740_2_BARRED"}
}

test_location_outside_supp5a_blocks_aia if {
	"AIA_LOCATION" in blocker_codes(requests.at("SG", "US"))
}

test_iaas_training_for_non_supp5a_blocks_aia if {
	"AIA_IAAS_TRAINING" in blocker_codes(object.union(base, {"end_use": "iaas_training_4e091_for_non_supp5a"}))
}

test_b_level_items_are_not_aia_items if {
	req := object.union(requests.at("VN", "US"), {"items": [{"eccn": "3A090.b", "quantity": 1, "tpp_per_unit": 3000}]})
	"AIA_ITEMS" in blocker_codes(req)
}

test_bis_copy_at_253_million_cumulative if {
	at := object.union(base, {"history": {"aia_cumulative_tpp": 253000000 - 15832000}})
	"OBL_AIA_BIS_COPY" in {o.code | some o in obligations} with input as at
	below := object.union(base, {"history": {"aia_cumulative_tpp": 253000000 - 15832001}})
	not "OBL_AIA_BIS_COPY" in {o.code | some o in obligations} with input as below
}

test_ic_designer_false_blocks_aia if {
	req := object.union(base, {"items": [object.union(base.items[0], {"designed_by_approved_ic_designer": false})]})
	"IC_DESIGNER_NOT_APPROVED" in {r.code | some r in blockers} with input as req
}

test_ic_designer_unstated_is_an_obligation_to_confirm if {
	codes := [o.code | some o in obligations] with input as base
	codes[0] == "OBL_IC_DESIGNER_CONFIRM"
}
