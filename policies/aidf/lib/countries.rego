# Country groups, as dated data (facts/countries). Tiers are derived here, never stored.
#   Tier 1 = Supp. No. 5 to part 740 para. (a); Tier 3 = Macau + Country Group D:5; Tier 2 = the rest.
package aidf.lib.countries

import rego.v1

facts := data.aidf.facts.countries

names := data.aidf.facts.country_names

# Hong Kong is treated as China under the EAR.
canonical(code) := facts.aliases[code].to

canonical(code) := code if not facts.aliases[code]

name(code) := names[code]

known(code) if names[code]

# A member on date d: "from" is inclusive, "until" exclusive (the day the change took effect).
member(group, code, d) if {
	some m in facts.groups[group].members
	m.code == canonical(code)
	object.get(m, "from", "0000-01-01") <= d
	d < object.get(m, "until", "9999-12-31")
}

supp5a(code, d) if member("supp5a", code, d)

supp5b(code, d) if member("supp5b", code, d)

macau_or_d5(code, d) if member("macau", code, d)

macau_or_d5(code, d) if member("d5", code, d)

tier(code, d) := 3 if macau_or_d5(code, d)

tier(code, d) := 1 if {
	not macau_or_d5(code, d)
	supp5a(code, d)
}

tier(code, d) := 2 if {
	not macau_or_d5(code, d)
	not supp5a(code, d)
}

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
place(code) := sprintf("%s (%s)", [name(code), code]) if not facts.aliases[code]

# An alias says what it is treated as: "Hong Kong (HK), treated as China".
place(code) := sprintf("%s (%s), treated as %s", [name(code), code, facts.aliases[code].words]) if facts.aliases[code]

# A party's country as decisions report it.
party(code, d) := {"code": code, "name": display_name(code), "tier": tier(code, d)}

display_name(code) := name(code) if not facts.aliases[code]

display_name(code) := sprintf("%s, treated as %s", [name(code), facts.aliases[code].words]) if facts.aliases[code]
