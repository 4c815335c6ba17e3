# The export_chips decision: classification -> licence requirement -> authorizations -> review.
package aidf.chips.decision

import data.aidf.chips.authorizations.aca_nac
import data.aidf.chips.authorizations.acm
import data.aidf.chips.authorizations.aia
import data.aidf.chips.authorizations.lpp
import data.aidf.chips.authorizations.veu
import data.aidf.chips.classify
import data.aidf.chips.request as req
import data.aidf.chips.requirement
import data.aidf.chips.review
import rego.v1

titles := data.aidf.facts.catalogue.authorizations

checks := {
	"AIA": {"blockers": aia.blockers, "obligations": aia.obligations},
	"ACM": {"blockers": acm.blockers, "obligations": acm.obligations},
	"LPP": {"blockers": lpp.blockers, "obligations": lpp.obligations},
	"ACA": {"blockers": aca_nac.aca_blockers, "obligations": aca_nac.aca_obligations},
	"NAC": {"blockers": aca_nac.nac_blockers, "obligations": aca_nac.nac_obligations},
	"UVEU": {"blockers": veu.uveu_blockers, "obligations": data.aidf.chips.authorizations.veu.obligations("UVEU")},
	"NVEU": {"blockers": veu.nveu_blockers, "obligations": data.aidf.chips.authorizations.veu.obligations("NVEU")},
}

order := data.aidf.facts.params.authorization_preference.order

available := [n | some n in order; count(checks[n].blockers) == 0]

considered := [{
	"authorization": n,
	"title": titles[n].title,
	"citation": titles[n].citation,
	"available": count(checks[n].blockers) == 0,
	"why_not": data.aidf.lib.result.sorted(checks[n].blockers),
} |
	some n in order
]

in_effect if data.aidf.lib.status.in_effect(req.as_of)

# A sale or hand-over inside the United States is not an export event (aidf.lib.jurisdiction).
domestic if {
	data.aidf.lib.jurisdiction.domestic(req.transaction, req.location)
	data.aidf.lib.jurisdiction.in_united_states(req.destination)
}

needs_licence if count(requirement.licensable) > 0

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
relied_on := available if not data.aidf.chips.lines.mixed

relied_on := data.aidf.chips.lines.used if data.aidf.chips.lines.every_line_covered

relied_on := [] if {
	data.aidf.chips.lines.mixed
	not data.aidf.chips.lines.every_line_covered
}

# The items a licence application would cover: all licensable ones, or the uncovered lines.
licence_items := data.aidf.chips.lines.uncovered_items if data.aidf.chips.lines.mixed

licence_items := all_licensable if {
	not data.aidf.chips.lines.mixed
	all_licensable := [input.items[c.index] | some c in requirement.licensable]
}

allowed := outcome in {"no_license_required", "veu_authorization", "license_exception", "not_subject"}

authorization := relied_on[0] if outcome in {"veu_authorization", "license_exception"}

authorization := null if not outcome in {"veu_authorization", "license_exception"}

review_policy := p if {
	outcome == "license_required"
	its := licence_items # bound first: regorus evaluates a `with` value after the replacement
	p := review.policy with input.items as its
}

review_policy := null if outcome != "license_required"

# --- reasons -------------------------------------------------------------------
authorization_reasons := [data.aidf.lib.result.reason_citing("AUTH_CHOSEN", [titles[authorization].title, titles[authorization].citation, also_available], titles[authorization].citation)] if authorization != null

authorization_reasons := [data.aidf.lib.result.reason("AUTH_NONE", [data.aidf.lib.fmt.prose(order)])] if outcome == "license_required"

authorization_reasons := [] if outcome in {"no_license_required", "framework_not_in_effect", "not_subject"}

also_available := "no other authorization is available" if {
	not data.aidf.chips.lines.mixed
	count(available) == 1
}

also_available := sprintf("also available: %s", [data.aidf.lib.fmt.prose(array.slice(available, 1, count(available)))]) if {
	not data.aidf.chips.lines.mixed
	count(available) > 1
}

# Line by line, the other authorizations relied on for the other lines.
also_available := "it covers every line" if {
	data.aidf.chips.lines.mixed
	count(relied_on) == 1
}

also_available := sprintf("the other lines rely on %s (see lines)", [data.aidf.lib.fmt.prose(array.slice(relied_on, 1, count(relied_on)))]) if {
	data.aidf.chips.lines.mixed
	count(relied_on) > 1
}

review_reasons := data.aidf.lib.result.sorted(r) if {
	outcome == "license_required"
	its := licence_items
	r := review.reasons with input.items as its
}

review_reasons := [] if outcome != "license_required"

status_reasons := [data.aidf.lib.result.reason("STATUS_NOT_IN_EFFECT", [req.as_of])] if not in_effect

status_reasons := data.aidf.lib.result.sorted(status_notes) if in_effect

# The Macau/D:5-headquarters requirement predates the framework (744.23(a)(3), 17 November 2023):
# it is never described as "not enforced", before or after BIS's guidance of 31 May 2026.
status_notes contains data.aidf.lib.result.reason("STATUS_NON_ENFORCEMENT", [req.as_of]) if {
	data.aidf.lib.status.enforcement(req.as_of) != "as_written"
	needs_licence
	count(req.d5_hq_links) == 0
}

status_notes contains data.aidf.lib.result.reason("STATUS_D5_HQ_ENFORCED", [req.as_of]) if {
	data.aidf.lib.status.enforcement(req.as_of) != "as_written"
	count(req.d5_hq_links) > 0
	needs_licence
}

reasons := array.concat(
	array.concat(data.aidf.lib.result.sorted(classify.reasons), data.aidf.lib.result.sorted(requirement.reasons)),
	array.concat(array.concat(array.concat(line_reasons, authorization_reasons), review_reasons), status_reasons),
) if {
	not domestic
	in_effect
}

reasons := status_reasons if {
	not domestic
	not in_effect
}

reasons := array.concat(data.aidf.lib.result.sorted(classify.reasons), [domestic_reason]) if domestic

domestic_reason := data.aidf.lib.result.reason("JURISDICTION_DOMESTIC", [
	data.aidf.lib.countries.place(req.location),
	transaction_words[req.transaction],
])

transaction_words := {
	"domestic_transfer": "a sale or hand-over inside the United States",
	"in_country_transfer": "an in-country transfer inside the United States, which 15 CFR 734.16 does not recognise (an in-country transfer happens within a foreign country)",
}

obligations := checks[authorization].obligations if {
	authorization != null
	not data.aidf.chips.lines.mixed
}

obligations := o if {
	outcome == "license_required"
	not data.aidf.chips.lines.mixed
	its := licence_items
	o := review.obligations with input.items as its
}

# Line by line: each authorization's obligations for its own lines, then the licence's.
obligations := array.concat(line_obligations, licence_obligations) if data.aidf.chips.lines.mixed

line_obligations := [o |
	some a in data.aidf.chips.lines.used
	its := data.aidf.chips.lines.items_under(a)
	each := checks[a].obligations with input.items as its
	some o in each
]

licence_obligations := o if {
	outcome == "license_required"
	its := licence_items
	o := review.obligations with input.items as its
} else := []

line_reasons := [data.aidf.lib.result.reason("LINES_SPLIT", [data.aidf.chips.lines.split_words])] if data.aidf.chips.lines.mixed else := []

obligations := [] if outcome in {"no_license_required", "framework_not_in_effect", "not_subject"}

# --- TPP -----------------------------------------------------------------------
# Only the TPP of the lines that use LPP, or of the lines a licence must cover, counts.
counts_against := object.union(
	lpp.usage,
	{"ultimate_parent_headquarters": req.parent_hq},
) if {
	authorization == "LPP"
	not data.aidf.chips.lines.mixed
} else := allocation if {
	outcome == "license_required"
	its := licence_items
	review.allocation_applies with input.items as its
	allocation := review.allocation with input.items as its
} else := usage if {
	data.aidf.chips.lines.mixed
	"LPP" in data.aidf.chips.lines.used
	its := data.aidf.chips.lines.items_under("LPP")
	lpp_usage := lpp.usage with input.items as its
	usage := object.union(lpp_usage, {"ultimate_parent_headquarters": req.parent_hq})
} else := null

requiring_authorization := 0 if domestic else := requirement.licensable_tpp

tpp := {
	"shipment_total": classify.tpp_total,
	"a_level": classify.a_level_tpp,
	"b_level": classify.b_level_tpp,
	"requiring_authorization": requiring_authorization,
	"counts_against": counts_against,
}

summary := sprintf("%s: %s", [outcome_words[outcome], detail]) if {
	detail := summary_detail
}

summary_detail := sprintf("%s (%s)", [titles[authorization].title, titles[authorization].citation]) if authorization != null

summary_detail := sprintf("licence application reviewed under a %s", [policy_words[review_policy]]) if outcome == "license_required"

summary_detail := "no item in this request needs a licence under the framework" if outcome == "no_license_required"

summary_detail := sprintf("%s, to a consignee located in %s, is not an export, reexport or in-country transfer (15 CFR 734.13-734.16)", [transaction_words[req.transaction], data.aidf.lib.countries.place(req.location)]) if outcome == "not_subject"

summary_detail := sprintf("the framework took effect on 13 January 2025; the as-of date is %s", [req.as_of]) if outcome == "framework_not_in_effect"

outcome_words := data.aidf.facts.catalogue.outcomes

policy_words := data.aidf.facts.catalogue.review_policies

decision := {
	"action": "export_chips",
	"request_id": object.get(input, "request_id", null),
	"as_of": req.as_of,
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"review_policy": review_policy,
	"summary": summary,
	"parties": {
		"destination": data.aidf.lib.countries.party(req.destination, req.as_of),
		"location": data.aidf.lib.countries.party(req.location, req.as_of),
		"headquarters": data.aidf.lib.countries.party(req.hq, req.as_of),
		"ultimate_parent_headquarters": data.aidf.lib.countries.party(req.parent_hq, req.as_of),
	},
	"items": classify.items,
	"lines": data.aidf.chips.lines.view,
	"authorizations": {"available": available, "considered": considered},
	"reasons": reasons,
	"obligations": obligations,
	"tpp": tpp,
	"rule_status": data.aidf.lib.status.status(req.as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}
