package aidf.lib.result_test

import data.aidf.lib.result
import rego.v1

test_reason_takes_wording_and_citation_from_the_catalogue if {
	r := result.reason("LPP_IN_COUNTRY_TRANSFER", [])
	r.code == "LPP_IN_COUNTRY_TRANSFER"
	r.citation == "15 CFR 740.29(a)"
	startswith(r.message, "LPP covers exports and reexports only")
}

test_sorted_orders_by_code_then_message if {
	s := {{"code": "B", "message": "x"}, {"code": "A", "message": "z"}, {"code": "A", "message": "y"}}
	result.sorted(s) == [{"code": "A", "message": "y"}, {"code": "A", "message": "z"}, {"code": "B", "message": "x"}]
}

test_reason_citing_names_the_paragraph_relied_on if {
	r := result.reason_citing("AUTH_CHOSEN", ["LPP", "15 CFR 740.29(a)-(d)", "x"], "15 CFR 740.29(a)-(d)")
	r.citation == "15 CFR 740.29(a)-(d)"
	r.code == "AUTH_CHOSEN"
}
