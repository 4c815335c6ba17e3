package aidf.lib.countries_test

import data.aidf.lib.countries
import rego.v1

test_tier1_is_supp5a if {
	countries.tier("US", "2025-06-01") == 1
	countries.tier("TW", "2025-06-01") == 1
	countries.tier("DE", "2025-06-01") == 1
}

test_tier3_is_macau_and_d5 if {
	countries.tier("MO", "2025-06-01") == 3
	countries.tier("CN", "2025-06-01") == 3
	countries.tier("RU", "2025-06-01") == 3
}

test_hong_kong_is_china if {
	countries.canonical("HK") == "CN"
	countries.tier("HK", "2025-06-01") == 3
}

test_everyone_else_is_tier2 if {
	countries.tier("SG", "2025-06-01") == 2
	countries.tier("PT", "2025-06-01") == 2
	countries.tier("AE", "2025-06-01") == 2
}

test_nicaragua_joined_d5_on_15_march_2024 if {
	countries.tier("NI", "2024-03-14") == 2
	countries.tier("NI", "2024-03-15") == 3
}

test_cambodia_left_d5_on_3_february_2026 if {
	countries.tier("KH", "2026-02-02") == 3
	countries.tier("KH", "2026-02-03") == 2
}

test_740_2_restriction_excludes_a5_a6 if {
	countries.d1_d4_d5_not_a5_a6("SA", "2025-06-01")
	countries.d1_d4_d5_not_a5_a6("VN", "2025-06-01")
	not countries.d1_d4_d5_not_a5_a6("IL", "2025-06-01")
	not countries.d1_d4_d5_not_a5_a6("SG", "2025-06-01")
	not countries.d1_d4_d5_not_a5_a6("IN", "2025-06-01")
}

test_supp5a_has_19_members if {
	count(data.aidf.facts.countries.groups.supp5a.members) == 19
}

test_d5_had_23_members_in_january_2025 if {
	d5_members := [c |
		some c, _ in data.aidf.facts.country_names
		not data.aidf.facts.countries.aliases[c]
		countries.member("d5", c, "2025-01-15")
	]
	count(d5_members) == 23
}

test_place_and_party_name_the_country if {
	countries.place("DE") == "Germany (DE)"
	countries.party("MO", "2025-06-01") == {"code": "MO", "name": "Macau", "tier": 3}
}

test_hong_kong_is_shown_as_treated_as_china if {
	countries.place("HK") == "Hong Kong (HK), treated as China"
	countries.party("HK", "2026-01-01").name == "Hong Kong, treated as China"
	countries.party("HK", "2026-01-01").tier == 3
}
