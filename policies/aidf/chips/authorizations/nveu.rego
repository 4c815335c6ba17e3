# National Validated End User authorization (Data Center VEU) held by the consignee for the
# destination, 15 CFR 748.15(a)(2)(iii). Eligibility and allocation limits of a deployment are
# checked by the deploy_compute action.
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.nveu

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.veu_blockers
import data.aidf.chips.request.consignee
import data.aidf.chips.request.destination
import data.aidf.chips.request.destination_place
import data.aidf.chips.request.nveu_countries
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

name := "NVEU"

outcome := "veu_authorization"

# A shipment counts against no limit here: the deploy_compute action checks the VEU's limits.
counts_against := null

blockers contains result.reason("NVEU_NOT_HELD", [consignee.name, destination_place, held]) if {
	not countries.canonical(destination) in nveu_countries
	held := fmt.prose(sort([countries.place(c) | some c in nveu_countries]))
}

blockers contains b if some b in veu_blockers

obligations := common.veu_obligations(name)
