# Universal Validated End User authorization (Data Center VEU) held by the consignee,
# 15 CFR 748.15(a)(2)(ii). Eligibility and allocation limits of a deployment are checked by the
# deploy_compute action.
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.uveu

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.veu_blockers
import data.aidf.chips.request.consignee
import data.aidf.chips.request.holds_uveu
import data.aidf.chips.request.hq_place
import data.aidf.chips.request.hq_supp5a
import data.aidf.chips.request.parent_hq_place
import data.aidf.chips.request.parent_hq_supp5a
import data.aidf.lib.result
import rego.v1

name := "UVEU"

outcome := "veu_authorization"

# A shipment counts against no limit here: the deploy_compute action checks the VEU's limits.
counts_against := null

blockers contains result.reason("UVEU_NOT_HELD", [consignee.name]) if not holds_uveu

blockers contains result.reason(
	"UVEU_INELIGIBLE",
	[consignee.name, hq_place, parent_hq_place],
) if {
	holds_uveu
	not hq_supp5a
	not parent_hq_supp5a
}

blockers contains b if some b in veu_blockers

obligations := common.veu_obligations(name)
