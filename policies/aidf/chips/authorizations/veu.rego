# Data Center VEU authorizations held by the consignee, 15 CFR 748.15 (RULE.md 5).
# Eligibility and allocation limits of a deployment are checked by the deploy_compute action.
package aidf.chips.authorizations.veu

import data.aidf.chips.request as req
import data.aidf.chips.authorizations.common
import rego.v1

data_center_uses := {"data_center", "training_ai_models"}

shared_blockers contains data.aidf.lib.result.reason("VEU_D5_LINK", [common.d5_link_facts]) if count(req.d5_links) > 0

shared_blockers contains data.aidf.lib.result.reason("VEU_END_USE", [common.end_use_words[req.end_use]]) if not req.end_use in data_center_uses

shared_blockers contains data.aidf.lib.result.reason("VEU_IAAS_TRAINING", []) if req.end_use == "iaas_training_4e091_for_non_supp5a"

uveu_blockers contains data.aidf.lib.result.reason("UVEU_NOT_HELD", [req.consignee.name]) if not req.holds_uveu

uveu_blockers contains data.aidf.lib.result.reason("UVEU_INELIGIBLE", [req.consignee.name, data.aidf.lib.countries.place(req.hq), data.aidf.lib.countries.place(req.parent_hq)]) if {
	req.holds_uveu
	not data.aidf.lib.countries.supp5a(req.hq, req.as_of)
	not data.aidf.lib.countries.supp5a(req.parent_hq, req.as_of)
}

uveu_blockers contains b if some b in shared_blockers

nveu_blockers contains data.aidf.lib.result.reason("NVEU_NOT_HELD", [req.consignee.name, data.aidf.lib.countries.place(req.destination), held]) if {
	not data.aidf.lib.countries.canonical(req.destination) in req.nveu_countries
	held := data.aidf.lib.fmt.prose(sort([data.aidf.lib.countries.place(c) | some c in req.nveu_countries]))
}

nveu_blockers contains b if some b in shared_blockers

obligations(kind) := [
	data.aidf.lib.result.obligation("OBL_VEU_SUPP10", [kind], "continuing; paragraphs 14, 15 and 18 from 15 January 2026"),
	data.aidf.lib.result.obligation("OBL_VEU_REPORTS", [kind], "semi-annually: 15 January and 15 July (748.15(f)); 1 February and 1 August (Supp. No. 10 para. 10)"),
	data.aidf.lib.result.obligation(sprintf("OBL_%s_LIMITS", [kind]), [], "before each placement; check with the deploy_compute action"),
]
