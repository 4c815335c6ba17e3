package aidf.chips.lines_test

import data.aidf.chips.decision.decision
import data.aidf.chips.lines.every_line_covered
import data.aidf.chips.lines.mixed
import data.aidf.chips.lines.uncovered
import data.aidf.chips.lines.view
import rego.v1

h100 := {
	"description": "H100",
	"quantity": 100,
	"tpp_per_unit": 15832,
	"performance_density": 19.4,
	"designed_for_data_centers": true,
}

b_chip := {
	"description": "b chip",
	"quantity": 100,
	"tpp_per_unit": 4000,
	"performance_density": 5.0,
	"designed_for_data_centers": true,
}

to_vietnam(items) := object.union(data.aidf.testdata.requests.base, {
	"destination": "VN",
	"ultimate_consignee": {"located_in": "VN", "headquarters": "VN", "ultimate_parent_headquarters": "VN"},
	"items": items,
})

test_a_mixed_shipment_is_decided_line_by_line if {
	req := to_vietnam([h100, b_chip])
	mixed with input as req
	[l.authorization | some l in view] == [null, "ACA"] with input as req
	count(uncovered) == 1 with input as req
	not every_line_covered with input as req
}

test_one_authorization_for_everything_is_not_mixed if {
	req := to_vietnam([b_chip, object.union(b_chip, {"description": "another b chip"})])
	not mixed with input as req
	[l.authorization | some l in view] == ["ACA", "ACA"] with input as req
}

test_the_licence_covers_only_the_uncovered_lines if {
	d := decision with input as to_vietnam([h100, b_chip])
	d.outcome == "license_required"
	d.tpp.counts_against.this_request == 1583200
	"LINES_SPLIT" in {r.code | some r in d.reasons}
	"OBL_ACA_RECORDS" in {o.code | some o in d.obligations}
}
