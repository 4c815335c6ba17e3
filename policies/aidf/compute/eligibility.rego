# Who may rely on a Data Center VEU for this placement (15 CFR 748.15(b)(2)).
package aidf.compute.eligibility

import data.aidf.compute.limits.basis
import data.aidf.compute.limits.nveu_allocation
import data.aidf.compute.request.as_of
import data.aidf.compute.request.country
import data.aidf.compute.request.hq
import data.aidf.compute.request.named_country
import data.aidf.compute.request.owner
import data.aidf.compute.request.parent_hq
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

blockers contains result.reason("VEU_NONE_FOR_COUNTRY", [owner.name, countries.place(named_country)]) if basis == "none"

blockers contains result.reason("VEU_D5_PLACEMENT", [countries.place(named_country)]) if {
	countries.macau_or_d5(country, as_of)
}

blockers contains result.reason("VEU_D5_OWNERSHIP", [owner.name, links]) if {
	basis != "none"
	linked := [sprintf("%s %s", [role, countries.place(c)]) |
		some role, c in {"headquarters in": hq, "ultimate parent's headquarters in": parent_hq}
		countries.macau_or_d5(c, as_of)
	]
	count(linked) > 0
	links := fmt.prose(sort(linked))
}

blockers contains result.reason("UVEU_INELIGIBLE", [owner.name, countries.place(hq), countries.place(parent_hq)]) if {
	basis == "UVEU"
	not countries.supp5a(hq, as_of)
	not countries.supp5a(parent_hq, as_of)
}

blockers contains result.reason("NVEU_NO_SCHEDULE", [as_of]) if {
	basis == "NVEU"
	not nveu_allocation
}
