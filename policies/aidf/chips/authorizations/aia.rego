# License Exception AIA for chips, 15 CFR 740.27(a)(1), (a)(2)(i).
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.aia

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.authorizations.common.restriction_facts
import data.aidf.chips.request.aia_cumulative_tpp
import data.aidf.chips.request.destination
import data.aidf.chips.request.destination_place
import data.aidf.chips.request.destination_supp5a
import data.aidf.chips.request.end_use
import data.aidf.chips.request.hq_place
import data.aidf.chips.request.hq_supp5a
import data.aidf.chips.request.location
import data.aidf.chips.request.location_place
import data.aidf.chips.request.location_supp5a
import data.aidf.chips.request.parent_hq_place
import data.aidf.chips.request.parent_hq_supp5a
import data.aidf.chips.requirement.licensable_a_tpp
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

name := "AIA"

outcome := "license_exception"

# AIA counts against no allocation or limit.
counts_against := null

blockers contains result.reason("AIA_ITEMS", [common.not_listed_labels("aia")]) if count(common.not_listed("aia")) > 0

blockers contains result.reason("AIA_LOCATION", [location_place]) if not location_supp5a

blockers contains result.reason("AIA_DESTINATION", [destination_place]) if {
	destination != location
	not destination_supp5a
}

blockers contains result.reason("AIA_HEADQUARTERS", [hq_place]) if not hq_supp5a

blockers contains result.reason("AIA_PARENT_HEADQUARTERS", [parent_hq_place]) if {
	not parent_hq_supp5a
}

blockers contains result.reason("AIA_IAAS_TRAINING", []) if end_use == "iaas_training_4e091_for_non_supp5a"

blockers contains result.reason("EXC_740_2_BARRED", [name, restriction_facts]) if common.barred_by_740_2("AIA_CHIPS")

blockers contains common.ic_designer_blocker(name)

obligations := [o |
	some part in [
		common.ic_designer_obligations(name),
		[
			result.obligation("OBL_AIA_ECCN_NOTICE", [], "before the first shipment of each item"),
			result.obligation(
				"OBL_AIA_CERTIFICATION",
				[],
				"before the first export, reexport or transfer to this consignee",
			),
			result.obligation("OBL_AIA_SHIPMENT_NOTICE", [], "with every shipment"),
		],
		_bis_copy,
		[result.records_obligation("OBL_AIA_RECORDS", [])],
	]
	some o in part
]

_cumulative_after := aia_cumulative_tpp + licensable_a_tpp

_threshold := params.aia.bis_certification_copy_tpp

_bis_copy_required if {
	params.interpretations.aia_certification_copy_at_or_above
	_cumulative_after >= _threshold
}

_bis_copy_required if {
	not params.interpretations.aia_certification_copy_at_or_above
	_cumulative_after > _threshold
}

_bis_copy := [result.obligation(
	"OBL_AIA_BIS_COPY",
	[
		fmt.int(aia_cumulative_tpp), fmt.int(licensable_a_tpp),
		fmt.int(_cumulative_after), fmt.int(_threshold),
	],
	"before the initial export, reexport or transfer that reaches the threshold",
)] if {
	_bis_copy_required
} else := []
