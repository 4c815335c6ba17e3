# License Exception ACM, 15 CFR 740.28 (RULE.md 4.2).
package aidf.chips.authorizations.acm

import data.aidf.chips.authorizations.common
import data.aidf.chips.request as req
import rego.v1

name := "ACM"

end_uses := common.params.acm.end_uses

blockers contains data.aidf.lib.result.reason("ACM_ITEMS", [data.aidf.chips.authorizations.common.not_listed_labels("acm")]) if count(data.aidf.chips.authorizations.common.not_listed("acm")) > 0

blockers contains data.aidf.lib.result.reason("ACM_GOVERNMENT", [req.consignee.name]) if req.consignee.foreign_government_owned_or_controlled == true

blockers contains data.aidf.lib.result.reason("ACM_END_USE", [common.end_use_words[req.end_use]]) if not req.end_use in end_uses

blockers contains data.aidf.lib.result.reason("ACM_D5_LINK", [common.d5_link_facts]) if count(req.d5_links) > 0

blockers contains data.aidf.lib.result.reason("EXC_740_2_BARRED", ["ACM", common.restriction_facts]) if data.aidf.chips.authorizations.common.barred_by_740_2("ACM")

blockers contains data.aidf.chips.authorizations.common.ic_designer_blocker("ACM")

obligations := array.concat(data.aidf.chips.authorizations.common.ic_designer_obligations("ACM"), [
	data.aidf.lib.result.obligation("OBL_ACM_ACCOUNTING", [], "updated at least every six months"),
	data.aidf.lib.result.obligation("OBL_ACM_END_USE", [], "for as long as the items are held"),
	data.aidf.lib.result.obligation("OBL_ACM_RECORDS", [], "keep for five years (15 CFR 762.6)"),
])
