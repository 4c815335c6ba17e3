# The enforced view of export_chips: what BIS still enforces on the as-of date. The framework's
# own requirements were never binding (compliance date 15 May 2025) and BIS announced on 13 May
# 2025 that it would not enforce them, so this is the regime the framework replaced:
#   - 15 CFR 742.6(a)(6)(iii) as in force before 13 January 2025 (88 FR 73458, 17 November 2023):
#     a licence to or within D:1, D:4 or D:5, unless also A:5 or A:6 (Macau through D:1/D:4);
#   - 15 CFR 744.23(a)(3): a licence for entities headquartered, or with an ultimate parent
#     headquartered, in Macau or D:5, anywhere outside the United States (BIS guidance of
#     31 May 2026: still enforced, it predates the framework);
#   - License Exceptions NAC and ACA as they stood (15 CFR 740.8; ACA from 4 April 2024);
#   - review: denial for Macau/D:5 destinations or headquarters; approval otherwise (unverified).
# No allocations, no LPP, AIA or ACM, no Tier 1/Tier 2, no 4E091. Several facts are
# reconstructed, not read from a point-in-time CFR: see docs/interpretations.md, enforced view.
package aidf.baseline.chips

import data.aidf.chips.classify.a_level_tpp
import data.aidf.chips.classify.b_level_tpp
import data.aidf.chips.classify.tpp_total
import data.aidf.chips.request.d5_hq_links
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination_d1_d4_d5
import data.aidf.chips.request.destination_place
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

baseline_params := data.aidf.facts.params.baseline

as_of := input.as_of

destination := input.destination

consignee := input.ultimate_consignee

hq := consignee.headquarters

parent_hq := consignee.ultimate_parent_headquarters

in_force if baseline_params.from <= as_of

items := data.aidf.chips.classify.items

controlled := [c | some c in items; c.level in {"a", "b"}]

# The parties' country groups are read once per request, by aidf.chips.request.
destination_scope if destination_d1_d4_d5

destination_d5 if "destination" in d5_links

# "headquarters" and "ultimate parent's headquarters", when in Macau or D:5.
hq_links := d5_hq_links

needs_licence if {
	count(controlled) > 0
	destination_scope
}

needs_licence if {
	count(controlled) > 0
	count(hq_links) > 0
}

# NAC and ACA never cover items designed or marketed for data centers that meet 3A090.a.
data_center_a := [c.label | some c in controlled; c.level == "a"; c.designed_for_data_centers]

not_listed := [c.label | some c in controlled; not data.aidf.facts.eccns.entries[c.eccn].aca_nac]

items_eligible if {
	count(data_center_a) == 0
	count(not_listed) == 0
}

d5_link if destination_d5

d5_link if count(hq_links) > 0

nac if {
	needs_licence
	items_eligible
	input.transaction in {"export", "reexport"}
	d5_link
}

aca if {
	needs_licence
	items_eligible
	not d5_link
}

aca if {
	needs_licence
	items_eligible
	input.transaction == "in_country_transfer"
	destination_d5
}

# Before 4 April 2024 (89 FR 23876) ACA did not exist: the same cases were NAC without notification.
# Before the baseline itself (17 November 2023) nothing is authorized: there is nothing to decide.
authorization := null if {
	not in_force
} else := "ACA" if {
	aca
	baseline_params.aca_from <= as_of
} else := "NAC" if {
	aca
} else := "NAC" if {
	nac
} else := null

outcome := "framework_not_in_effect" if not in_force

outcome := "no_license_required" if {
	in_force
	not needs_licence
}

outcome := "license_exception" if {
	in_force
	needs_licence
	authorization != null
}

outcome := "license_required" if {
	in_force
	needs_licence
	authorization == null
}

review_policy := "presumption_of_denial" if {
	outcome == "license_required"
	d5_link
}

review_policy := "presumption_of_approval" if {
	outcome == "license_required"
	not d5_link
}

review_policy := null if outcome != "license_required"

reason(code, params) := data.aidf.lib.result.reason(code, params)

labels := fmt.prose([c.label | some c in controlled])

requirement_reasons contains reason("BASE_LIC_DESTINATION", [labels, destination_place]) if {
	count(controlled) > 0
	destination_scope
}

requirement_reasons contains reason("BASE_LIC_D5_HQ", [labels, fmt.prose(sort(hq_links))]) if {
	count(controlled) > 0
	count(hq_links) > 0
}

requirement_reasons contains reason("BASE_NLR", [destination_place]) if {
	in_force
	not needs_licence
}

authorization_reasons contains reason("BASE_AUTHORIZED", [authorization]) if authorization != null

authorization_reasons contains reason("BASE_NO_EXCEPTION_DATA_CENTER", [fmt.prose(data_center_a)]) if {
	needs_licence
	count(data_center_a) > 0
}

authorization_reasons contains reason("BASE_REVIEW_DENIAL", []) if review_policy == "presumption_of_denial"

authorization_reasons contains reason("BASE_REVIEW_APPROVAL", []) if review_policy == "presumption_of_approval"

not_enforced := [reason("BASE_FRAMEWORK_NOT_ENFORCED", [as_of])] if in_force else := []

reasons := array.concat(
	array.concat(result.sorted(data.aidf.chips.classify.reasons), result.sorted(requirement_reasons)),
	array.concat(result.sorted(authorization_reasons), not_enforced),
) if in_force

reasons := [reason("BASE_NOT_IN_FORCE", [as_of])] if not in_force

obligations := [
	result.obligation(
		"OBL_NAC_NOTIFICATION",
		[
			format_int(data.aidf.facts.params.nac.notice_days, 10),
			status.plus_days(as_of, data.aidf.facts.params.nac.notice_days),
		],
		sprintf("at least %d calendar days before the export or reexport", [data.aidf.facts.params.nac.notice_days]),
	),
	result.records_obligation("OBL_ACA_RECORDS", []),
] if {
	authorization == "NAC"
	nac
} else := [result.records_obligation("OBL_ACA_RECORDS", [])] if {
	authorization != null
} else := [result.obligation("OBL_LIC_APPLICATION", [], "before the export, reexport or transfer")] if {
	outcome == "license_required"
} else := []

words := data.aidf.facts.catalogue.outcomes

summary := sprintf("%s (enforced view): %s", [words[outcome], detail])

detail := sprintf("License Exception %s (15 CFR 740.8)", [authorization]) if authorization != null

detail := sprintf(
	"licence application reviewed under a %s",
	[data.aidf.facts.catalogue.review_policies[review_policy]],
) if {
	outcome == "license_required"
}

detail := "nothing BIS enforces on this date requires a licence for this shipment" if outcome == "no_license_required"

detail := sprintf("the enforced baseline (88 FR 73458) took effect on %s", [baseline_params.from]) if {
	outcome == "framework_not_in_effect"
}

considered := [{
	"authorization": a,
	"title": data.aidf.facts.catalogue.authorizations[a].title,
	"citation": data.aidf.facts.catalogue.authorizations[a].citation,
	"available": a == authorization,
	"why_not": [],
} | some a in ["ACA", "NAC"]]

decision := result.decision("export_chips", as_of, {
	"view": "enforced",
	"allowed": outcome in {"no_license_required", "license_exception"},
	"outcome": outcome,
	"authorization": authorization,
	"review_policy": review_policy,
	"summary": summary,
	"parties": {
		"destination": countries.party_of(destination, data.aidf.chips.request.destination_groups),
		"location": countries.party_of(data.aidf.chips.request.location, data.aidf.chips.request.location_groups),
		"headquarters": countries.party_of(hq, data.aidf.chips.request.hq_groups),
		"ultimate_parent_headquarters": countries.party_of(parent_hq, data.aidf.chips.request.parent_hq_groups),
	},
	"items": items,
	"lines": lines,
	"authorizations": {"available": available, "considered": considered},
	"reasons": [object.union(r, {"enforced": true}) | some r in reasons],
	"obligations": [object.union(o, {"enforced": true}) | some o in obligations],
	"tpp": {
		"shipment_total": tpp_total,
		"a_level": a_level_tpp,
		"b_level": b_level_tpp,
		"requiring_authorization": requiring,
		"counts_against": null,
	},
})

available := [authorization] if authorization != null else := []

needs_licence_flag(c) := true if {
	c.level in {"a", "b"}
	needs_licence
} else := false

line_authorization(c) := authorization if needs_licence_flag(c) else := null

lines := [line |
	some c in items
	line := {
		"index": c.index, "label": c.label, "level": c.level, "tpp_total": c.tpp_total,
		"needs_licence": needs_licence_flag(c),
		"authorization": line_authorization(c),
	}
]

requiring := total if {
	needs_licence
	total := sum([c.tpp_total | some c in controlled])
} else := 0
