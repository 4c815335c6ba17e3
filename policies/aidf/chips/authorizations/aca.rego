# License Exception ACA, 15 CFR 740.8: not for items designed or marketed for data centers that
# meet 3A090.a, nor where NAC applies (Macau, D:5 or a Macau/D:5-headquartered consignee).
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.aca

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.aca_nac_records
import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.nac_territory
import data.aidf.lib.result
import rego.v1

name := "ACA"

outcome := "license_exception"

# ACA counts against no allocation or limit.
counts_against := null

blockers contains common.aca_nac_items_blocker(name)

blockers contains result.reason("ACA_D5_LINK", [d5_link_facts]) if nac_territory

obligations := [aca_nac_records]
