# License Exception LPP, 15 CFR 740.29.
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.lpp

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.authorizations.common.restriction_facts
import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.lpp_received_this_year
import data.aidf.chips.request.parent_hq
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable_a_tpp
import data.aidf.lib.allocation
import data.aidf.lib.fmt
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

name := "LPP"

outcome := "license_exception"

# The ultimate parent's calendar-year limit this shipment counts against (740.29(d), (h)).
counts_against := object.union(_usage, {"ultimate_parent_headquarters": parent_hq})

blockers contains result.reason("LPP_ITEMS", [common.not_listed_labels("lpp")]) if count(common.not_listed("lpp")) > 0

blockers contains result.reason("LPP_IN_COUNTRY_TRANSFER", []) if transaction == "in_country_transfer"

blockers contains result.reason("LPP_NOT_DIRECT", []) if not input.direct_to_ultimate_consignee == true

blockers contains result.reason("LPP_D5_LINK", [d5_link_facts]) if count(d5_links) > 0

blockers contains result.reason("EXC_740_2_BARRED", [name, restriction_facts]) if {
	_interpretations.lpp_subject_to_740_2_a_9_ii
	common.barred_by_740_2(name)
}

blockers contains result.reason("LPP_ANNUAL_LIMIT", [
	fmt.int(_before), fmt.int(_this_shipment), fmt.int(_after),
	fmt.int(_limit), fmt.int(_headroom_before),
]) if {
	_after > _limit
}

obligations := [o |
	some part in [
		[result.obligation("OBL_LPP_CERTIFICATION", [], "before the shipment (a condition of using LPP)")],
		_pre_shipment_notice,
		[
			result.obligation(
				"OBL_LPP_CERTIFICATION_COPY",
				[format_int(_lpp.certification_copy_days, 10), status.plus_days(as_of, _lpp.certification_copy_days)],
				sprintf("within %d days after the export or reexport", [_lpp.certification_copy_days]),
			),
			result.records_obligation("OBL_LPP_RECORDS", []),
		],
		_limit_reached,
	]
	some o in part
]

_lpp := params.lpp

_interpretations := params.interpretations

_limit := _lpp.annual_limit_tpp

# TPP counted toward the ultimate parent's calendar-year limit (740.29(d), (h)).
_this_shipment := licensable_a_tpp

_before := lpp_received_this_year

_usage := allocation.usage("lpp_annual_limit", _limit, _before, _this_shipment)

_after := _usage.after

_headroom_before := _usage.headroom_before

_pre_shipment_notice_due if {
	_interpretations.lpp_pre_shipment_notice_at_or_above
	_this_shipment >= _lpp.pre_shipment_notice_tpp
}

_pre_shipment_notice_due if {
	not _interpretations.lpp_pre_shipment_notice_at_or_above
	_this_shipment > _lpp.pre_shipment_notice_tpp
}

_pre_shipment_notice := [result.obligation(
	"OBL_LPP_PRE_SHIPMENT_NOTICE",
	[fmt.int(_this_shipment), fmt.int(_lpp.pre_shipment_notice_tpp)],
	"before the shipment",
)] if {
	_pre_shipment_notice_due
} else := []

_limit_reached := [result.obligation(
	"OBL_LPP_LIMIT_REACHED",
	[fmt.int(_after), fmt.int(_limit)],
	"as soon as the consignee receives this shipment",
)] if {
	_after == _limit
} else := []
