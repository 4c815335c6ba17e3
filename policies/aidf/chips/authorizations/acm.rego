# License Exception ACM, 15 CFR 740.28.
# The authorization interface (aidf.chips.decision): name, outcome, blockers, obligations, counts_against.
package aidf.chips.authorizations.acm

import data.aidf.chips.authorizations.common
import data.aidf.chips.authorizations.common.d5_link_facts
import data.aidf.chips.authorizations.common.end_use_words
import data.aidf.chips.authorizations.common.params
import data.aidf.chips.authorizations.common.restriction_facts
import data.aidf.chips.request.consignee
import data.aidf.chips.request.d5_links
import data.aidf.chips.request.end_use
import data.aidf.lib.result
import rego.v1

name := "ACM"

outcome := "license_exception"

# ACM counts against no allocation or limit.
counts_against := null

blockers contains result.reason("ACM_ITEMS", [common.not_listed_labels("acm")]) if count(common.not_listed("acm")) > 0

blockers contains result.reason("ACM_GOVERNMENT", [consignee.name]) if {
	consignee.foreign_government_owned_or_controlled == true
}

blockers contains result.reason("ACM_END_USE", [end_use_words[end_use]]) if not end_use in _permitted_end_uses

blockers contains result.reason("ACM_D5_LINK", [d5_link_facts]) if count(d5_links) > 0

blockers contains result.reason("EXC_740_2_BARRED", [name, restriction_facts]) if common.barred_by_740_2(name)

blockers contains common.ic_designer_blocker(name)

obligations := array.concat(common.ic_designer_obligations(name), [
	result.obligation("OBL_ACM_ACCOUNTING", [], "updated at least every six months"),
	result.obligation("OBL_ACM_END_USE", [], "for as long as the items are held"),
	result.records_obligation("OBL_ACM_RECORDS", []),
])

_permitted_end_uses := params.acm.end_uses
