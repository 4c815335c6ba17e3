# License Exception LPP, 15 CFR 740.29.
package aidf.chips.authorizations.lpp

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.authorizations.common.restriction_facts
import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.lpp_received_this_year
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable_a_tpp
import data.aidf.lib.allocation
import data.aidf.lib.fmt
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

name := "LPP"

lpp_params := params.lpp

interp := params.interpretations

limit := lpp_params.annual_limit_tpp

# TPP counted toward the ultimate parent's calendar-year limit (740.29(d), (h)).
this_shipment := licensable_a_tpp

before := lpp_received_this_year

usage := allocation.usage("lpp_annual_limit", limit, before, this_shipment)

after := usage.after

headroom_before := usage.headroom_before

blockers contains result.reason("LPP_ITEMS", [common.not_listed_labels("lpp")]) if count(common.not_listed("lpp")) > 0

blockers contains result.reason("LPP_IN_COUNTRY_TRANSFER", []) if transaction == "in_country_transfer"

blockers contains result.reason("LPP_NOT_DIRECT", []) if not input.direct_to_ultimate_consignee == true

blockers contains result.reason("LPP_D5_LINK", [d5_link_facts]) if count(d5_links) > 0

blockers contains result.reason("EXC_740_2_BARRED", ["LPP", restriction_facts]) if {
	interp.lpp_subject_to_740_2_a_9_ii
	common.barred_by_740_2("LPP")
}

blockers contains result.reason("LPP_ANNUAL_LIMIT", [fmt.int(before), fmt.int(this_shipment), fmt.int(after), fmt.int(limit), fmt.int(headroom_before)]) if after > limit

pre_shipment_notice if {
	interp.lpp_pre_shipment_notice_at_or_above
	this_shipment >= lpp_params.pre_shipment_notice_tpp
}

pre_shipment_notice if {
	not interp.lpp_pre_shipment_notice_at_or_above
	this_shipment > lpp_params.pre_shipment_notice_tpp
}

obligations := array.concat(
	array.concat([result.obligation("OBL_LPP_CERTIFICATION", [], "before the shipment (a condition of using LPP)")], pre_shipment),
	array.concat(
		[
			result.obligation(
				"OBL_LPP_CERTIFICATION_COPY",
				[format_int(lpp_params.certification_copy_days, 10), status.plus_days(as_of, lpp_params.certification_copy_days)],
				sprintf("within %d days after the export or reexport", [lpp_params.certification_copy_days]),
			),
			result.obligation("OBL_LPP_RECORDS", [], "keep for five years (15 CFR 762.6)"),
		],
		limit_reached,
	),
)

pre_shipment := [result.obligation(
	"OBL_LPP_PRE_SHIPMENT_NOTICE",
	[fmt.int(this_shipment), fmt.int(lpp_params.pre_shipment_notice_tpp)],
	"before the shipment",
)] if {
	pre_shipment_notice
} else := []

limit_reached := [result.obligation(
	"OBL_LPP_LIMIT_REACHED",
	[fmt.int(after), fmt.int(limit)],
	"as soon as the consignee receives this shipment",
)] if {
	after == limit
} else := []
