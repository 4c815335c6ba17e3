# Licence review policy when no exception or VEU applies, and the Tier 2 country
# allocation (15 CFR 742.6(b)(10)(iii)-(iv); RULE.md 3.1, 6).
package aidf.chips.review

import data.aidf.chips.authorizations.common
import data.aidf.chips.request as req
import data.aidf.chips.requirement
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

params := data.aidf.facts.params

a_items := [c | some c in requirement.licensable; c.level == "a"]

b_items := [c | some c in requirement.licensable; c.level == "b"]

d5_linked if count(req.d5_links) > 0

dest_supp5a if data.aidf.lib.countries.supp5a(req.destination, req.as_of)

# Tier 2 destinations are held to a per-country allocation (742.6(b)(10)(iii)(B)-(C)).
allocation_applies if {
	count(a_items) > 0
	not d5_linked
	not dest_supp5a
}

allocation_tpp := data.aidf.lib.countries.supp5b_allocation(req.destination, req.as_of)

allocation_tpp := params.allocation.default_tpp if not data.aidf.lib.countries.supp5b(req.destination, req.as_of)

allocation := {
	"limit": "country_allocation",
	"country": req.destination,
	"limit_tpp": allocation_tpp,
	"used_before": req.country_licensed_tpp,
	"this_request": requirement.licensable_a_tpp,
	"after": after,
	"headroom_before": max([0, allocation_tpp - req.country_licensed_tpp]),
	"headroom_after": max([0, allocation_tpp - after]),
	"within_limit": after <= allocation_tpp,
} if allocation_applies

after := req.country_licensed_tpp + requirement.licensable_a_tpp

# Policies, strictest last.
rank := {"presumption_of_approval": 0, "policy_of_denial": 1, "presumption_of_denial": 2}

policies contains "presumption_of_denial" if d5_linked

policies contains "presumption_of_approval" if {
	count(a_items) > 0
	not d5_linked
	dest_supp5a
}

policies contains "presumption_of_approval" if {
	allocation_applies
	allocation.within_limit
}

policies contains "policy_of_denial" if {
	allocation_applies
	not allocation.within_limit
}

policies contains "presumption_of_approval" if {
	count(b_items) > 0
	not d5_linked
}

policy := p if {
	some p in policies
	every q in policies { rank[q] <= rank[p] }
}

reasons contains data.aidf.lib.result.reason("REV_D5_DENIAL", [common.d5_link_facts]) if d5_linked

reasons contains data.aidf.lib.result.reason("REV_SUPP5A_APPROVAL", [data.aidf.chips.request.place(req.destination)]) if {
	count(a_items) > 0
	not d5_linked
	dest_supp5a
}

# Reading chosen for RULE.md open question 10: see docs/interpretations.md.
reasons contains data.aidf.lib.result.reason("REV_TIER2_HQ_IN_TIER1", [data.aidf.chips.request.place(req.destination), data.aidf.lib.fmt.prose(sort(outside))]) if {
	count(a_items) > 0
	not d5_linked
	dest_supp5a
	outside := {data.aidf.chips.request.place(c) | some c in [req.hq, req.parent_hq]; not data.aidf.lib.countries.supp5a(c, req.as_of)}
	count(outside) > 0
}

reasons contains data.aidf.lib.result.reason("REV_ALLOCATION_WITHIN", allocation_params) if {
	allocation_applies
	allocation.within_limit
}

reasons contains data.aidf.lib.result.reason("REV_ALLOCATION_EXCEEDED", allocation_params) if {
	allocation_applies
	not allocation.within_limit
}

reasons contains data.aidf.lib.result.reason("REV_SUPP5B", [data.aidf.chips.request.place(req.destination), data.aidf.lib.fmt.int(allocation_tpp)]) if {
	allocation_applies
	data.aidf.lib.countries.supp5b(req.destination, req.as_of)
}

reasons contains data.aidf.lib.result.reason("REV_B_APPROVAL", [data.aidf.lib.fmt.prose(labels)]) if {
	count(b_items) > 0
	not d5_linked
	labels := [c.label | some c in b_items]
}

allocation_params := [
	data.aidf.chips.request.place(req.destination),
	data.aidf.lib.fmt.int(allocation.used_before),
	data.aidf.lib.fmt.int(allocation.this_request),
	data.aidf.lib.fmt.int(allocation.after),
	data.aidf.lib.fmt.int(allocation.limit_tpp),
	data.aidf.lib.fmt.int(allocation.headroom_before),
]

obligations := [
	data.aidf.lib.result.obligation("OBL_LIC_APPLICATION", [], "before the export, reexport or transfer"),
	data.aidf.lib.result.obligation("OBL_LIC_AGGREGATE_TPP", [data.aidf.lib.fmt.int(requirement.licensable_tpp)], "in the licence application"),
	data.aidf.lib.result.obligation("OBL_LIC_VALIDITY", [], "when the licence is issued"),
]
