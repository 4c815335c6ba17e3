# License Exception NAC, 15 CFR 740.8: exports and reexports to Macau, D:5 or a
# Macau/D:5-headquartered consignee, after a notification BIS may object to. Not for items
# designed or marketed for data centers that meet 3A090.a.
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.nac

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.aca_nac_records
import data.aidf.chips.authorizations.common.nac_territory
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.request.as_of
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

name := "NAC"

outcome := "license_exception"

# NAC counts against no allocation or limit.
counts_against := null

blockers contains common.aca_nac_items_blocker(name)

blockers contains result.reason("NAC_NOT_NEEDED", []) if not nac_territory

obligations := [
	result.obligation(
		"OBL_NAC_NOTIFICATION",
		[format_int(_notice_days, 10), status.plus_days(as_of, _notice_days)],
		sprintf("at least %d calendar days before the export or reexport", [_notice_days]),
	),
	aca_nac_records,
]

_notice_days := params.nac.notice_days
