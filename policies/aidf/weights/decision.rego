# The transfer_model_weights decision (RULE.md 7).
package aidf.weights.decision

import data.aidf.weights.model
import data.aidf.weights.transfer
import rego.v1

as_of := input.as_of

in_effect if data.aidf.lib.status.in_effect(as_of)

# A hand-over inside the United States is not an export event (aidf.lib.jurisdiction).
domestic if {
	data.aidf.lib.jurisdiction.domestic(input.transaction, input.recipient.located_in)
	data.aidf.lib.jurisdiction.in_united_states(object.get(object.get(input, "storage", {}), "facility_country", input.recipient.located_in))
}

# A release to a US citizen or permanent resident is no release to a foreign person (734.13(b)).
domestic if {
	input.transaction == "deemed_export"
	data.aidf.lib.jurisdiction.in_united_states(input.recipient.nationality)
}

outcome := "not_subject" if domestic

outcome := "framework_not_in_effect" if {
	not domestic
	not in_effect
}

outcome := "not_controlled" if {
	not domestic
	in_effect
	not model.controlled
}

outcome := "no_license_required" if {
	not domestic
	in_effect
	model.controlled
	transfer.deemed_export_exempt
}

outcome := "license_exception" if {
	not domestic
	in_effect
	model.controlled
	not transfer.deemed_export_exempt
	transfer.aia_available
}

outcome := "license_required" if {
	not domestic
	in_effect
	model.controlled
	not transfer.deemed_export_exempt
	not transfer.aia_available
}

allowed := outcome in {"not_controlled", "no_license_required", "license_exception", "not_subject"}

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

reasons := array.concat(
	model.determination.steps,
	array.concat(outcome_reasons, array.concat(deemed_reasons, array.concat(transfer_reasons, overlap_reasons))),
) if {
	not domestic
	in_effect
}

reasons := [data.aidf.lib.result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if {
	not domestic
	not in_effect
}

reasons := [data.aidf.lib.result.reason("W_JURISDICTION_DOMESTIC", [
	data.aidf.lib.countries.place(input.recipient.located_in),
	transaction_words[input.transaction],
])] if domestic

# For a deemed export, the country the release is an export to (15 CFR 734.13(b)).
deemed_export_country := {"deemed_export_to": data.aidf.lib.countries.party(transfer.location, as_of)} if {
	transfer.deemed
} else := {}

transaction_words := {
	"deemed_export": "a release to a person whose nationality is the United States, who is no foreign person (15 CFR 734.13(b))",
	"domestic_transfer": "a hand-over inside the United States",
	"in_country_transfer": "an in-country transfer inside the United States, which 15 CFR 734.16 does not recognise (an in-country transfer happens within a foreign country)",
}

overlap_reasons := data.aidf.lib.result.sorted(transfer.overlap_reasons) if model.controlled else := []

deemed_reasons := [data.aidf.lib.result.reason("W_DEEMED_EXPORT_COUNTRY", [data.aidf.lib.countries.place(transfer.location)])] if {
	model.controlled
	transfer.deemed
} else := []

obligations := transfer.aia_obligations if outcome == "license_exception"

obligations := [data.aidf.lib.result.obligation("OBL_LIC_APPLICATION_WEIGHTS", [], "before the transfer")] if outcome == "license_required"

obligations := [] if not outcome in {"license_exception", "license_required"}

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], detail[outcome]])

detail := {
	"framework_not_in_effect": "the framework took effect on 13 January 2025",
	"not_subject": "a hand-over inside the United States is not an export, reexport or in-country transfer (15 CFR 734.13-734.16)",
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
	"recipient": object.union(
		{
			"location": data.aidf.lib.countries.party(input.recipient.located_in, as_of),
			"headquarters": data.aidf.lib.countries.party(transfer.hq, as_of),
			"ultimate_parent_headquarters": data.aidf.lib.countries.party(transfer.parent_hq, as_of),
		},
		deemed_export_country,
	),
	"reasons": reasons,
	"obligations": obligations,
	"rule_status": data.aidf.lib.status.status(as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}
