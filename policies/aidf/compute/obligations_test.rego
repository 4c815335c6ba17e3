package aidf.compute.obligations_test

import data.aidf.compute.obligations
import data.aidf.testdata.requests
import rego.v1

obligation_codes(p) := c if {
	c := [o.code | some o in data.aidf.compute.obligations.obligations] with input as p
}

test_new_country_needs_the_60_day_notice if {
	"OBL_UVEU_TRANSFER_NOTICE" in obligation_codes(requests.plan)
	not "OBL_UVEU_TRANSFER_NOTICE" in obligation_codes(data.aidf.testdata.requests.place_in("DE", 1))
}

test_new_data_center_needs_the_180_day_notice if {
	p := object.union(requests.plan, {"placement": {"new_data_center": true}})
	some o in obligations.obligations with input as p
	o.code == "OBL_UVEU_NEW_DATA_CENTER_NOTICE"
	contains(o.message, "2026-07-31")
}

test_next_reporting_dates if {
	data.aidf.compute.obligations.next_date(["02-01", "08-01"]) == "2026-08-01" with input as requests.plan
	data.aidf.compute.obligations.next_date(["02-01", "08-01"]) == "2027-02-01" with input as object.union(requests.plan, {"as_of": "2026-08-01"})
}

test_security_paragraphs_before_and_after_15_january_2026 if {
	some before in obligations.obligations with input as object.union(requests.plan, {"as_of": "2025-07-01"})
	before.code == "OBL_SUPP10_SECURITY"
	contains(before.message, "198 days")
	some after in obligations.obligations with input as requests.plan
	after.code == "OBL_SUPP10_SECURITY"
	contains(after.message, "have applied since")
}
