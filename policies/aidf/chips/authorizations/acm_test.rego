package aidf.chips.authorizations.acm_test

import data.aidf.chips.authorizations.acm.blockers
import data.aidf.testdata.requests
import rego.v1

manufacturer := object.union(requests.at("MY", "MY"), {"end_use": "production"})

test_private_manufacturer_may_use_acm if {
	count(blockers) == 0 with input as manufacturer
}

test_government_owned_consignee_is_not_private_sector if {
	req := object.union(manufacturer, {"ultimate_consignee": {"foreign_government_owned_or_controlled": true}})
	requests.codes(blockers) == {"ACM_GOVERNMENT"} with input as req
}

test_data_center_use_is_not_acm_use if {
	requests.codes(blockers) == {"ACM_END_USE"} with input as object.union(manufacturer, {"end_use": "data_center"})
}

test_d5_parent_blocks_acm if {
	req := object.union(manufacturer, {"ultimate_consignee": {"ultimate_parent_headquarters": "CN"}})
	"ACM_D5_LINK" in requests.codes(blockers) with input as req
}

test_acm_survives_740_2_restriction if {
	req := object.union(requests.at("VN", "VN"), {"end_use": "storage_before_onward_shipment"})
	count(blockers) == 0 with input as req
}
