# The country_allocation view: how much of a destination's 2025-2027 allocation is left, and
# whether a proposed licence falls within it (15 CFR 742.6(b)(10)(iii)).
package aidf.allocation.view

import data.aidf.lib.allocation as lib_allocation
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

as_of := input.as_of

country := input.country

licensed := input.licensed_tpp

proposed := input.proposed_tpp

place := countries.place(country)

tier := countries.tier(country, as_of)

usage := lib_allocation.country_allocation(country, as_of, licensed, proposed)

in_effect if status.in_effect(as_of)

outcome := "framework_not_in_effect" if not in_effect

outcome := "no_allocation" if {
	in_effect
	tier == 1
}

outcome := "presumption_of_denial" if {
	in_effect
	tier == 3
}

outcome := "within_allocation" if {
	in_effect
	tier == 2
	usage.within_limit
}

outcome := "beyond_allocation" if {
	in_effect
	tier == 2
	not usage.within_limit
}

allowed := outcome in {"within_allocation", "no_allocation"}

review_policy := {
	"no_allocation": "presumption_of_approval",
	"within_allocation": "presumption_of_approval",
	"beyond_allocation": "policy_of_denial",
	"presumption_of_denial": "presumption_of_denial",
	"framework_not_in_effect": null,
}[outcome]

allocation := usage if tier == 2

allocation := null if tier != 2

reasons := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

reasons := [result.reason("REV_SUPP5A_APPROVAL", [place])] if outcome == "no_allocation"

reasons := [result.reason("REV_D5_DENIAL", [sprintf("destination (%s)", [place])])] if {
	outcome == "presumption_of_denial"
}

reasons := array.concat([lib_allocation.reason(usage)], supp5b_reasons) if {
	outcome in {"within_allocation", "beyond_allocation"}
}

supp5b_reasons := [result.reason("REV_SUPP5B", [place, fmt.int(usage.limit_tpp)])] if {
	countries.supp5b(country, as_of)
} else := []

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], place])

decision := result.decision("country_allocation", as_of, {
	"allowed": allowed,
	"outcome": outcome,
	"review_policy": review_policy,
	"summary": summary,
	"country": countries.party(country, as_of),
	"allocation": allocation,
	"reasons": reasons,
})
