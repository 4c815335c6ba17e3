# License Exceptions ACA and NAC, 15 CFR 740.8. Not for items designed or
# marketed for data centers that meet 3A090.a.
package aidf.chips.authorizations.aca_nac

import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable
import data.aidf.lib.countries
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

data_center_a_items := [c | some c in licensable; c.level == "a"; c.designed_for_data_centers]

items_blocker(exception) := r if {
	count(data_center_a_items) > 0
	labels := [c.label | some c in data_center_a_items]
	r := data.aidf.lib.result.reason("ACA_NAC_DATA_CENTER_ITEMS", [exception, data.aidf.lib.fmt.prose(labels)])
}

items_blocker(exception) := data.aidf.lib.result.reason("ACA_NAC_ITEMS", [exception, data.aidf.chips.authorizations.common.not_listed_labels("aca_nac")]) if {
	count(data_center_a_items) == 0
	count(data.aidf.chips.authorizations.common.not_listed("aca_nac")) > 0
}

# In-country transfers within Macau and D:5 stay under ACA.
within_d5_transfer if {
	transaction == "in_country_transfer"
	countries.macau_or_d5(destination, as_of)
}

# NAC covers exports and reexports to Macau, D:5 or Macau/D:5-headquartered entities.
nac_territory if {
	not within_d5_transfer
	count(d5_links) > 0
}

aca_blockers contains items_blocker("ACA")

aca_blockers contains result.reason("ACA_D5_LINK", [d5_link_facts]) if nac_territory

nac_blockers contains items_blocker("NAC")

nac_blockers contains result.reason("NAC_NOT_NEEDED", []) if not nac_territory

aca_obligations := [result.obligation("OBL_ACA_RECORDS", [], "keep for five years (15 CFR 762.6)")]

nac_obligations := [
	result.obligation("OBL_NAC_NOTIFICATION", [format_int(params.nac.notice_days, 10), status.plus_days(as_of, params.nac.notice_days)], sprintf("at least %d calendar days before the export or reexport", [params.nac.notice_days])),
	result.obligation("OBL_ACA_RECORDS", [], "keep for five years (15 CFR 762.6)"),
]
