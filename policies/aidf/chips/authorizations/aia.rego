# License Exception AIA for chips, 15 CFR 740.27(a)(1), (a)(2)(i) (RULE.md 4.1).
package aidf.chips.authorizations.aia

import data.aidf.chips.authorizations.common
import data.aidf.chips.request as req
import data.aidf.chips.requirement
import rego.v1

name := "AIA"

blockers contains data.aidf.lib.result.reason("AIA_ITEMS", [data.aidf.chips.authorizations.common.not_listed_labels("aia")]) if count(data.aidf.chips.authorizations.common.not_listed("aia")) > 0

blockers contains data.aidf.lib.result.reason("AIA_LOCATION", [data.aidf.lib.countries.place(req.location)]) if not data.aidf.lib.countries.supp5a(req.location, req.as_of)

blockers contains data.aidf.lib.result.reason("AIA_DESTINATION", [data.aidf.lib.countries.place(req.destination)]) if {
	req.destination != req.location
	not data.aidf.lib.countries.supp5a(req.destination, req.as_of)
}

blockers contains data.aidf.lib.result.reason("AIA_HEADQUARTERS", [data.aidf.lib.countries.place(req.hq)]) if not data.aidf.lib.countries.supp5a(req.hq, req.as_of)

blockers contains data.aidf.lib.result.reason("AIA_PARENT_HEADQUARTERS", [data.aidf.lib.countries.place(req.parent_hq)]) if not data.aidf.lib.countries.supp5a(req.parent_hq, req.as_of)

blockers contains data.aidf.lib.result.reason("AIA_IAAS_TRAINING", []) if req.end_use == "iaas_training_4e091_for_non_supp5a"

blockers contains data.aidf.lib.result.reason("EXC_740_2_BARRED", ["AIA", common.restriction_facts]) if data.aidf.chips.authorizations.common.barred_by_740_2("AIA_CHIPS")

blockers contains data.aidf.chips.authorizations.common.ic_designer_blocker("AIA")

cumulative_after := req.aia_cumulative_tpp + requirement.licensable_a_tpp

threshold := common.params.aia.bis_certification_copy_tpp

bis_copy_required if {
	common.params.interpretations.aia_certification_copy_at_or_above
	cumulative_after >= threshold
}

bis_copy_required if {
	not common.params.interpretations.aia_certification_copy_at_or_above
	cumulative_after > threshold
}

obligations := array.concat(
	array.concat(data.aidf.chips.authorizations.common.ic_designer_obligations("AIA"), [
		data.aidf.lib.result.obligation("OBL_AIA_ECCN_NOTICE", [], "before the first shipment of each item"),
		data.aidf.lib.result.obligation("OBL_AIA_CERTIFICATION", [], "before the first export, reexport or transfer to this consignee"),
		data.aidf.lib.result.obligation("OBL_AIA_SHIPMENT_NOTICE", [], "with every shipment"),
	]),
	array.concat(bis_copy, [data.aidf.lib.result.obligation("OBL_AIA_RECORDS", [], "keep for five years (15 CFR 762.6)")]),
)

bis_copy := [data.aidf.lib.result.obligation(
	"OBL_AIA_BIS_COPY",
	[
		data.aidf.lib.fmt.int(req.aia_cumulative_tpp), data.aidf.lib.fmt.int(requirement.licensable_a_tpp),
		data.aidf.lib.fmt.int(cumulative_after), data.aidf.lib.fmt.int(threshold),
	],
	"before the initial export, reexport or transfer that reaches the threshold",
)] if {
	bis_copy_required
} else := []
