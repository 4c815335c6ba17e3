# The enforced view of every action (see aidf.baseline.chips for the regime). The framework's own
# requirements (the worldwide .a licence, Tier 2 allocations, LPP, AIA and ACM conditions, Data
# Center VEU limits, ECCN 4E091) are reported as not enforced on the as-of date; what BIS still
# enforces is decided: shipments by aidf.baseline.chips, placements of chips by the same tests.
package aidf.baseline.view

import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import rego.v1

as_of := input.as_of

in_force if data.aidf.facts.params.baseline.from <= as_of

decision := data.aidf.baseline.chips.decision if {
	input.action == "export_chips"
	not domestic
}

# A sale, hand-over or placement inside the United States is no export, reexport or in-country
# transfer (15 CFR 734.13-734.16): the baseline's licence requirements, the Macau/D:5-headquarters
# one included, reach destinations outside the United States only. As written, so enforced.
domestic if {
	in_force
	written.outcome == "not_subject"
	input.action in {"export_chips", "deploy_compute"}
}

decision := object.union(written, {
	"view": "enforced",
	"reasons": marked(object.get(written, "reasons", []), true),
	"obligations": marked(object.get(written, "obligations", []), true),
}) if domestic

decision := not_enforced if {
	input.action in {"transfer_model_weights", "train_model", "country_allocation"}
	in_force
}

decision := not_in_force if {
	input.action != "export_chips"
	not in_force
}

decision := placement if {
	input.action == "deploy_compute"
	in_force
	not domestic
}

written := data.aidf.main.written

marked(list, flag) := [object.union(x, {"enforced": flag}) | some x in list]

not_enforced_reason := result.reason("BASE_ACTION_NOT_ENFORCED", [
	data.aidf.facts.catalogue.actions[input.action],
	as_of,
])

not_enforced := object.union(written, {
	"view": "enforced",
	"outcome": "not_enforced",
	"allowed": true,
	"authorization": null,
	"review_policy": null,
	"summary": sprintf("%s (enforced view): %s", [
		data.aidf.facts.catalogue.outcomes.not_enforced,
		not_enforced_reason.message,
	]),
	"reasons": array.concat(marked([not_enforced_reason], true), marked(object.get(written, "reasons", []), false)),
	"obligations": marked(object.get(written, "obligations", []), false),
})

not_in_force := object.union(written, {
	"view": "enforced",
	"outcome": "framework_not_in_effect",
	"allowed": false,
	"authorization": null,
	"review_policy": null,
	"summary": sprintf(
		"Not evaluated (enforced view): the enforced baseline (88 FR 73458) took effect on %s",
		[data.aidf.facts.params.baseline.from],
	),
	"reasons": marked([result.reason("BASE_NOT_IN_FORCE", [as_of])], true),
	"obligations": [],
})

# A placement of chips in a country the baseline restricts, or by a Macau/D:5-headquartered
# owner, is itself an export, reexport or transfer that needs a licence (742.6(a)(6)(iii);
# 744.23(a)(3)); everything else about the placement is the framework's VEU regime.
country := countries.canonical(input.placement.country)

placement_links contains sprintf(
	"the placement country %s is in Country Group D:1, D:4 or D:5 and not in A:5 or A:6",
	[countries.place(country)],
) if {
	countries.d1_d4_d5_not_a5_a6(country, as_of)
}

# Outside the United States only: a placement inside it is no export (15 CFR 734.13-734.16).
placement_links contains sprintf("the owner's %s is in Macau or Country Group D:5", [role]) if {
	not jurisdiction.in_united_states(country)
	some role, code in {
		"headquarters": input.owner.headquarters,
		"ultimate parent's headquarters": input.owner.ultimate_parent_headquarters,
	}
	countries.macau_or_d5(code, as_of)
}

placement_d5 if countries.macau_or_d5(country, as_of)

placement_d5 if {
	some code in [input.owner.headquarters, input.owner.ultimate_parent_headquarters]
	countries.macau_or_d5(code, as_of)
}

placement := not_enforced if count(placement_links) == 0

placement := object.union(written, {
	"view": "enforced",
	"outcome": "license_required",
	"allowed": false,
	"authorization": null,
	"review_policy": policy,
	"summary": sprintf("Licence required (enforced view): %s", [fmt.prose(sort(placement_links))]),
	"reasons": array.concat(
		marked([result.reason("BASE_PLACEMENT_LICENCE", [fmt.prose(sort(placement_links))])], true),
		marked(object.get(written, "reasons", []), false),
	),
	"obligations": marked([result.obligation("OBL_LIC_APPLICATION", [], "before the export, reexport or transfer")], true),
}) if {
	count(placement_links) > 0
	policy := placement_policy
}

placement_policy := "presumption_of_denial" if placement_d5 else := "presumption_of_approval"
