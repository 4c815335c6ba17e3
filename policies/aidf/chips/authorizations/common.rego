# Helpers shared by the authorization checks.
# Functions here refer to other packages by full path: regorus 0.11 does not resolve a
# module's import aliases inside a function called from another package.
package aidf.chips.authorizations.common

import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_hq_links
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.hq
import data.aidf.chips.request.location
import data.aidf.chips.request.parent_hq
import data.aidf.chips.requirement.licensable
import data.aidf.lib.countries
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

restriction_facts := fmt.prose(array.concat(destination_restriction, headquarters_restriction))

headquarters_restriction := [sprintf("the consignee's %s is in Macau or Country Group D:5", [l]) | some l in sort(d5_hq_links)]

destination_restriction := [sprintf("the destination %s is in Country Group D:1, D:4 or D:5 and not in A:5 or A:6", [countries.place(destination)])] if {
	countries.d1_d4_d5_not_a5_a6(destination, as_of)
} else := []

d5_link_facts := fmt.prose(d5_link_phrases)

d5_link_phrases := [sprintf("%s (%s)", [l, countries.place(country_of[l])]) | some l in sort(d5_links)]

country_of := {
	"destination": destination,
	"location": location,
	"headquarters": hq,
	"ultimate parent's headquarters": parent_hq,
}


# 90 FR 5298 (the 16 January 2025 companion rule, from 31 January 2025): AIA and ACM reach
# 3A090.a, 5A002.z .a items and 5A992.z.1 only if an approved or authorized IC designer designed
# them (item field designed_by_approved_ic_designer).
ic_designer_items := [c |
	data.aidf.facts.params.ic_designer.from <= as_of
	some c in licensable
	ic_designer_eccn(c)
]

ic_designer_eccn(c) if c.eccn in data.aidf.facts.params.ic_designer.eccns

ic_designer_eccn(c) if startswith(c.paragraph, "3A090.a")

ic_designer_answer(c) := object.get(input.items[c.index], "designed_by_approved_ic_designer", null)

ic_designer_refused := [c.label | some c in ic_designer_items; ic_designer_answer(c) == false]

ic_designer_unstated := [c.label | some c in ic_designer_items; ic_designer_answer(c) == null]

ic_designer_blocker(exception) := data.aidf.lib.result.reason("IC_DESIGNER_NOT_APPROVED", [exception, data.aidf.lib.fmt.prose(ic_designer_refused)]) if {
	count(ic_designer_refused) > 0
}

ic_designer_obligations(exception) := [data.aidf.lib.result.obligation(
	"OBL_IC_DESIGNER_CONFIRM",
	[data.aidf.lib.fmt.prose(ic_designer_unstated), exception],
	"before the shipment",
)] if {
	count(ic_designer_unstated) > 0
} else := []
