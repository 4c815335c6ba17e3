package aidf.compute.obligations_test

import data.aidf.compute.obligations
import data.aidf.testdata.requests
import data.aidf.testdata.requests.plan
import rego.v1

obligation_codes(p) := c if {
	c := [o.code | some o in data.aidf.compute.obligations.obligations] with input as p
}

test_new_country_needs_the_60_day_notice if {
	"OBL_UVEU_TRANSFER_NOTICE" in obligation_codes(plan)
	not "OBL_UVEU_TRANSFER_NOTICE" in obligation_codes(requests.place_in("DE", 1))
}

test_new_data_center_needs_the_180_day_notice if {
	p := object.union(plan, {"placement": {"new_data_center": true}})
	some o in data.aidf.compute.obligations.obligations with input as p
	o.code == "OBL_UVEU_NEW_DATA_CENTER_NOTICE"
	contains(o.message, "2026-07-31")
}

test_next_reporting_dates if {
	obligations.next_date(["02-01", "08-01"]) == "2026-08-01" with input as plan
	obligations.next_date(["02-01", "08-01"]) == "2027-02-01" with input as object.union(plan, {"as_of": "2026-08-01"})
}

test_security_paragraphs_before_and_after_15_january_2026 if {
	some before in data.aidf.compute.obligations.obligations with input as object.union(plan, {"as_of": "2025-07-01"})
	before.code == "OBL_SUPP10_SECURITY"
	contains(before.message, "198 days")
	some after in data.aidf.compute.obligations.obligations with input as plan
	after.code == "OBL_SUPP10_SECURITY"
	contains(after.message, "have applied since")
}
