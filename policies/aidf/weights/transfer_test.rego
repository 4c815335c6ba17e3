package aidf.weights.transfer_test

import data.aidf.testdata.requests
import data.aidf.testdata.requests.weights
import data.aidf.weights.transfer.aia_a3
import data.aidf.weights.transfer.aia_available
import data.aidf.weights.transfer.aia_blockers
import data.aidf.weights.transfer.deemed_export_exempt
import data.aidf.weights.transfer.overlap_reasons
import data.aidf.weights.transfer.review_policy
import rego.v1

recipient(loc, hq, parent) := {
	"name": "R",
	"located_in": loc,
	"headquarters": hq,
	"ultimate_parent_headquarters": parent,
}

to(loc, hq, parent) := object.union(data.aidf.testdata.requests.weights, {"recipient": recipient(loc, hq, parent)})

test_aia_a3_needs_storage_after_15_january_2026 if {
	aia_available with input as weights
	unsecured := object.union(weights, {"storage": {"meets_supp10_paragraphs_14_15_18": false}})
	not aia_available with input as unsecured
	aia_available with input as object.union(unsecured, {"as_of": "2025-12-31"})
}

test_supp5a_recipient_may_use_aia if {
	aia_available with input as to("DE", "DE", "DE")
}

test_non_supp5a_headquarters_is_denied if {
	not aia_available with input as to("AE", "AE", "AE")
	review_policy == "presumption_of_denial" with input as to("AE", "AE", "AE")
	review_policy == "presumption_of_denial" with input as to("DE", "DE", "CN")
}

test_no_aia_into_d5 if {
	not aia_available with input as to("CN", "US", "US")
	review_policy == "presumption_of_denial" with input as to("CN", "US", "US")
}

test_deemed_export_to_permanent_employees_of_supp5a_entities if {
	req := object.union(to("US", "US", "US"), {
		"transaction": "deemed_export",
		"recipient": {"permanent_regular_employee": true, "nationality": "CN"},
	})
	deemed_export_exempt with input as req
	not deemed_export_exempt with input as object.union(req, {"recipient": {"permanent_regular_employee": false}})
}

test_veu_storage_paragraph_8 if {
	veu := object.union(to("MY", "MY", "MY"), {"storage": {
		"data_center_veu": true,
		"meets_supp10_paragraphs_14_15_18": true,
	}})
	"WVEU_STORAGE" in requests.codes(aia_blockers) with input as veu
	ok := object.union(to("MY", "US", "US"), {"storage": {
		"data_center_veu": true,
		"meets_supp10_paragraphs_14_15_18": true,
	}})
	not "WVEU_STORAGE" in requests.codes(aia_blockers) with input as ok
}

us_subsidiary_of_chinese_parent := object.union(weights, {"recipient": {
	"headquarters": "US",
	"ultimate_parent_headquarters": "CN",
}})

test_aia_a3_for_a_supp5a_subsidiary_of_a_d5_parent_is_flagged if {
	aia_a3 with input as us_subsidiary_of_chinese_parent
	"WAIA_D5_PARENT_OVERLAP" in {r.code | some r in overlap_reasons} with input as us_subsidiary_of_chinese_parent
}

test_the_switch_follows_the_d5_policy if {
	not aia_a3 with input as us_subsidiary_of_chinese_parent
		with data.aidf.facts.params.interpretations.weights_aia_a3_despite_d5_parent as false
}
