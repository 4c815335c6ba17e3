# Which items need a licence under the framework.
package aidf.chips.requirement

import data.aidf.chips.classify.items
import data.aidf.chips.request.d5_hq_links
import data.aidf.chips.request.destination_d1_d4_d5
import data.aidf.chips.request.destination_place
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

# .a items: licence to or within any destination worldwide.
# .b items: licence to or within D:1, D:4 or D:5 unless the destination is also A:5 or A:6, and to
# entities headquartered (or with ultimate parent) in Macau or D:5, wherever located.
needs_licence := {c.index | some c in items; c.level == "a"} | {c.index | some c in items; c.level == "b"; _b_licensed}

_b_licensed if destination_d1_d4_d5

_b_licensed if count(d5_hq_links) > 0

licensable := [c | some c in items; c.index in needs_licence]

licensable_tpp := sum([c.tpp_total | some c in licensable])

# Allocations and caps count .a-level TPP (742.6(b)(10)(iii)(B)(1); 740.29(h)(2)).
licensable_a_tpp := sum([c.tpp_total | some c in licensable; c.level == "a"])

_labels(cs) := data.aidf.lib.fmt.prose(names) if {
	names := [c.label | some c in cs]
}

reasons contains result.reason("LIC_WORLDWIDE_A", [_labels(a), destination_place]) if {
	a := [c | some c in licensable; c.level == "a"]
	count(a) > 0
}

reasons contains result.reason("LIC_B_D1_D4_D5", [_labels(b), destination_place]) if {
	b := [c | some c in licensable; c.level == "b"]
	count(b) > 0
	destination_d1_d4_d5
}

reasons contains result.reason("LIC_B_D5_HEADQUARTERS", [_labels(b), fmt.prose(sort(d5_hq_links))]) if {
	b := [c | some c in licensable; c.level == "b"]
	count(b) > 0
	not destination_d1_d4_d5
	count(d5_hq_links) > 0
}

reasons contains result.reason("NLR_B_LEVEL", [_labels(b), destination_place]) if {
	b := [c | some c in items; c.level == "b"; not c.index in needs_licence]
	count(b) > 0
}

reasons contains result.reason("NLR_NOT_CONTROLLED", [_labels(n)]) if {
	n := [c | some c in items; c.level == "none"]
	count(n) > 0
}
