package aidf.weights.transfer_test

import data.aidf.weights.transfer
import data.aidf.testdata.requests
import rego.v1

recipient(loc, hq, parent) := {"name": "R", "located_in": loc, "headquarters": hq, "ultimate_parent_headquarters": parent}

to(loc, hq, parent) := object.union(data.aidf.testdata.requests.weights, {"recipient": recipient(loc, hq, parent)})

test_aia_a3_needs_storage_after_15_january_2026 if {
	transfer.aia_available with input as requests.weights
	unsecured := object.union(requests.weights, {"storage": {"meets_supp10_paragraphs_14_15_18": false}})
	not transfer.aia_available with input as unsecured
	transfer.aia_available with input as object.union(unsecured, {"as_of": "2025-12-31"})
}

test_supp5a_recipient_may_use_aia if {
	transfer.aia_available with input as to("DE", "DE", "DE")
}

test_non_supp5a_headquarters_is_denied if {
	not transfer.aia_available with input as to("AE", "AE", "AE")
	transfer.review_policy == "presumption_of_denial" with input as to("AE", "AE", "AE")
	transfer.review_policy == "presumption_of_denial" with input as to("DE", "DE", "CN")
}

test_no_aia_into_d5 if {
	not transfer.aia_available with input as to("CN", "US", "US")
	transfer.review_policy == "presumption_of_denial" with input as to("CN", "US", "US")
}

test_deemed_export_to_permanent_employees_of_supp5a_entities if {
	req := object.union(to("US", "US", "US"), {"transaction": "deemed_export", "recipient": {"permanent_regular_employee": true, "nationality": "CN"}})
	transfer.deemed_export_exempt with input as req
	not transfer.deemed_export_exempt with input as object.union(req, {"recipient": {"permanent_regular_employee": false}})
}

test_veu_storage_paragraph_8 if {
	veu := object.union(to("MY", "MY", "MY"), {"storage": {"data_center_veu": true, "meets_supp10_paragraphs_14_15_18": true}})
	"WVEU_STORAGE" in data.aidf.testdata.requests.codes(transfer.aia_blockers) with input as veu
	ok := object.union(to("MY", "US", "US"), {"storage": {"data_center_veu": true, "meets_supp10_paragraphs_14_15_18": true}})
	not "WVEU_STORAGE" in data.aidf.testdata.requests.codes(transfer.aia_blockers) with input as ok
}

us_subsidiary_of_chinese_parent := object.union(data.aidf.testdata.requests.weights, {"recipient": {"headquarters": "US", "ultimate_parent_headquarters": "CN"}})

test_aia_a3_for_a_supp5a_subsidiary_of_a_d5_parent_is_flagged if {
	data.aidf.weights.transfer.aia_a3 with input as us_subsidiary_of_chinese_parent
	"WAIA_D5_PARENT_OVERLAP" in {r.code | some r in data.aidf.weights.transfer.overlap_reasons} with input as us_subsidiary_of_chinese_parent
}

test_the_switch_follows_the_d5_policy if {
	not data.aidf.weights.transfer.aia_a3 with input as us_subsidiary_of_chinese_parent
		with data.aidf.facts.params.interpretations.weights_aia_a3_despite_d5_parent as false
}
