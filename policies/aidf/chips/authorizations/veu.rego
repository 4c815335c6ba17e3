# Data Center VEU authorizations held by the consignee, 15 CFR 748.15.
# Eligibility and allocation limits of a deployment are checked by the deploy_compute action.
package aidf.chips.authorizations.veu

import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.end_use_words
import data.aidf.chips.request.as_of
import data.aidf.chips.request.consignee
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.end_use
import data.aidf.chips.request.holds_uveu
import data.aidf.chips.request.hq
import data.aidf.chips.request.nveu_countries
import data.aidf.chips.request.parent_hq
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

data_center_uses := {"data_center", "training_ai_models"}

shared_blockers contains result.reason("VEU_D5_LINK", [d5_link_facts]) if count(d5_links) > 0

shared_blockers contains result.reason("VEU_END_USE", [end_use_words[end_use]]) if not end_use in data_center_uses

shared_blockers contains result.reason("VEU_IAAS_TRAINING", []) if end_use == "iaas_training_4e091_for_non_supp5a"

uveu_blockers contains result.reason("UVEU_NOT_HELD", [consignee.name]) if not holds_uveu

uveu_blockers contains result.reason("UVEU_INELIGIBLE", [consignee.name, countries.place(hq), countries.place(parent_hq)]) if {
	holds_uveu
	not countries.supp5a(hq, as_of)
	not countries.supp5a(parent_hq, as_of)
}

uveu_blockers contains b if some b in shared_blockers

nveu_blockers contains result.reason("NVEU_NOT_HELD", [consignee.name, countries.place(destination), held]) if {
	not countries.canonical(destination) in nveu_countries
	held := fmt.prose(sort([countries.place(c) | some c in nveu_countries]))
}

nveu_blockers contains b if some b in shared_blockers

obligations(kind) := [
	data.aidf.lib.result.obligation("OBL_VEU_SUPP10", [kind], "continuing; paragraphs 14, 15 and 18 from 15 January 2026"),
	data.aidf.lib.result.obligation("OBL_VEU_REPORTS", [kind], "semi-annually: 15 January and 15 July (748.15(f)); 1 February and 1 August (Supp. No. 10 para. 10)"),
	data.aidf.lib.result.obligation(sprintf("OBL_%s_LIMITS", [kind]), [], "before each placement; check with the deploy_compute action"),
]
