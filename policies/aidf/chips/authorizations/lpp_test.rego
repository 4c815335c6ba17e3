package aidf.chips.authorizations.lpp_test

import data.aidf.chips.authorizations.lpp.blockers
import data.aidf.chips.authorizations.lpp.obligations
import data.aidf.testdata.requests
import rego.v1

singapore := requests.at("SG", "SG")

with_history(req, received) := object.union(req, {"history": {"lpp_tpp_received_this_year": received}})

test_first_order_in_singapore_may_use_lpp if {
	count(blockers) == 0 with input as singapore
}

test_limit_is_inclusive if {
	count(blockers) == 0 with input as with_history(singapore, 26900000 - 15832000)
	requests.codes(blockers) == {"LPP_ANNUAL_LIMIT"} with input as with_history(singapore, (26900000 - 15832000) + 1)
}

test_reaching_the_limit_exactly_needs_the_consignee_notice if {
	"OBL_LPP_LIMIT_REACHED" in {o.code | some o in obligations} with input as with_history(singapore, 26900000 - 15832000)
	not "OBL_LPP_LIMIT_REACHED" in {o.code | some o in obligations} with input as singapore
}

test_pre_shipment_notice_from_3_2_million if {
	chip_at_threshold := {
		"description": "x",
		"quantity": 1,
		"tpp_per_unit": 3200000,
		"performance_density": 10,
		"designed_for_data_centers": true,
	}
	at := requests.with_items(singapore, [chip_at_threshold])
	"OBL_LPP_PRE_SHIPMENT_NOTICE" in {o.code | some o in obligations} with input as at
	chip_below_threshold := {
		"description": "x",
		"quantity": 1,
		"tpp_per_unit": 3199999,
		"performance_density": 10,
		"designed_for_data_centers": true,
	}
	below := requests.with_items(singapore, [chip_below_threshold])
	not "OBL_LPP_PRE_SHIPMENT_NOTICE" in {o.code | some o in obligations} with input as below
}

test_in_country_transfers_and_distributors_are_out if {
	req := object.union(singapore, {"transaction": "in_country_transfer", "direct_to_ultimate_consignee": false})
	requests.codes(blockers) == {"LPP_IN_COUNTRY_TRANSFER", "LPP_NOT_DIRECT"} with input as req
}

test_740_2_bars_lpp_for_saudi_arabia if {
	requests.codes(blockers) == {"EXC_740_2_BARRED"} with input as requests.at("SA", "SA")
}

test_5a002_z_is_not_an_lpp_item if {
	req := requests.with_items(singapore, [{"eccn": "5A002.z.1.a", "quantity": 1, "tpp_per_unit": 5000}])
	requests.codes(blockers) == {"LPP_ITEMS"} with input as req
}
