package aidf.chips.review_test

import data.aidf.chips.review.allocation
import data.aidf.chips.review.allocation_applies
import data.aidf.chips.review.policy
import data.aidf.chips.review.reasons
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import rego.v1

licensed(country, hq, before) := object.union(
	data.aidf.testdata.requests.at(country, hq),
	{"history": {"country_licensed_tpp": before}},
)

test_d5_link_means_presumption_of_denial if {
	cn_parent := object.union(base, {"ultimate_consignee": {"ultimate_parent_headquarters": "CN"}})
	policy == "presumption_of_denial" with input as cn_parent
	policy == "presumption_of_denial" with input as requests.at("MO", "MO")
}

test_supp5a_destination_means_presumption_of_approval if {
	policy == "presumption_of_approval" with input as base
	not allocation_applies with input as base
}

test_allocation_is_inclusive_at_790_million if {
	policy == "presumption_of_approval" with input as licensed("MY", "MY", 790000000 - 15832000)
	policy == "policy_of_denial" with input as licensed("MY", "MY", (790000000 - 15832000) + 1)
}

test_allocation_reports_headroom if {
	a := allocation with input as licensed("MY", "MY", 700000000)
	a.headroom_before == 90000000
	a.after == 715832000
	a.headroom_after == 74168000
	a.within_limit
}

test_supp5b_countries_get_their_raised_allocation if {
	raised_members := [{"code": "MY", "allocation_tpp": 1580000000}]
	malaysia := licensed("MY", "MY", 1000000000)
	a := allocation with input as malaysia with data.aidf.facts.countries.groups.supp5b.members as raised_members
	a.limit_tpp == 1580000000
	a.within_limit
}

# Overlap (A)(2) / (B): a Supp. No. 5(a)-headquartered consignee in a Tier 2 destination.
us_company_in_vietnam := object.union(base, {
	"destination": "VN",
	"ultimate_consignee": {"located_in": "VN", "headquarters": "US", "ultimate_parent_headquarters": "US"},
})

test_supp5a_headquarters_in_tier2_counts_the_allocation_and_flags_it if {
	allocation_applies with input as us_company_in_vietnam
	"REV_SUPP5A_HQ_IN_TIER2" in {r.code | some r in reasons} with input as us_company_in_vietnam
}

test_the_switch_lets_the_approval_prevail if {
	not allocation_applies with input as us_company_in_vietnam
		with data.aidf.facts.params.interpretations.supp5a_headquarters_approval_over_allocation as true
	policy == "presumption_of_approval" with input as us_company_in_vietnam
		with data.aidf.facts.params.interpretations.supp5a_headquarters_approval_over_allocation as true
}
