# Licence review policy when no exception or VEU applies, and the Tier 2 country
# allocation (15 CFR 742.6(b)(10)(iii)-(iv)).
package aidf.chips.review

import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.request.as_of
import data.aidf.chips.request.country_licensed_tpp
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.destination_place
import data.aidf.chips.request.destination_supp5a
import data.aidf.chips.request.hq
import data.aidf.chips.request.hq_place
import data.aidf.chips.request.hq_supp5a
import data.aidf.chips.request.parent_hq
import data.aidf.chips.request.parent_hq_place
import data.aidf.chips.request.parent_hq_supp5a
import data.aidf.chips.requirement.licensable
import data.aidf.chips.requirement.licensable_a_tpp
import data.aidf.chips.requirement.licensable_tpp
import data.aidf.lib.allocation as lib_allocation
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

_a_items := [c | some c in licensable; c.level == "a"]

_b_items := [c | some c in licensable; c.level == "b"]

_d5_linked if count(d5_links) > 0

_dest_supp5a if destination_supp5a

# Tier 2 destinations are held to a per-country allocation (742.6(b)(10)(iii)(B)-(C)), unless the
# switch lets (A)(2) approval for a Supp. No. 5(a)-headquartered consignee prevail.
allocation_applies if {
	count(_a_items) > 0
	not _d5_linked
	not _dest_supp5a
	not _supp5a_hq_approval_prevails
}

_hq_in_supp5a if {
	hq_supp5a
	parent_hq_supp5a
}

_supp5a_hq_approval_prevails if {
	data.aidf.facts.params.interpretations.supp5a_headquarters_approval_over_allocation
	_hq_in_supp5a
}

_policies contains "presumption_of_approval" if {
	count(_a_items) > 0
	not _d5_linked
	not _dest_supp5a
	_supp5a_hq_approval_prevails
}

reasons contains result.reason("REV_SUPP5A_HQ_IN_TIER2", [
	fmt.prose(sort({hq_place, parent_hq_place})),
	destination_place,
	_overlap_reading,
]) if {
	count(_a_items) > 0
	not _d5_linked
	not _dest_supp5a
	_hq_in_supp5a
}

_overlap_reading := "lets the (A)(2) approval prevail: no allocation is counted" if _supp5a_hq_approval_prevails

_overlap_reading := "applies the stricter reading: the allocation counts" if not _supp5a_hq_approval_prevails

allocation := lib_allocation.country_allocation(
	destination, as_of, country_licensed_tpp, licensable_a_tpp,
) if allocation_applies

# Policies, strictest last.
_rank := {"presumption_of_approval": 0, "policy_of_denial": 1, "presumption_of_denial": 2}

_policies contains "presumption_of_denial" if _d5_linked

_policies contains "presumption_of_approval" if {
	count(_a_items) > 0
	not _d5_linked
	_dest_supp5a
}

_policies contains "presumption_of_approval" if {
	allocation_applies
	allocation.within_limit
}

_policies contains "policy_of_denial" if {
	allocation_applies
	not allocation.within_limit
}

_policies contains "presumption_of_approval" if {
	count(_b_items) > 0
	not _d5_linked
}

policy := p if {
	some p in _policies
	every q in _policies { _rank[q] <= _rank[p] }
}

reasons contains result.reason("REV_D5_DENIAL", [d5_link_facts]) if _d5_linked

reasons contains result.reason("REV_SUPP5A_APPROVAL", [destination_place]) if {
	count(_a_items) > 0
	not _d5_linked
	_dest_supp5a
}

# An interpretation where the rule is silent: see docs/interpretations.md.
reasons contains result.reason("REV_TIER2_HQ_IN_TIER1", [destination_place, fmt.prose(sort(outside))]) if {
	count(_a_items) > 0
	not _d5_linked
	_dest_supp5a
	outside := {countries.place(c) | some c in [hq, parent_hq]; not countries.supp5a(c, as_of)}
	count(outside) > 0
}

reasons contains lib_allocation.reason(allocation) if allocation_applies

reasons contains result.reason("REV_SUPP5B", [destination_place, fmt.int(allocation.limit_tpp)]) if {
	allocation_applies
	countries.supp5b(destination, as_of)
}

reasons contains result.reason("REV_B_APPROVAL", [fmt.prose(labels)]) if {
	count(_b_items) > 0
	not _d5_linked
	labels := [c.label | some c in _b_items]
}

obligations := [
	result.obligation("OBL_LIC_APPLICATION", [], "before the export, reexport or transfer"),
	result.obligation("OBL_LIC_AGGREGATE_TPP", [fmt.int(licensable_tpp)], "in the licence application"),
	result.obligation("OBL_LIC_VALIDITY", [], "when the licence is issued"),
]

# Everything a licence decision reads from the review, in one document: the decision evaluates it
# once, with input.items replaced by the lines the licence covers when those are not all the items.
# (policy and allocation: a one-element array when defined, else empty.)
licence_review := {
	"policy": [p | p := policy],
	"reasons": reasons,
	"obligations": obligations,
	"allocation": [a | allocation_applies; a := allocation],
}
