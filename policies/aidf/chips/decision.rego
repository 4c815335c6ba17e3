# The export_chips decision: classification -> licence requirement -> authorizations -> review.
package aidf.chips.decision

import data.aidf.chips.authorizations.aca_nac.aca_blockers
import data.aidf.chips.authorizations.aca_nac.aca_obligations
import data.aidf.chips.authorizations.aca_nac.nac_blockers
import data.aidf.chips.authorizations.aca_nac.nac_obligations
import data.aidf.chips.authorizations.aia.blockers
import data.aidf.chips.authorizations.veu
import data.aidf.chips.authorizations.veu.nveu_blockers
import data.aidf.chips.authorizations.veu.uveu_blockers
import data.aidf.chips.classify.a_level_tpp
import data.aidf.chips.classify.b_level_tpp
import data.aidf.chips.classify.items
import data.aidf.chips.classify.tpp_total
import data.aidf.chips.lines
import data.aidf.chips.lines.every_line_covered
import data.aidf.chips.lines.mixed
import data.aidf.chips.lines.split_words
import data.aidf.chips.lines.uncovered_items
import data.aidf.chips.lines.used
import data.aidf.chips.lines.view
import data.aidf.chips.request.as_of
import data.aidf.chips.request.d5_hq_links
import data.aidf.chips.request.destination
import data.aidf.chips.request.hq
import data.aidf.chips.request.location
import data.aidf.chips.request.parent_hq
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable
import data.aidf.chips.requirement.licensable_tpp
import data.aidf.chips.review.allocation_applies
import data.aidf.chips.review.policy
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

titles := data.aidf.facts.catalogue.authorizations

checks := {
	"AIA": {"blockers": blockers, "obligations": data.aidf.chips.authorizations.aia.obligations},
	"ACM": {"blockers": data.aidf.chips.authorizations.acm.blockers, "obligations": data.aidf.chips.authorizations.acm.obligations},
	"LPP": {"blockers": data.aidf.chips.authorizations.lpp.blockers, "obligations": data.aidf.chips.authorizations.lpp.obligations},
	"ACA": {"blockers": aca_blockers, "obligations": aca_obligations},
	"NAC": {"blockers": nac_blockers, "obligations": nac_obligations},
	"UVEU": {"blockers": uveu_blockers, "obligations": veu.obligations("UVEU")},
	"NVEU": {"blockers": nveu_blockers, "obligations": veu.obligations("NVEU")},
}

order := data.aidf.facts.params.authorization_preference.order

available := [n | some n in order; count(checks[n].blockers) == 0]

considered := [{
	"authorization": n,
	"title": titles[n].title,
	"citation": titles[n].citation,
	"available": count(checks[n].blockers) == 0,
	"why_not": result.sorted(checks[n].blockers),
} |
	some n in order
]

in_effect if status.in_effect(as_of)

# A sale or hand-over inside the United States is not an export event (aidf.lib.jurisdiction).
domestic if {
	jurisdiction.domestic(transaction, location)
	jurisdiction.in_united_states(destination)
}

needs_licence if count(licensable) > 0

# --- outcome -------------------------------------------------------------------
outcome := "not_subject" if domestic

outcome := "framework_not_in_effect" if {
	not domestic
	not in_effect
}

outcome := "no_license_required" if {
	not domestic
	in_effect
	not needs_licence
}

outcome := "veu_authorization" if {
	not domestic
	in_effect
	needs_licence
	relied_on[0] in {"UVEU", "NVEU"}
}

outcome := "license_exception" if {
	not domestic
	in_effect
	needs_licence
	count(relied_on) > 0
	not relied_on[0] in {"UVEU", "NVEU"}
}

outcome := "license_required" if {
	not domestic
	in_effect
	needs_licence
	count(relied_on) == 0
}

# One authorization for the whole shipment; or, line by line (aidf.chips.lines), the ones that
# together cover every line.
relied_on := available if not mixed

relied_on := used if every_line_covered

relied_on := [] if {
	mixed
	not every_line_covered
}

# The items a licence application would cover: all licensable ones, or the uncovered lines.
licence_items := uncovered_items if mixed

licence_items := all_licensable if {
	not mixed
	all_licensable := [input.items[c.index] | some c in licensable]
}

allowed := outcome in {"no_license_required", "veu_authorization", "license_exception", "not_subject"}

authorization := relied_on[0] if outcome in {"veu_authorization", "license_exception"}

authorization := null if not outcome in {"veu_authorization", "license_exception"}

review_policy := p if {
	outcome == "license_required"
	its := licence_items # bound first: regorus evaluates a `with` value after the replacement
	p := policy with input.items as its
}

review_policy := null if outcome != "license_required"

# --- reasons -------------------------------------------------------------------
authorization_reasons := [result.reason_citing("AUTH_CHOSEN", [titles[authorization].title, titles[authorization].citation, also_available], titles[authorization].citation)] if authorization != null

authorization_reasons := [result.reason("AUTH_NONE", [fmt.prose(order)])] if outcome == "license_required"

authorization_reasons := [] if outcome in {"no_license_required", "framework_not_in_effect", "not_subject"}

also_available := "no other authorization is available" if {
	not mixed
	count(available) == 1
}

also_available := sprintf("also available: %s", [fmt.prose(array.slice(available, 1, count(available)))]) if {
	not mixed
	count(available) > 1
}

# Line by line, the other authorizations relied on for the other lines.
also_available := "it covers every line" if {
	mixed
	count(relied_on) == 1
}

also_available := sprintf("the other lines rely on %s (see lines)", [fmt.prose(array.slice(relied_on, 1, count(relied_on)))]) if {
	mixed
	count(relied_on) > 1
}

review_reasons := result.sorted(r) if {
	outcome == "license_required"
	its := licence_items
	r := data.aidf.chips.review.reasons with input.items as its
}

review_reasons := [] if outcome != "license_required"

status_reasons := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

status_reasons := result.sorted(status_notes) if in_effect

# The Macau/D:5-headquarters requirement predates the framework (744.23(a)(3), 17 November 2023):
# it is never described as "not enforced", before or after BIS's guidance of 31 May 2026.
status_notes contains result.reason("STATUS_NON_ENFORCEMENT", [as_of]) if {
	status.enforcement(as_of) != "as_written"
	needs_licence
	count(d5_hq_links) == 0
}

status_notes contains result.reason("STATUS_D5_HQ_ENFORCED", [as_of]) if {
	status.enforcement(as_of) != "as_written"
	count(d5_hq_links) > 0
	needs_licence
}

reasons := array.concat(
	array.concat(result.sorted(data.aidf.chips.classify.reasons), result.sorted(data.aidf.chips.requirement.reasons)),
	array.concat(array.concat(array.concat(line_reasons, authorization_reasons), review_reasons), status_reasons),
) if {
	not domestic
	in_effect
}

reasons := status_reasons if {
	not domestic
	not in_effect
}

reasons := array.concat(result.sorted(data.aidf.chips.classify.reasons), [domestic_reason]) if domestic

domestic_reason := result.reason("JURISDICTION_DOMESTIC", [
	countries.place(location),
	transaction_words[transaction],
])

transaction_words := {
	"domestic_transfer": "a sale or hand-over inside the United States",
	"in_country_transfer": "an in-country transfer inside the United States, which 15 CFR 734.16 does not recognise (an in-country transfer happens within a foreign country)",
}

obligations := checks[authorization].obligations if {
	authorization != null
	not mixed
}

obligations := o if {
	outcome == "license_required"
	not mixed
	its := licence_items
	o := data.aidf.chips.review.obligations with input.items as its
}

# Line by line: each authorization's obligations for its own lines, then the licence's.
obligations := array.concat(line_obligations, licence_obligations) if mixed

line_obligations := [o |
	some a in used
	its := lines.items_under(a)
	each := checks[a].obligations with input.items as its
	some o in each
]

licence_obligations := o if {
	outcome == "license_required"
	its := licence_items
	o := data.aidf.chips.review.obligations with input.items as its
} else := []

line_reasons := [result.reason("LINES_SPLIT", [split_words])] if mixed else := []

obligations := [] if outcome in {"no_license_required", "framework_not_in_effect", "not_subject"}

# --- TPP -----------------------------------------------------------------------
# Only the TPP of the lines that use LPP, or of the lines a licence must cover, counts.
counts_against := object.union(
	data.aidf.chips.authorizations.lpp.usage,
	{"ultimate_parent_headquarters": parent_hq},
) if {
	authorization == "LPP"
	not mixed
} else := allocation if {
	outcome == "license_required"
	its := licence_items
	allocation_applies with input.items as its
	allocation := data.aidf.chips.review.allocation with input.items as its
} else := usage if {
	mixed
	"LPP" in used
	its := lines.items_under("LPP")
	lpp_usage := data.aidf.chips.authorizations.lpp.usage with input.items as its
	usage := object.union(lpp_usage, {"ultimate_parent_headquarters": parent_hq})
} else := null

requiring_authorization := 0 if domestic else := licensable_tpp

tpp := {
	"shipment_total": tpp_total,
	"a_level": a_level_tpp,
	"b_level": b_level_tpp,
	"requiring_authorization": requiring_authorization,
	"counts_against": counts_against,
}

summary := sprintf("%s: %s", [outcome_words[outcome], detail]) if {
	detail := summary_detail
}

summary_detail := sprintf("%s (%s)", [titles[authorization].title, titles[authorization].citation]) if authorization != null

summary_detail := sprintf("licence application reviewed under a %s", [policy_words[review_policy]]) if outcome == "license_required"

summary_detail := "no item in this request needs a licence under the framework" if outcome == "no_license_required"

summary_detail := sprintf("%s, to a consignee located in %s, is not an export, reexport or in-country transfer (15 CFR 734.13-734.16)", [transaction_words[transaction], countries.place(location)]) if outcome == "not_subject"

summary_detail := sprintf("the framework took effect on 13 January 2025; the as-of date is %s", [as_of]) if outcome == "framework_not_in_effect"

outcome_words := data.aidf.facts.catalogue.outcomes

policy_words := data.aidf.facts.catalogue.review_policies

decision := {
	"action": "export_chips",
	"request_id": object.get(input, "request_id", null),
	"as_of": as_of,
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"review_policy": review_policy,
	"summary": summary,
	"parties": {
		"destination": countries.party(destination, as_of),
		"location": countries.party(location, as_of),
		"headquarters": countries.party(hq, as_of),
		"ultimate_parent_headquarters": countries.party(parent_hq, as_of),
	},
	"items": items,
	"lines": view,
	"authorizations": {"available": available, "considered": considered},
	"reasons": reasons,
	"obligations": obligations,
	"tpp": tpp,
	"rule_status": status.status(as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}
