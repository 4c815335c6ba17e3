# The transfer_model_weights decision.
package aidf.weights.decision

import data.aidf.lib.countries
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import data.aidf.lib.status
import data.aidf.weights.model.controlled
import data.aidf.weights.model.determination
import data.aidf.weights.transfer.aia_available
import data.aidf.weights.transfer.aia_blockers
import data.aidf.weights.transfer.aia_obligations
import data.aidf.weights.transfer.api_note
import data.aidf.weights.transfer.deemed
import data.aidf.weights.transfer.deemed_export_exempt
import data.aidf.weights.transfer.hq
import data.aidf.weights.transfer.location
import data.aidf.weights.transfer.parent_hq
import data.aidf.weights.transfer.review_reasons
import rego.v1

as_of := input.as_of

in_effect if status.in_effect(as_of)

# A hand-over inside the United States is not an export event (aidf.lib.jurisdiction).
domestic if {
	jurisdiction.domestic(input.transaction, input.recipient.located_in)
	facility_country := object.get(object.get(input, "storage", {}), "facility_country", input.recipient.located_in)
	jurisdiction.in_united_states(facility_country)
}

# A release to a US citizen or permanent resident is no release to a foreign person (734.13(b)).
domestic if {
	input.transaction == "deemed_export"
	jurisdiction.in_united_states(input.recipient.nationality)
}

outcome := "not_subject" if domestic

outcome := "framework_not_in_effect" if {
	not domestic
	not in_effect
}

outcome := "not_controlled" if {
	not domestic
	in_effect
	not controlled
}

outcome := "no_license_required" if {
	not domestic
	in_effect
	controlled
	deemed_export_exempt
}

outcome := "license_exception" if {
	not domestic
	in_effect
	controlled
	not deemed_export_exempt
	aia_available
}

outcome := "license_required" if {
	not domestic
	in_effect
	controlled
	not deemed_export_exempt
	not aia_available
}

allowed := outcome in {"not_controlled", "no_license_required", "license_exception", "not_subject"}

authorization := "AIA" if outcome == "license_exception"

authorization := null if outcome != "license_exception"

review_policy := data.aidf.weights.transfer.review_policy if outcome == "license_required"

review_policy := null if outcome != "license_required"

outcome_reasons := [result.reason("W_LICENCE_WORLDWIDE", [])] if {
	controlled
} else := []

transfer_reasons := [result.reason("W_DEEMED_EXPORT_EXEMPT", [])] if {
	outcome == "no_license_required"
} else := [result.reason("WAIA_AVAILABLE", [])] if {
	outcome == "license_exception"
} else := array.concat(
	result.sorted(aia_blockers),
	array.concat(result.sorted(review_reasons), api_note),
) if {
	outcome == "license_required"
} else := []

reasons := result.flatten([
	determination.steps,
	outcome_reasons,
	deemed_reasons,
	transfer_reasons,
	overlap_reasons,
]) if {
	not domestic
	in_effect
}

reasons := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if {
	not domestic
	not in_effect
}

reasons := [result.reason("W_JURISDICTION_DOMESTIC", [
	countries.place(input.recipient.located_in),
	transaction_words[input.transaction],
])] if domestic

# For a deemed export, the country the release is an export to (15 CFR 734.13(b)).
deemed_export_country := {"deemed_export_to": countries.party(location, as_of)} if {
	deemed
} else := {}

transaction_words := {
	"deemed_export": "a release to a person whose nationality is the United States, who is no foreign person (15 CFR 734.13(b))",
	"domestic_transfer": "a hand-over inside the United States",
	"in_country_transfer": "an in-country transfer inside the United States, which 15 CFR 734.16 does not recognise (an in-country transfer happens within a foreign country)",
}

overlap_reasons := result.sorted(data.aidf.weights.transfer.overlap_reasons) if controlled else := []

deemed_reasons := [result.reason("W_DEEMED_EXPORT_COUNTRY", [countries.place(location)])] if {
	controlled
	deemed
} else := []

obligations := aia_obligations if outcome == "license_exception"

obligations := [result.obligation("OBL_LIC_APPLICATION_WEIGHTS", [], "before the transfer")] if {
	outcome == "license_required"
}

obligations := [] if not outcome in {"license_exception", "license_required"}

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], detail[outcome]])

detail := {
	"framework_not_in_effect": sprintf("the framework took effect on %s", [data.aidf.lib.status.words_effective]),
	"not_subject": "a hand-over inside the United States is not an export, reexport or in-country transfer (15 CFR 734.13-734.16)",
	"not_controlled": sprintf("%s is not an ECCN 4E091 model", [input.model.name]),
	"no_license_required": "deemed export to a permanent regular employee of a Supp. No. 5(a)-headquartered entity (15 CFR 742.6(a)(13))",
	"license_exception": "License Exception AIA (15 CFR 740.27(a)(2)(ii), (a)(3))",
	"license_required": sprintf("licence application reviewed under a %s", [words[review_policy_or_none]]),
}

review_policy_or_none := review_policy if review_policy != null

review_policy_or_none := "none" if review_policy == null

words := {
	"presumption_of_denial": "presumption of denial",
	"presumption_of_approval": "presumption of approval",
	"none": "-",
}

decision := result.decision("transfer_model_weights", as_of, {
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"review_policy": review_policy,
	"summary": summary,
	"model": determination,
	"recipient": object.union(
		{
			"location": countries.party(input.recipient.located_in, as_of),
			"headquarters": countries.party(hq, as_of),
			"ultimate_parent_headquarters": countries.party(parent_hq, as_of),
		},
		deemed_export_country,
	),
	"reasons": reasons,
	"obligations": obligations,
})
