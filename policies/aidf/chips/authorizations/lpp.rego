# License Exception LPP, 15 CFR 740.29 (RULE.md 4.3).
package aidf.chips.authorizations.lpp

import data.aidf.chips.authorizations.common
import data.aidf.chips.request as req
import data.aidf.chips.requirement
import rego.v1

name := "LPP"

lpp_params := common.params.lpp

interp := common.params.interpretations

limit := lpp_params.annual_limit_tpp

# TPP counted toward the ultimate parent's calendar-year limit (740.29(d), (h)).
this_shipment := requirement.licensable_a_tpp

before := req.lpp_received_this_year

usage := data.aidf.lib.allocation.usage("lpp_annual_limit", limit, before, this_shipment)

after := usage.after

headroom_before := usage.headroom_before

blockers contains data.aidf.lib.result.reason("LPP_ITEMS", [data.aidf.chips.authorizations.common.not_listed_labels("lpp")]) if count(data.aidf.chips.authorizations.common.not_listed("lpp")) > 0

blockers contains data.aidf.lib.result.reason("LPP_IN_COUNTRY_TRANSFER", []) if req.transaction == "in_country_transfer"

blockers contains data.aidf.lib.result.reason("LPP_NOT_DIRECT", []) if not input.direct_to_ultimate_consignee == true

blockers contains data.aidf.lib.result.reason("LPP_D5_LINK", [common.d5_link_facts]) if count(req.d5_links) > 0

blockers contains data.aidf.lib.result.reason("EXC_740_2_BARRED", ["LPP", common.restriction_facts]) if {
	interp.lpp_subject_to_740_2_a_9_ii
	data.aidf.chips.authorizations.common.barred_by_740_2("LPP")
}

blockers contains data.aidf.lib.result.reason("LPP_ANNUAL_LIMIT", [data.aidf.lib.fmt.int(before), data.aidf.lib.fmt.int(this_shipment), data.aidf.lib.fmt.int(after), data.aidf.lib.fmt.int(limit), data.aidf.lib.fmt.int(headroom_before)]) if after > limit

pre_shipment_notice if {
	interp.lpp_pre_shipment_notice_at_or_above
	this_shipment >= lpp_params.pre_shipment_notice_tpp
}

pre_shipment_notice if {
	not interp.lpp_pre_shipment_notice_at_or_above
	this_shipment > lpp_params.pre_shipment_notice_tpp
}

obligations := array.concat(
	array.concat([data.aidf.lib.result.obligation("OBL_LPP_CERTIFICATION", [], "before the shipment (a condition of using LPP)")], pre_shipment),
	array.concat(
		[
			data.aidf.lib.result.obligation(
				"OBL_LPP_CERTIFICATION_COPY",
				[format_int(lpp_params.certification_copy_days, 10), data.aidf.lib.status.plus_days(req.as_of, lpp_params.certification_copy_days)],
				sprintf("within %d days after the export or reexport", [lpp_params.certification_copy_days]),
			),
			data.aidf.lib.result.obligation("OBL_LPP_RECORDS", [], "keep for five years (15 CFR 762.6)"),
		],
		limit_reached,
	),
)

pre_shipment := [data.aidf.lib.result.obligation(
	"OBL_LPP_PRE_SHIPMENT_NOTICE",
	[data.aidf.lib.fmt.int(this_shipment), data.aidf.lib.fmt.int(lpp_params.pre_shipment_notice_tpp)],
	"before the shipment",
)] if {
	pre_shipment_notice
} else := []

limit_reached := [data.aidf.lib.result.obligation(
	"OBL_LPP_LIMIT_REACHED",
	[data.aidf.lib.fmt.int(after), data.aidf.lib.fmt.int(limit)],
	"as soon as the consignee receives this shipment",
)] if {
	after == limit
} else := []
