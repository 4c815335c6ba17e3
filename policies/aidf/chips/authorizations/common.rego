# Helpers shared by the authorization packages (15 CFR 740.2, 740.8, 740.27-740.29, 748.15).
# Functions here refer to other packages by full path: on regorus 0.13 a function whose body uses
# an import alias of its module can silently be undefined when called from another package.
package aidf.chips.authorizations.common

import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_hq_links
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.destination_place
import data.aidf.chips.request.end_use
import data.aidf.chips.request.location
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

params := data.aidf.facts.params

end_use_words := data.aidf.facts.catalogue.end_uses

_eccns := data.aidf.facts.eccns.entries

# Licensable items whose ECCN the exception does not list (flag: "aia", "lpp", "acm", "aca_nac").
# (object.get, not _eccns[c.eccn][flag]: two variable keys in one reference cost regorus 0.13 ten times more.)
not_listed(flag) := [c |
	some c in data.aidf.chips.requirement.licensable
	not object.get(_eccns, [c.eccn, flag], false)
]

not_listed_labels(flag) := data.aidf.lib.fmt.prose(labels) if {
	labels := [sprintf("%s (%s)", [c.label, c.eccn]) | some c in not_listed(flag)]
}

# 740.2(a)(9)(ii) leaves only a short list of exceptions for restricted shipments.
barred_by_740_2(exception) if {
	data.aidf.chips.request.restricted_740_2
	not exception in params.exceptions_740_2_a_9_ii.permitted_for_chips
}

restriction_facts := fmt.prose(array.concat(_destination_restriction, _headquarters_restriction))

_headquarters_restriction := [sprintf("the consignee's %s is in Macau or Country Group D:5", [l]) |
	some l in sort(d5_hq_links)
]

_destination_restriction := [sprintf(
	"the destination %s is in Country Group D:1, D:4 or D:5 and not in A:5 or A:6",
	[destination_place],
)] if {
	data.aidf.chips.request.destination_d1_d4_d5
} else := []

# The Macau / D:5 links of the request, each with its country: "headquarters (China (CN))".
d5_link_facts := fmt.prose(_d5_link_phrases)

_d5_link_phrases := [sprintf("%s (%s)", [l, _place_of[l]]) | some l in sort(d5_links)]

_place_of := {
	"destination": destination_place,
	"location": data.aidf.chips.request.location_place,
	"headquarters": data.aidf.chips.request.hq_place,
	"ultimate parent's headquarters": data.aidf.chips.request.parent_hq_place,
}

# --- approved IC designers -----------------------------------------------------
# 90 FR 5298 (the 16 January 2025 companion rule, from 31 January 2025): AIA and ACM reach
# 3A090.a, 5A002.z .a items and 5A992.z.1 only if an approved or authorized IC designer designed
# them (item field designed_by_approved_ic_designer).
_ic_designer_items := [c |
	data.aidf.facts.params.ic_designer.from <= as_of
	some c in licensable
	_ic_designer_eccn(c)
]

_ic_designer_eccn(c) if c.eccn in data.aidf.facts.params.ic_designer.eccns

_ic_designer_eccn(c) if startswith(c.paragraph, "3A090.a")

_ic_designer_answer(c) := object.get(input.items[c.index], "designed_by_approved_ic_designer", null)

_ic_designer_refused := [c.label | some c in _ic_designer_items; _ic_designer_answer(c) == false]

_ic_designer_unstated := [c.label | some c in _ic_designer_items; _ic_designer_answer(c) == null]

ic_designer_blocker(exception) := data.aidf.lib.result.reason(
	"IC_DESIGNER_NOT_APPROVED",
	[exception, data.aidf.lib.fmt.prose(_ic_designer_refused)],
) if {
	count(_ic_designer_refused) > 0
}

ic_designer_obligations(exception) := [data.aidf.lib.result.obligation(
	"OBL_IC_DESIGNER_CONFIRM",
	[data.aidf.lib.fmt.prose(_ic_designer_unstated), exception],
	"before the shipment",
)] if {
	count(_ic_designer_unstated) > 0
} else := []

# --- ACA and NAC, 15 CFR 740.8 -------------------------------------------------
# Neither reaches items designed or marketed for data centers that meet 3A090.a.
_data_center_a_items := [c | some c in licensable; c.level == "a"; c.designed_for_data_centers]

aca_nac_items_blocker(exception) := r if {
	count(_data_center_a_items) > 0
	labels := [c.label | some c in _data_center_a_items]
	r := data.aidf.lib.result.reason("ACA_NAC_DATA_CENTER_ITEMS", [exception, data.aidf.lib.fmt.prose(labels)])
}

aca_nac_items_blocker(exception) := data.aidf.lib.result.reason(
	"ACA_NAC_ITEMS",
	[exception, not_listed_labels("aca_nac")],
) if {
	count(_data_center_a_items) == 0
	count(not_listed("aca_nac")) > 0
}

# In-country transfers within Macau and D:5 stay under ACA.
_within_d5_transfer if {
	transaction == "in_country_transfer"
	countries.macau_or_d5_of(data.aidf.chips.request.destination_groups)
}

# NAC covers exports and reexports to Macau, D:5 or Macau/D:5-headquartered entities.
nac_territory if {
	not _within_d5_transfer
	count(d5_links) > 0
}

aca_nac_records := result.records_obligation("OBL_ACA_RECORDS", [])

# --- Data Center VEU, 15 CFR 748.15 --------------------------------------------
_veu_data_center_uses := {"data_center", "training_ai_models"}

# What bars both kinds of Data Center VEU.
veu_blockers contains result.reason("VEU_D5_LINK", [d5_link_facts]) if count(d5_links) > 0

veu_blockers contains result.reason("VEU_END_USE", [end_use_words[end_use]]) if not end_use in _veu_data_center_uses

veu_blockers contains result.reason("VEU_IAAS_TRAINING", []) if end_use == "iaas_training_4e091_for_non_supp5a"

# kind: "UVEU" or "NVEU".
veu_obligations(kind) := [
	data.aidf.lib.result.obligation(
		"OBL_VEU_SUPP10",
		[kind],
		sprintf("continuing; paragraphs 14, 15 and 18 from %s", [data.aidf.lib.status.words_security_paragraphs]),
	),
	data.aidf.lib.result.obligation(
		"OBL_VEU_REPORTS",
		[kind],
		"semi-annually: 15 January and 15 July (748.15(f)); 1 February and 1 August (Supp. No. 10 para. 10)",
	),
	data.aidf.lib.result.obligation(
		sprintf("OBL_%s_LIMITS", [kind]),
		[],
		"before each placement; check with the deploy_compute action",
	),
]
