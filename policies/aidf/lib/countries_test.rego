package aidf.lib.countries_test

import rego.v1

test_tier1_is_supp5a if {
	data.aidf.lib.countries.tier("US", "2025-06-01") == 1
	data.aidf.lib.countries.tier("TW", "2025-06-01") == 1
	data.aidf.lib.countries.tier("DE", "2025-06-01") == 1
}

test_tier3_is_macau_and_d5 if {
	data.aidf.lib.countries.tier("MO", "2025-06-01") == 3
	data.aidf.lib.countries.tier("CN", "2025-06-01") == 3
	data.aidf.lib.countries.tier("RU", "2025-06-01") == 3
}

test_hong_kong_is_china if {
	data.aidf.lib.countries.canonical("HK") == "CN"
	data.aidf.lib.countries.tier("HK", "2025-06-01") == 3
}

test_everyone_else_is_tier2 if {
	data.aidf.lib.countries.tier("SG", "2025-06-01") == 2
	data.aidf.lib.countries.tier("PT", "2025-06-01") == 2
	data.aidf.lib.countries.tier("AE", "2025-06-01") == 2
}

test_nicaragua_joined_d5_on_15_march_2024 if {
	data.aidf.lib.countries.tier("NI", "2024-03-14") == 2
	data.aidf.lib.countries.tier("NI", "2024-03-15") == 3
}

test_cambodia_left_d5_on_3_february_2026 if {
	data.aidf.lib.countries.tier("KH", "2026-02-02") == 3
	data.aidf.lib.countries.tier("KH", "2026-02-03") == 2
}

test_740_2_restriction_excludes_a5_a6 if {
	data.aidf.lib.countries.d1_d4_d5_not_a5_a6("SA", "2025-06-01")
	data.aidf.lib.countries.d1_d4_d5_not_a5_a6("VN", "2025-06-01")
	not data.aidf.lib.countries.d1_d4_d5_not_a5_a6("IL", "2025-06-01")
	not data.aidf.lib.countries.d1_d4_d5_not_a5_a6("SG", "2025-06-01")
	not data.aidf.lib.countries.d1_d4_d5_not_a5_a6("IN", "2025-06-01")
}

test_supp5a_has_19_members if {
	count(data.aidf.facts.countries.groups.supp5a.members) == 19
}

test_d5_had_23_members_in_january_2025 if {
	count([c | some c, _ in data.aidf.facts.country_names; not data.aidf.facts.countries.aliases[c]; data.aidf.lib.countries.member("d5", c, "2025-01-15")]) == 23
}

test_place_and_party_name_the_country if {
	data.aidf.lib.countries.place("DE") == "Germany (DE)"
	data.aidf.lib.countries.party("MO", "2025-06-01") == {"code": "MO", "name": "Macau", "tier": 3}
}

test_hong_kong_is_shown_as_treated_as_china if {
	data.aidf.lib.countries.place("HK") == "Hong Kong (HK), treated as China"
	data.aidf.lib.countries.party("HK", "2026-01-01").name == "Hong Kong, treated as China"
	data.aidf.lib.countries.party("HK", "2026-01-01").tier == 3
}
