package aidf.chips.authorizations.common_test

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.nac_territory
import data.aidf.chips.authorizations.common.restriction_facts
import data.aidf.testdata.requests
import rego.v1

test_740_2_bars_exceptions_not_on_its_list if {
	common.barred_by_740_2("LPP") with input as requests.at("SA", "SA")
	not common.barred_by_740_2("ACM") with input as requests.at("SA", "SA")
	not common.barred_by_740_2("LPP") with input as requests.at("SG", "SG")
}

test_restriction_facts_name_the_trigger if {
	saudi_facts := restriction_facts with input as requests.at("SA", "SA")
	saudi_facts == "the destination Saudi Arabia (SA) is in Country Group D:1, D:4 or D:5 and not in A:5 or A:6"
}

test_nac_territory_is_macau_or_d5_links_but_not_transfers_within_them if {
	china := requests.at("CN", "CN")
	nac_territory with input as china
	within_china := object.union(china, {"transaction": "in_country_transfer"})
	not nac_territory with input as within_china
	brazil := requests.at("BR", "BR")
	not nac_territory with input as brazil
}
