# Country groups, as dated data (facts/countries). Tiers are derived here, never stored.
#   Tier 1 = Supp. No. 5 to part 740 para. (a); Tier 3 = Macau + Country Group D:5; Tier 2 = the rest.
package aidf.lib.countries

import rego.v1

facts := data.aidf.facts.countries

names := data.aidf.facts.country_names

# Data read through a rule: regorus looks a rule's value up once per evaluation, but a path into
# data.aidf again on every call.
_index := data.aidf.facts.country_index.groups

# Hong Kong is treated as China under the EAR.
canonical(code) := to if {
	to := facts.aliases[code].to
} else := code

name(code) := names[code]

known(code) if names[code]

# A member on date d: "from" is inclusive, "until" exclusive (the day the change took effect).
# Looked up by code in facts/country_index, generated from facts/countries by
# tools/gen_country_index.py (an alias such as HK carries the entries of the country it is
# treated as).
member(group, code, d) if {
	groups := _index[code] # in two steps: rule[x][y] costs regorus 0.13 ten times more
	some m in groups[group]
	m.from <= d
	d < m.until
}

supp5a(code, d) if member("supp5a", code, d)

# The groups a country belongs to on date d, as a set: one lookup, for a rule that holds a
# party's facts once per request (a function's result is never cached); test it with `in`.
groups_on(code, d) := {g | some g, ms in object.get(_index, code, {}); some m in ms; m.from <= d; d < m.until}

# tier, macau_or_d5 and d1_d4_d5_not_a5_a6 of a country, from its groups_on.
tier_of(groups) := 3 if {
	count(groups & {"macau", "d5"}) > 0
} else := 1 if {
	"supp5a" in groups
} else := 2

macau_or_d5_of(groups) if count(groups & {"macau", "d5"}) > 0

d1_d4_d5_not_a5_a6_of(groups) if {
	count(groups & {"d1", "d4", "d5"}) > 0
	count(groups & {"a5", "a6"}) == 0
}

# party, from a country's groups_on.
party_of(code, groups) := {"code": code, "name": display_name(code), "tier": tier_of(groups)}

# Supp. No. 5(b) is read from facts/countries itself, as its allocations are (supp5b_allocation).
supp5b(code, d) if supp5b_allocation(code, d)

macau_or_d5(code, d) if member("macau", code, d)

macau_or_d5(code, d) if member("d5", code, d)

tier(code, d) := 3 if {
	macau_or_d5(code, d)
} else := 1 if {
	supp5a(code, d)
} else := 2

# 15 CFR 740.2(a)(9)(ii): to or within D:1, D:4 or D:5, unless also in A:5 or A:6.
d1_d4_d5_not_a5_a6(code, d) if {
	some g in ["d1", "d4", "d5"]
	member(g, code, d)
	not member("a5", code, d)
	not member("a6", code, d)
}

# Names of the groups a country belongs to on date d, for messages.
groups_of(code, d) := sort([facts.groups[g].title | some g, _ in facts.groups; member(g, code, d)])

supp5b_allocation(code, d) := m.allocation_tpp if {
	some m in facts.groups.supp5b.members
	m.code == canonical(code)
	object.get(m, "from", "0000-01-01") <= d
	d < object.get(m, "until", "9999-12-31")
}

# "Germany (DE)": how reasons name a country.
# An alias says what it is treated as: "Hong Kong (HK), treated as China".
place(code) := sprintf("%s (%s), treated as %s", [names[code], code, words]) if {
	words := facts.aliases[code].words
} else := sprintf("%s (%s)", [names[code], code])

# A party's country as decisions report it.
party(code, d) := {"code": code, "name": display_name(code), "tier": tier(code, d)}

display_name(code) := sprintf("%s, treated as %s", [names[code], words]) if {
	words := facts.aliases[code].words
} else := names[code]
