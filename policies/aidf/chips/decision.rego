# The export_chips decision: classification -> licence requirement -> authorizations -> review.
#
# Each authorization is one package, aidf.chips.authorizations.<its code in lower case> (AIA:
# aidf.chips.authorizations.aia), and every one exposes the same interface:
#   name            its code, as in the catalogue and the preference order ("AIA")
#   outcome         the outcome of a shipment that relies on it: "license_exception" or "veu_authorization"
#   blockers        a set of reasons it cannot be used (empty: it is available)
#   obligations     an array of what using it entails
#   counts_against  the allocation or limit the shipment then counts against, or null
# The authorizations weighed are those in the preference order
# (data.aidf.facts.params.authorization_preference.order): a new one is a new package and its code there.
package aidf.chips.decision

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
import data.aidf.chips.request.location_place
import data.aidf.chips.request.parent_hq
import data.aidf.chips.request.transaction
import data.aidf.chips.requirement.licensable
import data.aidf.chips.requirement.licensable_tpp
import data.aidf.chips.review.licence_review
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

_titles := data.aidf.facts.catalogue.authorizations

_order := data.aidf.facts.params.authorization_preference.order

# Each authorization's blockers, by code. Every authorization is named here by its full path, once:
# a reference through a variable (data.aidf.chips.authorizations[p]) makes regorus 0.13 evaluate
# every rule below data.aidf.chips.authorizations (every obligation of every authorization) on
# each lookup. A new authorization is a new package, its code in the preference order, and a
# line in each of these tables.
_blockers_of := {code: _all_blockers[code] | some code in _order}

_all_blockers := {
	"ACA": data.aidf.chips.authorizations.aca.blockers,
	"UVEU": data.aidf.chips.authorizations.uveu.blockers,
	"NVEU": data.aidf.chips.authorizations.nveu.blockers,
	"AIA": data.aidf.chips.authorizations.aia.blockers,
	"ACM": data.aidf.chips.authorizations.acm.blockers,
	"LPP": data.aidf.chips.authorizations.lpp.blockers,
	"NAC": data.aidf.chips.authorizations.nac.blockers,
}

# The rest of the interface, read only for the authorization relied on.
outcome_of("ACA") := data.aidf.chips.authorizations.aca.outcome

outcome_of("UVEU") := data.aidf.chips.authorizations.uveu.outcome

outcome_of("NVEU") := data.aidf.chips.authorizations.nveu.outcome

outcome_of("AIA") := data.aidf.chips.authorizations.aia.outcome

outcome_of("ACM") := data.aidf.chips.authorizations.acm.outcome

outcome_of("LPP") := data.aidf.chips.authorizations.lpp.outcome

outcome_of("NAC") := data.aidf.chips.authorizations.nac.outcome

obligations_of("ACA") := data.aidf.chips.authorizations.aca.obligations

obligations_of("UVEU") := data.aidf.chips.authorizations.uveu.obligations

obligations_of("NVEU") := data.aidf.chips.authorizations.nveu.obligations

obligations_of("AIA") := data.aidf.chips.authorizations.aia.obligations

obligations_of("ACM") := data.aidf.chips.authorizations.acm.obligations

obligations_of("LPP") := data.aidf.chips.authorizations.lpp.obligations

obligations_of("NAC") := data.aidf.chips.authorizations.nac.obligations

counts_against_of("ACA") := data.aidf.chips.authorizations.aca.counts_against

counts_against_of("UVEU") := data.aidf.chips.authorizations.uveu.counts_against

counts_against_of("NVEU") := data.aidf.chips.authorizations.nveu.counts_against

counts_against_of("AIA") := data.aidf.chips.authorizations.aia.counts_against

counts_against_of("ACM") := data.aidf.chips.authorizations.acm.counts_against

counts_against_of("LPP") := data.aidf.chips.authorizations.lpp.counts_against

counts_against_of("NAC") := data.aidf.chips.authorizations.nac.counts_against

available := [code | some code in _order; count(_blockers_of[code]) == 0]

_considered := [{
	"authorization": code,
	"title": _titles[code].title,
	"citation": _titles[code].citation,
	"available": count(_blockers_of[code]) == 0,
	"why_not": result.sorted(_blockers_of[code]),
} |
	some code in _order
]

in_effect if status.in_effect(as_of)

# A sale or hand-over inside the United States is not an export event (aidf.lib.jurisdiction).
domestic if {
	jurisdiction.domestic(transaction, location)
	jurisdiction.in_united_states(destination)
}

needs_licence if count(licensable) > 0

# --- outcome -------------------------------------------------------------------
# Jurisdiction first, then the framework's effective date, then the licence requirement, then the
# authorizations relied on; a licence when none covers the shipment.
_outcome := "not_subject" if {
	domestic
} else := "framework_not_in_effect" if {
	not in_effect
} else := "no_license_required" if {
	not needs_licence
} else := relied_on_outcome if {
	count(_relied_on) > 0
	relied_on_outcome := outcome_of(_relied_on[0])
} else := "license_required"

# One authorization for the whole shipment; or, line by line (aidf.chips.lines), the ones that
# together cover every line.
_relied_on := available if {
	not mixed
} else := used if {
	every_line_covered
} else := []

# The items a licence application would cover: the uncovered lines, or all licensable ones.
_licence_items := uncovered_items if {
	mixed
} else := [input.items[c.index] | some c in licensable]

# The outcomes where nothing needs an authorization.
_nothing_to_authorize := {"no_license_required", "framework_not_in_effect", "not_subject"}

_allowed := _outcome in {"no_license_required", "veu_authorization", "license_exception", "not_subject"}

authorization := _relied_on[0] if {
	_outcome in {"veu_authorization", "license_exception"}
} else := null

_review_policy := null if {
	_outcome != "license_required"
} else := _review.policy[0]

# The licence review (aidf.chips.review.licence_review), read only when a licence is required: of
# the shipment itself, or of the lines the licence covers (a `with` re-evaluates every rule that
# reads input, so it is used only when those lines are not all the items).
_review := licence_review if {
	_licence_items == input.items
} else := r if {
	its := _licence_items # bound first: regorus evaluates a `with` value after the replacement
	r := licence_review with input.items as its
}

# --- reasons -------------------------------------------------------------------
_reasons := array.concat(result.sorted(data.aidf.chips.classify.reasons), [_domestic_reason]) if {
	domestic
} else := _status_reasons if {
	not in_effect
} else := [r |
	some part in [
		result.sorted(data.aidf.chips.classify.reasons),
		result.sorted(data.aidf.chips.requirement.reasons),
		_line_reasons,
		_authorization_reasons,
		_review_reasons,
		_status_reasons,
	]
	some r in part
]

_line_reasons := [result.reason("LINES_SPLIT", [split_words])] if mixed else := []

_authorization_reasons := [] if {
	_outcome in _nothing_to_authorize
} else := [result.reason_citing(
	"AUTH_CHOSEN",
	[_titles[authorization].title, _titles[authorization].citation, _also_available],
	_titles[authorization].citation,
)] if {
	authorization != null
} else := [result.reason("AUTH_NONE", [fmt.prose(_order)])] if {
	_outcome == "license_required"
}

# Line by line, the other authorizations relied on for the other lines; else the others available.
# (Read only when an authorization is chosen: at least one is relied on.)
_also_available := "it covers every line" if {
	mixed
	count(_relied_on) == 1
} else := sprintf("the other lines rely on %s (see lines)", [fmt.prose(others)]) if {
	mixed
	others := array.slice(_relied_on, 1, count(_relied_on))
} else := "no other authorization is available" if {
	count(available) == 1
} else := sprintf("also available: %s", [fmt.prose(others)]) if {
	others := array.slice(available, 1, count(available))
}

_review_reasons := [] if {
	_outcome != "license_required"
} else := result.sorted(_review.reasons)

_status_reasons := result.sorted(_status_notes) if {
	in_effect
} else := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])]

# The Macau/D:5-headquarters requirement predates the framework (744.23(a)(3), 17 November 2023):
# it is never described as "not enforced", before or after BIS's guidance of 31 May 2026.
_status_notes contains result.reason("STATUS_NON_ENFORCEMENT", [as_of]) if {
	_not_enforced_as_written
	needs_licence
	count(d5_hq_links) == 0
}

_status_notes contains result.reason("STATUS_D5_HQ_ENFORCED", [as_of]) if {
	_not_enforced_as_written
	count(d5_hq_links) > 0
	needs_licence
}

# From BIS's announcement of 13 May 2025 on, the framework is not enforced as written.
_not_enforced_as_written if status.enforcement(as_of) != "as_written"

_domestic_reason := result.reason("JURISDICTION_DOMESTIC", [
	location_place,
	_transaction_words[transaction],
])

_transaction_words := {
	"domestic_transfer": "a sale or hand-over inside the United States",
	"in_country_transfer": concat("", [
		"an in-country transfer inside the United States, which 15 CFR 734.16 does not recognise ",
		"(an in-country transfer happens within a foreign country)",
	]),
}

# --- obligations ---------------------------------------------------------------
# What the decision shows, decided first: nothing; line by line, each authorization's and the
# licence's; the chosen authorization's (read only then); or the licence's.
_obligations := [] if {
	_outcome in _nothing_to_authorize
} else := array.concat(_line_obligations, _licence_obligations) if {
	mixed
} else := chosen if {
	authorization != null
	chosen := obligations_of(authorization)
} else := _licence_obligations

# Line by line: each authorization's obligations for its own lines, then the licence's.
_line_obligations := [o |
	some code in used
	terms := _line_terms[code]
	some o in terms[0]
]

# Each authorization relied on line by line, evaluated once with only its own lines: its
# obligations, and what they count against (a one-element array, or empty when undefined).
_line_terms[code] := terms if {
	some code in used
	its := lines.items_under(code)
	terms := _terms_of(code) with input.items as its
}

_terms_of(code) := [obligations_of(code), [c | c := counts_against_of(code)]]

_licence_obligations := _review.obligations if {
	_outcome == "license_required"
} else := []

# --- TPP -----------------------------------------------------------------------
# Only the TPP of the lines that rely on an authorization with a limit (LPP), or of the lines a
# licence must cover, counts.
_counts_against := chosen if {
	authorization != null
	not mixed
	chosen := counts_against_of(authorization)
} else := allocation if {
	_outcome == "license_required"
	allocation := _review.allocation[0]
} else := first if {
	mixed
	first := _line_counts_against[0]
} else := null

# Line by line: what the lines of each authorization relied on count against, in preference order.
_line_counts_against := [c |
	some code in used
	terms := _line_terms[code]
	some c in terms[1]
	c != null
]

_requiring_authorization := 0 if domestic else := licensable_tpp

_tpp := {
	"shipment_total": tpp_total,
	"a_level": a_level_tpp,
	"b_level": b_level_tpp,
	"requiring_authorization": _requiring_authorization,
	"counts_against": _counts_against,
}

# --- summary -------------------------------------------------------------------
_summary := sprintf("%s: %s", [_outcome_words[_outcome], _summary_detail])

_summary_detail := sprintf("%s (%s)", [_titles[authorization].title, _titles[authorization].citation]) if {
	authorization != null
}

_summary_detail := sprintf("licence application reviewed under a %s", [_policy_words[_review_policy]]) if {
	_outcome == "license_required"
}

_summary_detail := "no item in this request needs a licence under the framework" if {
	_outcome == "no_license_required"
}

_summary_detail := sprintf(
	"%s, to a consignee located in %s, is not an export, reexport or in-country transfer (15 CFR 734.13-734.16)",
	[_transaction_words[transaction], location_place],
) if {
	_outcome == "not_subject"
}

_summary_detail := sprintf("the framework took effect on %s; the as-of date is %s", [
	data.aidf.lib.status.words_effective,
	as_of,
]) if {
	_outcome == "framework_not_in_effect"
}

_outcome_words := data.aidf.facts.catalogue.outcomes

_policy_words := data.aidf.facts.catalogue.review_policies

decision := result.decision("export_chips", as_of, {
	"allowed": _allowed,
	"outcome": _outcome,
	"authorization": authorization,
	"review_policy": _review_policy,
	"summary": _summary,
	"parties": {
		"destination": countries.party_of(destination, data.aidf.chips.request.destination_groups),
		"location": countries.party_of(location, data.aidf.chips.request.location_groups),
		"headquarters": countries.party_of(hq, data.aidf.chips.request.hq_groups),
		"ultimate_parent_headquarters": countries.party_of(parent_hq, data.aidf.chips.request.parent_hq_groups),
	},
	"items": items,
	"lines": view,
	"authorizations": {"available": available, "considered": _considered},
	"reasons": _reasons,
	"obligations": _obligations,
	"tpp": _tpp,
})
