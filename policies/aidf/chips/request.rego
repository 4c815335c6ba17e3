# Facts about an export_chips request that every chips rule reads, named once.
package aidf.chips.request

import data.aidf.lib.countries
import rego.v1

as_of := input.as_of

destination := input.destination

consignee := input.ultimate_consignee

location := object.get(consignee, "located_in", destination)

hq := consignee.headquarters

parent_hq := consignee.ultimate_parent_headquarters

end_use := input.end_use

transaction := input.transaction

_history := object.get(input, "history", {})

lpp_received_this_year := object.get(_history, "lpp_tpp_received_this_year", 0)

country_licensed_tpp := object.get(_history, "country_licensed_tpp", 0)

aia_cumulative_tpp := object.get(_history, "aia_cumulative_tpp", 0)

_veu := object.get(consignee, "veu", {})

holds_uveu if _veu.uveu == true

nveu_countries := {countries.canonical(c) | some c in object.get(_veu, "nveu_countries", [])}

# Each party's country facts, once per request.
destination_groups := countries.groups_on(destination, as_of)

location_groups := destination_groups if {
	location == destination
} else := countries.groups_on(location, as_of)

hq_groups := countries.groups_on(hq, as_of)

parent_hq_groups := hq_groups if {
	parent_hq == hq
} else := countries.groups_on(parent_hq, as_of)

destination_supp5a if "supp5a" in destination_groups

location_supp5a if "supp5a" in location_groups

hq_supp5a if "supp5a" in hq_groups

parent_hq_supp5a if "supp5a" in parent_hq_groups

# 15 CFR 740.2(a)(9)(ii): the destination in D:1, D:4 or D:5, unless also in A:5 or A:6.
destination_d1_d4_d5 if countries.d1_d4_d5_not_a5_a6_of(destination_groups)

destination_place := countries.place(destination)

location_place := destination_place if {
	location == destination
} else := countries.place(location)

hq_place := countries.place(hq)

parent_hq_place := hq_place if {
	parent_hq == hq
} else := countries.place(parent_hq)

# Macau / D:5 links, each named so reasons can say which one triggered.
d5_links := {link |
	some link, groups in {
		"destination": destination_groups,
		"location": location_groups,
		"headquarters": hq_groups,
		"ultimate parent's headquarters": parent_hq_groups,
	}
	countries.macau_or_d5_of(groups)
}

d5_hq_links := d5_links - {"destination", "location"}

_d5_place_links := d5_links & {"destination", "location"}

# 15 CFR 740.2(a)(9)(ii) narrows the exceptions for these shipments.
restricted_740_2 if destination_d1_d4_d5

restricted_740_2 if count(d5_hq_links) > 0


