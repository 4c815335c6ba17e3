# Who may rely on a Data Center VEU for this placement (15 CFR 748.15(b)(2); RULE.md 5.2-5.3).
package aidf.compute.eligibility

import data.aidf.compute.limits
import data.aidf.compute.request as plan
import rego.v1

blockers contains data.aidf.lib.result.reason("VEU_NONE_FOR_COUNTRY", [plan.owner.name, data.aidf.lib.countries.place(plan.named_country)]) if limits.basis == "none"

blockers contains data.aidf.lib.result.reason("VEU_D5_PLACEMENT", [data.aidf.lib.countries.place(plan.named_country)]) if {
	data.aidf.lib.countries.macau_or_d5(plan.country, plan.as_of)
}

blockers contains data.aidf.lib.result.reason("VEU_D5_OWNERSHIP", [plan.owner.name, links]) if {
	limits.basis != "none"
	linked := [sprintf("%s %s", [role, data.aidf.lib.countries.place(c)]) |
		some role, c in {"headquarters in": plan.hq, "ultimate parent's headquarters in": plan.parent_hq}
		data.aidf.lib.countries.macau_or_d5(c, plan.as_of)
	]
	count(linked) > 0
	links := data.aidf.lib.fmt.prose(sort(linked))
}

blockers contains data.aidf.lib.result.reason("UVEU_INELIGIBLE", [plan.owner.name, data.aidf.lib.countries.place(plan.hq), data.aidf.lib.countries.place(plan.parent_hq)]) if {
	limits.basis == "UVEU"
	not data.aidf.lib.countries.supp5a(plan.hq, plan.as_of)
	not data.aidf.lib.countries.supp5a(plan.parent_hq, plan.as_of)
}

blockers contains data.aidf.lib.result.reason("NVEU_NO_SCHEDULE", [plan.as_of]) if {
	limits.basis == "NVEU"
	not limits.nveu_allocation
}
