# The transfer_model_weights decision (RULE.md 7).
package aidf.weights.decision

import data.aidf.weights.model
import data.aidf.weights.transfer
import rego.v1

as_of := input.as_of

in_effect if data.aidf.lib.status.in_effect(as_of)

outcome := "framework_not_in_effect" if not in_effect

outcome := "not_controlled" if {
	in_effect
	not model.controlled
}

outcome := "no_license_required" if {
	in_effect
	model.controlled
	transfer.deemed_export_exempt
}

outcome := "license_exception" if {
	in_effect
	model.controlled
	not transfer.deemed_export_exempt
	transfer.aia_available
}

outcome := "license_required" if {
	in_effect
	model.controlled
	not transfer.deemed_export_exempt
	not transfer.aia_available
}

allowed := outcome in {"not_controlled", "no_license_required", "license_exception"}

authorization := "AIA" if outcome == "license_exception"

authorization := null if outcome != "license_exception"

review_policy := transfer.review_policy if outcome == "license_required"

review_policy := null if outcome != "license_required"

outcome_reasons := [data.aidf.lib.result.reason("W_LICENCE_WORLDWIDE", [])] if {
	model.controlled
} else := []

transfer_reasons := [data.aidf.lib.result.reason("W_DEEMED_EXPORT_EXEMPT", [])] if {
	outcome == "no_license_required"
} else := [data.aidf.lib.result.reason("WAIA_AVAILABLE", [])] if {
	outcome == "license_exception"
} else := array.concat(
	data.aidf.lib.result.sorted(transfer.aia_blockers),
	array.concat(data.aidf.lib.result.sorted(transfer.review_reasons), transfer.api_note),
) if {
	outcome == "license_required"
} else := []

reasons := array.concat(model.determination.steps, array.concat(outcome_reasons, transfer_reasons)) if in_effect

reasons := [data.aidf.lib.result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

obligations := transfer.aia_obligations if outcome == "license_exception"

obligations := [data.aidf.lib.result.obligation("OBL_LIC_APPLICATION_WEIGHTS", [], "before the transfer")] if outcome == "license_required"

obligations := [] if not outcome in {"license_exception", "license_required"}

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], detail[outcome]])

detail := {
	"framework_not_in_effect": "the framework took effect on 13 January 2025",
	"not_controlled": sprintf("%s is not an ECCN 4E091 model", [input.model.name]),
	"no_license_required": "deemed export to a permanent regular employee of a Supp. No. 5(a)-headquartered entity (15 CFR 742.6(a)(13))",
	"license_exception": "License Exception AIA (15 CFR 740.27(a)(2)(ii), (a)(3))",
	"license_required": sprintf("licence application reviewed under a %s", [words[review_policy_or_none]]),
}

review_policy_or_none := review_policy if review_policy != null

review_policy_or_none := "none" if review_policy == null

words := {"presumption_of_denial": "presumption of denial", "presumption_of_approval": "presumption of approval", "none": "-"}

decision := {
	"action": "transfer_model_weights",
	"request_id": object.get(input, "request_id", null),
	"as_of": as_of,
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"review_policy": review_policy,
	"summary": summary,
	"model": model.determination,
	"recipient": {
		"location": data.aidf.lib.countries.party(transfer.location, as_of),
		"headquarters": data.aidf.lib.countries.party(transfer.hq, as_of),
		"ultimate_parent_headquarters": data.aidf.lib.countries.party(transfer.parent_hq, as_of),
	},
	"reasons": reasons,
	"obligations": obligations,
	"rule_status": data.aidf.lib.status.status(as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}
