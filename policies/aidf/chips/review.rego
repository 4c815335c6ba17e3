# Licence review policy when no exception or VEU applies, and the Tier 2 country
# allocation (15 CFR 742.6(b)(10)(iii)-(iv); RULE.md 3.1, 6).
package aidf.chips.review

import data.aidf.chips.authorizations.common
import data.aidf.chips.request as req
import data.aidf.chips.requirement
import rego.v1

a_items := [c | some c in requirement.licensable; c.level == "a"]

b_items := [c | some c in requirement.licensable; c.level == "b"]

d5_linked if count(req.d5_links) > 0

dest_supp5a if data.aidf.lib.countries.supp5a(req.destination, req.as_of)

# Tier 2 destinations are held to a per-country allocation (742.6(b)(10)(iii)(B)-(C)), unless the
# switch lets (A)(2) approval for a Supp. No. 5(a)-headquartered consignee prevail.
allocation_applies if {
	count(a_items) > 0
	not d5_linked
	not dest_supp5a
	not supp5a_hq_approval_prevails
}

hq_in_supp5a if {
	data.aidf.lib.countries.supp5a(req.hq, req.as_of)
	data.aidf.lib.countries.supp5a(req.parent_hq, req.as_of)
}

supp5a_hq_approval_prevails if {
	data.aidf.facts.params.interpretations.supp5a_headquarters_approval_over_allocation
	hq_in_supp5a
}

policies contains "presumption_of_approval" if {
	count(a_items) > 0
	not d5_linked
	not dest_supp5a
	supp5a_hq_approval_prevails
}

reasons contains data.aidf.lib.result.reason("REV_SUPP5A_HQ_IN_TIER2", [
	data.aidf.lib.fmt.prose(sort({data.aidf.lib.countries.place(req.hq), data.aidf.lib.countries.place(req.parent_hq)})),
	data.aidf.lib.countries.place(req.destination),
	overlap_reading,
]) if {
	count(a_items) > 0
	not d5_linked
	not dest_supp5a
	hq_in_supp5a
}

overlap_reading := "lets the (A)(2) approval prevail: no allocation is counted" if supp5a_hq_approval_prevails

overlap_reading := "applies the stricter reading: the allocation counts" if not supp5a_hq_approval_prevails

allocation := data.aidf.lib.allocation.country_allocation(
	req.destination, req.as_of, req.country_licensed_tpp, requirement.licensable_a_tpp,
) if allocation_applies

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

reasons contains data.aidf.lib.result.reason("REV_SUPP5A_APPROVAL", [data.aidf.lib.countries.place(req.destination)]) if {
	count(a_items) > 0
	not d5_linked
	dest_supp5a
}

# Reading chosen for RULE.md open question 10: see docs/interpretations.md.
reasons contains data.aidf.lib.result.reason("REV_TIER2_HQ_IN_TIER1", [data.aidf.lib.countries.place(req.destination), data.aidf.lib.fmt.prose(sort(outside))]) if {
	count(a_items) > 0
	not d5_linked
	dest_supp5a
	outside := {data.aidf.lib.countries.place(c) | some c in [req.hq, req.parent_hq]; not data.aidf.lib.countries.supp5a(c, req.as_of)}
	count(outside) > 0
}

reasons contains data.aidf.lib.allocation.reason(allocation) if allocation_applies

reasons contains data.aidf.lib.result.reason("REV_SUPP5B", [data.aidf.lib.countries.place(req.destination), data.aidf.lib.fmt.int(allocation.limit_tpp)]) if {
	allocation_applies
	data.aidf.lib.countries.supp5b(req.destination, req.as_of)
}

reasons contains data.aidf.lib.result.reason("REV_B_APPROVAL", [data.aidf.lib.fmt.prose(labels)]) if {
	count(b_items) > 0
	not d5_linked
	labels := [c.label | some c in b_items]
}

obligations := [
	data.aidf.lib.result.obligation("OBL_LIC_APPLICATION", [], "before the export, reexport or transfer"),
	data.aidf.lib.result.obligation("OBL_LIC_AGGREGATE_TPP", [data.aidf.lib.fmt.int(requirement.licensable_tpp)], "in the licence application"),
	data.aidf.lib.result.obligation("OBL_LIC_VALIDITY", [], "when the licence is issued"),
]
