# Helpers shared by the authorization checks.
# Functions here refer to other packages by full path: regorus 0.11 does not resolve a
# module's import aliases inside a function called from another package.
package aidf.chips.authorizations.common

import data.aidf.chips.request as req
import data.aidf.chips.requirement
import data.aidf.lib.fmt
import rego.v1

eccns := data.aidf.facts.eccns.entries

params := data.aidf.facts.params

end_use_words := data.aidf.facts.catalogue.end_uses

# Licensable items whose ECCN the exception does not list (flag: "aia", "lpp", "acm", "aca_nac").
not_listed(flag) := [c | some c in data.aidf.chips.requirement.licensable; not eccns[c.eccn][flag]]

not_listed_labels(flag) := data.aidf.lib.fmt.prose(labels) if {
	labels := [sprintf("%s (%s)", [c.label, c.eccn]) | some c in not_listed(flag)]
}

# 740.2(a)(9)(ii) leaves only a short list of exceptions for restricted shipments.
barred_by_740_2(exception) if {
	data.aidf.chips.request.restricted_740_2
	not exception in params.exceptions_740_2_a_9_ii.permitted_for_chips
}

restriction_facts := data.aidf.lib.fmt.prose(array.concat(destination_restriction, headquarters_restriction))

headquarters_restriction := [sprintf("the consignee's %s is in Macau or Country Group D:5", [l]) | some l in sort(req.d5_hq_links)]

destination_restriction := [sprintf("the destination %s is in Country Group D:1, D:4 or D:5 and not in A:5 or A:6", [data.aidf.lib.countries.place(req.destination)])] if {
	data.aidf.lib.countries.d1_d4_d5_not_a5_a6(req.destination, req.as_of)
} else := []

d5_link_facts := data.aidf.lib.fmt.prose(d5_link_phrases)

d5_link_phrases := [sprintf("%s (%s)", [l, data.aidf.lib.countries.place(country_of[l])]) | some l in sort(req.d5_links)]

country_of := {
	"destination": req.destination,
	"location": req.location,
	"headquarters": req.hq,
	"ultimate parent's headquarters": req.parent_hq,
}

